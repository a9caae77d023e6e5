//! What the registry commands share: their flags, the client those make,
//! and the tokio runtime they run on.

use std::fmt;
use std::future::Future;
use std::path::PathBuf;
use std::sync::Arc;

use clap::{ArgAction, Args};
use tranship::registry::{
    docker_config_path, Client, ClientSettings, Credential, HttpExchange, HttpLog,
};
use tranship::{Error, Result};

/// How to reach registries: the flags every registry command takes.
#[derive(Debug, Args)]
#[command(next_help_heading = "Registry options")]
pub struct RegistryArgs {
    /// Verify the registry's TLS certificate (`--tls-verify=false` to
    /// skip it, and to fall back to plain http when the registry does not
    /// speak https).
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
        self.client_for(&[registry])
    }

    /// A client for several registries (a copy's source and
    /// destination): the flags apply to each.
    pub fn client_for(&self, registries: &[&str]) -> Result<Client> {
        let mut settings = self.settings(registries);
        if let Some(creds) = &self.creds {
            for registry in registries {
                settings
                    .credentials
                    .push((registry.to_string(), creds.clone().into()));
            }
        }
        settings.client()
    }

    /// A client for `registry` that uses only `credential`.
    pub fn client_with(&self, registry: &str, credential: Credential) -> Result<Client> {
        let mut settings = self.settings(&[registry]);
        settings.no_credential_files = true;
        settings.credentials = vec![(registry.to_string(), credential)];
        settings.client()
    }

    /// What the flags say about `registry`.
    fn settings(&self, registries: &[&str]) -> ClientSettings {
        let http_log = self.debug.then(|| {
            let log = |e: &HttpExchange| eprintln!("debug: {e}");
            Arc::new(log) as Arc<dyn HttpLog>
        });
        ClientSettings {
            authfile: self.authfile.clone(),
            registries_conf: self.registries_conf.clone(),
            insecure: if self.tls_verify {
                Vec::new()
            } else {
                registries.iter().map(|r| r.to_string()).collect()
            },
            cert_dirs: self
                .cert_dir
                .iter()
                .flat_map(|dir| registries.iter().map(|r| (r.to_string(), dir.clone())))
                .collect(),
            http_log,
            ..ClientSettings::default()
        }
    }

    /// Where `login` and `logout` keep credentials: `--authfile`, or
    /// Docker's config (`$DOCKER_CONFIG/config.json`,
    /// `~/.docker/config.json`).
    pub fn login_file(&self) -> PathBuf {
        self.authfile.clone().unwrap_or_else(docker_config_path)
    }
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
