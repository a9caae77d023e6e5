//! What the registry commands share: their flags, the client those make,
//! the tokio runtime they run on, and how an address names a registry
//! image.

use std::fmt;
use std::future::Future;
use std::path::PathBuf;
use std::sync::Arc;

use clap::{ArgAction, Args};
use tranship::registry::{
    docker_config_path, normalise_key, Client, ClientOptions, Credential, CredentialStore,
    FetchedManifest, HttpExchange, HttpLog, RegistriesConfig,
};
use tranship::{Error, MediaType, Platform, Reference, Result};

/// How to reach registries: the flags every registry command takes.
#[derive(Debug, Args)]
#[command(next_help_heading = "Registry options")]
pub struct RegistryArgs {
    /// Verify the registry's TLS certificate (`--tls-verify=false` to
    /// skip it).
    #[arg(long, value_name = "BOOL", action = ArgAction::Set, default_value_t = true,
          num_args = 0..=1, default_missing_value = "true")]
    pub tls_verify: bool,
    /// Certificates for the registry: `*.crt` CA roots, `*.cert` + `*.key`
    /// a client identity (default: /etc/containers/certs.d/HOST). Implies
    /// https, even on a loopback address.
    #[arg(long, value_name = "DIR")]
    pub cert_dir: Option<PathBuf>,
    /// Per-registry settings and mirrors, in registries.conf form.
    #[arg(long, value_name = "FILE")]
    pub registries_conf: Option<PathBuf>,
    /// Credentials file (podman's auth.json or Docker's config.json),
    /// read before Docker's config; `login`/`logout` write it instead.
    #[arg(long, value_name = "FILE")]
    pub authfile: Option<PathBuf>,
    /// Credentials for the registry, instead of any file.
    #[arg(long, value_name = "USER:PASS", value_parser = parse_creds)]
    pub creds: Option<Creds>,
    /// Log each HTTP request (method, URL, status) on standard error;
    /// credentials and tokens are never shown.
    #[arg(short = 'v', long = "debug", visible_alias = "verbose")]
    pub debug: bool,
}

/// `--creds USER:PASS`, the password never shown by `Debug`.
#[derive(Clone)]
pub struct Creds {
    /// User name.
    pub username: String,
    /// Password or token.
    pub password: String,
}

impl fmt::Debug for Creds {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Creds({:?}, <hidden>)", self.username)
    }
}

fn parse_creds(text: &str) -> std::result::Result<Creds, String> {
    match text.split_once(':') {
        Some((user, password)) if !user.is_empty() => Ok(Creds {
            username: user.to_string(),
            password: password.to_string(),
        }),
        _ => Err("expected USER:PASS".into()),
    }
}

impl From<Creds> for Credential {
    fn from(c: Creds) -> Self {
        Credential::Basic {
            username: c.username,
            password: c.password,
        }
    }
}

impl RegistryArgs {
    /// A client for `registry`, with the credentials the flags and the
    /// usual files give.
    pub fn client(&self, registry: &str) -> Result<Client> {
        let mut store = match &self.authfile {
            Some(file) => CredentialStore::anonymous()
                .with_file(file)
                .with_file(docker_config_path()),
            None => CredentialStore::from_env(),
        };
        if let Some(creds) = &self.creds {
            store = store.with_credential(registry, creds.clone().into());
        }
        self.client_with(registry, store)
    }

    /// A client for `registry` that uses only `credentials`.
    pub fn client_with(&self, registry: &str, credentials: CredentialStore) -> Result<Client> {
        let mut registries = match &self.registries_conf {
            Some(file) => RegistriesConfig::load(file)?,
            None => RegistriesConfig::new(),
        };
        if !self.tls_verify || self.cert_dir.is_some() {
            let mut settings = registries.get(registry);
            settings.insecure |= !self.tls_verify;
            if let Some(dir) = &self.cert_dir {
                // Certificates are for TLS: https even on a loopback address.
                settings.cert_dir = Some(dir.clone());
                settings.plain_http = Some(false);
            }
            registries.set(registry, settings);
        }
        let http_log = self.debug.then(|| {
            let log = |e: &HttpExchange| eprintln!("debug: {e}");
            Arc::new(log) as Arc<dyn HttpLog>
        });
        Ok(Client::new(ClientOptions {
            credentials,
            registries,
            http_log,
            ..ClientOptions::default()
        }))
    }

    /// Where `login` and `logout` keep credentials: `--authfile`, or
    /// Docker's config (`$DOCKER_CONFIG/config.json`,
    /// `~/.docker/config.json`).
    pub fn login_file(&self) -> PathBuf {
        self.authfile.clone().unwrap_or_else(docker_config_path)
    }
}

/// Transports that name something other than a registry.
const OTHER_TRANSPORTS: &[&str] = &[
    "oci",
    "oci-archive",
    "docker-archive",
    "docker-daemon",
    "dir",
    "containers-storage",
];

/// The registry image an address names: `docker://REF` or a bare `REF`.
pub fn reference(address: &str) -> Result<Reference> {
    let text = address.strip_prefix("docker://").unwrap_or(address);
    if let Some((transport, rest)) = text.split_once(':') {
        let is_port = rest.starts_with(|c: char| c.is_ascii_digit());
        if OTHER_TRANSPORTS.contains(&transport) && !is_port {
            return Err(Error::InvalidReference {
                input: address.to_string(),
                reason: format!(
                    "`{transport}:` is not a registry; this command takes docker://REF or REF"
                ),
            });
        }
    }
    text.parse()
}

/// The registry a `HOST` argument names (`docker.io`, `localhost:5000`;
/// a scheme or `/v2/` is dropped).
pub fn host(text: &str) -> String {
    let key = normalise_key(text);
    key.split('/').next().unwrap_or_default().to_string()
}

/// Runs one registry operation on a current-thread tokio runtime, made
/// only for the registry commands.
pub fn block_on<T>(future: impl Future<Output = Result<T>>) -> Result<T> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| Error::io("starting the async runtime", e))?
        .block_on(future)
}

/// A manifest and, when it came from an index, the index entry chosen.
pub struct Resolved {
    /// The manifest (the platform's, when one was chosen).
    pub fetched: FetchedManifest,
    /// The reference it was fetched with.
    pub reference: Reference,
    /// The index it was chosen from: its digest and the entry's platform.
    pub from_index: Option<(String, String)>,
}

/// Fetches the manifest `reference` names; when it is an index and
/// `platform` is given, fetches that platform's manifest instead.
pub async fn resolve(
    client: &Client,
    reference: &Reference,
    accept: &[MediaType],
    platform: Option<&Platform>,
) -> Result<Resolved> {
    let fetched = client.get_manifest(reference, accept).await?;
    let Some(want) = platform.filter(|_| fetched.manifest.as_index().is_some()) else {
        return Ok(Resolved {
            fetched,
            reference: reference.clone(),
            from_index: None,
        });
    };
    let (_, entry) = fetched.manifest.select_platform(want)?;
    let child: Reference = format!(
        "{}/{}@{}",
        reference.registry(),
        reference.repository(),
        entry.digest
    )
    .parse()?;
    let chosen = entry
        .platform
        .as_ref()
        .map(ToString::to_string)
        .unwrap_or_default();
    let index = fetched.digest.to_string();
    Ok(Resolved {
        // By digest the registry serves what it stores: accept anything.
        fetched: client.get_manifest(&child, &[]).await?,
        reference: child,
        from_index: Some((index, chosen)),
    })
}
