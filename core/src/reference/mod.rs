//! Image references: `[registry/]repository[:tag][@digest]` (rules in
//! `docs/formats.md`, "References").
//!
//! Parsing follows distribution/reference's `ParseNormalizedNamed`, the
//! parser behind `docker pull`: Docker Hub names are normalised to their
//! full form, and a reference may carry a tag and a digest together.
//!
//! ```
//! use tranship::Reference;
//! let r: Reference = "localhost:5000/team/app:v1".parse().unwrap();
//! assert_eq!(r.registry(), "localhost:5000");
//! assert_eq!(r.repository(), "team/app");
//! assert_eq!(r.tag(), Some("v1"));
//! assert_eq!(r.endpoint(), "http://localhost:5000");
//!
//! let err = "Alpine".parse::<Reference>().unwrap_err();
//! assert_eq!(err.code(), "INVALID_REFERENCE");
//! ```

mod docker_hub;
mod parse;

use std::fmt;
use std::net::{Ipv4Addr, Ipv6Addr};
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::digest::Digest;
use crate::error::Error;

/// Longest full name (`registry/repository`) allowed.
const MAX_NAME_LEN: usize = 255;

/// A parsed, normalised image reference.
///
/// Built with [`str::parse`]. Normalisation follows Docker: no registry
/// means `docker.io`, `index.docker.io` is the same registry, a one-part
/// repository on `docker.io` lives in `library/`, and a reference with
/// neither tag nor digest gets tag `latest`.
///
/// Refused, beyond the grammar: a full name (registry, `/`, repository)
/// over 255 characters, and an input that is exactly 64 lowercase hex
/// characters, which reads as an image ID. As in distribution/reference
/// the ID rule looks at the whole input, so `<64 hex>:v1` and
/// `docker.io/<64 hex>` are names.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Reference {
    registry: String,
    repository: String,
    tag: Option<String>,
    digest: Option<Digest>,
}

impl Reference {
    /// The registry: `docker.io` for Docker Hub, otherwise `host[:port]` as
    /// written (`localhost:5000`, `[::1]:5000`).
    pub fn registry(&self) -> &str {
        &self.registry
    }

    /// The repository path, e.g. `library/alpine`.
    pub fn repository(&self) -> &str {
        &self.repository
    }

    /// The tag: as given, `latest` when neither tag nor digest was given,
    /// `None` when only a digest was given.
    pub fn tag(&self) -> Option<&str> {
        self.tag.as_deref()
    }

    /// The digest, when one was given. It decides what is fetched; a tag
    /// given with it is kept for naming only.
    pub fn digest(&self) -> Option<&Digest> {
        self.digest.as_ref()
    }

    /// `registry/repository`, e.g. `docker.io/library/alpine`.
    pub fn name(&self) -> String {
        format!("{}/{}", self.registry, self.repository)
    }

    /// Docker's short form: `docker.io/` and an official image's `library/`
    /// left out, tag and digest shown when present (`alpine:latest`,
    /// `user/app:v1`, `localhost:5000/a:v1@sha256:…`).
    pub fn familiar(&self) -> String {
        let mut text = docker_hub::familiar_name(&self.registry, &self.repository);
        self.push_tag_and_digest(&mut text);
        text
    }

    /// The registry API's base URL, without a trailing `/`.
    ///
    /// `https://registry-1.docker.io` for Docker Hub; `http://host[:port]`
    /// when [`plain_http`](Self::plain_http) is true, since a registry on a
    /// loopback address usually serves plain http; `https://host[:port]`
    /// otherwise.
    pub fn endpoint(&self) -> String {
        if let Some(hub) = docker_hub::api_endpoint(&self.registry) {
            return hub.to_string();
        }
        let scheme = if self.plain_http() { "http" } else { "https" };
        format!("{scheme}://{}", self.registry)
    }

    /// Whether plain http may be used: only for `localhost`, `127.0.0.0/8`
    /// and `[::1]`, on any port.
    pub fn plain_http(&self) -> bool {
        is_loopback_host(parse::split_host(&self.registry).0)
    }

    /// The same repository pinned to `digest`, the tag kept for naming.
    pub fn with_digest(&self, digest: Digest) -> Reference {
        Reference {
            digest: Some(digest),
            ..self.clone()
        }
    }

    /// The same repository named by digest only (no tag).
    pub fn by_digest(&self, digest: Digest) -> Reference {
        Reference {
            tag: None,
            digest: Some(digest),
            ..self.clone()
        }
    }

    /// The same repository and tag without the digest; `None` when the
    /// reference has no tag.
    pub fn tagged(&self) -> Option<Reference> {
        self.tag.as_ref().map(|_| Reference {
            digest: None,
            ..self.clone()
        })
    }

    /// The same repository with another tag (and no digest). The tag is
    /// not checked: give one from a parsed reference or checked with
    /// [`check_tag`].
    pub fn with_tag(&self, tag: &str) -> Reference {
        Reference {
            tag: Some(tag.to_string()),
            digest: None,
            ..self.clone()
        }
    }

    /// Every derived field, as the `reference` corpus operation reports it.
    pub fn report(&self) -> ReferenceReport {
        ReferenceReport {
            registry: self.registry.clone(),
            repository: self.repository.clone(),
            tag: self.tag.clone(),
            digest: self.digest.as_ref().map(Digest::to_string),
            name: self.name(),
            full: self.to_string(),
            familiar: self.familiar(),
            endpoint: self.endpoint(),
            plain_http: self.plain_http(),
        }
    }

    fn push_tag_and_digest(&self, text: &mut String) {
        if let Some(tag) = &self.tag {
            text.push(':');
            text.push_str(tag);
        }
        if let Some(digest) = &self.digest {
            text.push('@');
            text.push_str(&digest.to_string());
        }
    }
}

/// Checks a repository path given on its own, without a registry (as
/// schema1's `name` is written): the grammar and the 255-character limit.
///
/// ```
/// assert!(tranship::reference::check_repository("team/app").is_ok());
/// let e = tranship::reference::check_repository("Team/app").unwrap_err();
/// assert_eq!(e.code(), "INVALID_REFERENCE");
/// ```
pub fn check_repository(repository: &str) -> Result<(), Error> {
    let invalid = |reason: String| Error::InvalidReference {
        input: shown_input(repository),
        reason,
    };
    if repository.len() > MAX_NAME_LEN {
        return Err(invalid(format!(
            "the repository name is {} characters long; at most {MAX_NAME_LEN} are allowed",
            repository.len()
        )));
    }
    parse::check_repository(repository).map_err(invalid)
}

/// Checks a tag given on its own: `[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}`.
///
/// ```
/// assert!(tranship::reference::check_tag("v1.0").is_ok());
/// assert!(tranship::reference::check_tag("-x").is_err());
/// ```
pub fn check_tag(tag: &str) -> Result<(), Error> {
    parse::check_tag(tag).map_err(|reason| Error::InvalidReference {
        input: shown_input(tag),
        reason,
    })
}

/// `localhost` (any case), an IPv4 address in `127.0.0.0/8`, or `[::1]`.
fn is_loopback_host(host: &str) -> bool {
    if host.eq_ignore_ascii_case("localhost") {
        return true;
    }
    if let Ok(v4) = host.parse::<Ipv4Addr>() {
        return v4.is_loopback();
    }
    host.strip_prefix('[')
        .and_then(|h| h.strip_suffix(']'))
        .and_then(|h| h.parse::<Ipv6Addr>().ok())
        .is_some_and(|v6| v6.is_loopback())
}

impl FromStr for Reference {
    type Err = Error;

    fn from_str(input: &str) -> Result<Self, Error> {
        let invalid = |reason: String| Error::InvalidReference {
            input: shown_input(input),
            reason,
        };
        let parts = parse::parse(input).map_err(invalid)?;
        let (registry, repository) = docker_hub::normalise(parts.registry, parts.repository);
        let name_len = registry.len() + 1 + repository.len();
        if name_len > MAX_NAME_LEN {
            return Err(invalid(format!(
                "the full name `{registry}/{repository}` is {name_len} characters long; \
                 at most {MAX_NAME_LEN} are allowed"
            )));
        }
        let tag = match (parts.tag, &parts.digest) {
            (Some(tag), _) => Some(tag.to_string()),
            (None, Some(_)) => None,
            (None, None) => Some(docker_hub::DEFAULT_TAG.to_string()),
        };
        Ok(Reference {
            registry,
            repository,
            tag,
            digest: parts.digest,
        })
    }
}

/// The input as quoted in errors: whole, unless it is too long to be a
/// reference at all, then its first 64 characters and `…`.
fn shown_input(input: &str) -> String {
    if input.len() <= parse::MAX_INPUT_LEN {
        return input.to_string();
    }
    let mut shown: String = input.chars().take(64).collect();
    shown.push('…');
    shown
}

impl fmt::Display for Reference {
    /// The normalised full form: `registry/repository[:tag][@digest]`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut text = self.name();
        self.push_tag_and_digest(&mut text);
        f.write_str(&text)
    }
}

/// Everything derived from a [`Reference`], as one serialisable record (the
/// `expect` of the `reference` corpus operation).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReferenceReport {
    /// See [`Reference::registry`].
    pub registry: String,
    /// See [`Reference::repository`].
    pub repository: String,
    /// See [`Reference::tag`].
    pub tag: Option<String>,
    /// See [`Reference::digest`], as `algorithm:hex`.
    pub digest: Option<String>,
    /// See [`Reference::name`].
    pub name: String,
    /// The normalised full form, as [`Reference`]'s `Display` writes it.
    pub full: String,
    /// See [`Reference::familiar`].
    pub familiar: String,
    /// See [`Reference::endpoint`].
    pub endpoint: String,
    /// See [`Reference::plain_http`].
    pub plain_http: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEX: &str = "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff";

    fn parsed(input: &str) -> Reference {
        match input.parse() {
            Ok(r) => r,
            Err(e) => panic!("{input}: {e}"),
        }
    }

    fn reason(input: &str) -> String {
        match input.parse::<Reference>() {
            Ok(r) => panic!("{input} parsed as {r}"),
            Err(Error::InvalidReference { reason, .. }) => reason,
            Err(other) => panic!("{input}: unexpected {other:?}"),
        }
    }

    #[test]
    fn docker_hub_names_are_normalised() {
        for (input, full, familiar) in [
            ("alpine", "docker.io/library/alpine:latest", "alpine:latest"),
            (
                "docker.io/alpine",
                "docker.io/library/alpine:latest",
                "alpine:latest",
            ),
            (
                "index.docker.io/alpine:3",
                "docker.io/library/alpine:3",
                "alpine:3",
            ),
            ("user/app:v1", "docker.io/user/app:v1", "user/app:v1"),
            (
                "library/a/b",
                "docker.io/library/a/b:latest",
                "library/a/b:latest",
            ),
        ] {
            let r = parsed(input);
            assert_eq!(r.to_string(), full, "{input}");
            assert_eq!(r.familiar(), familiar, "{input}");
            assert_eq!(r.endpoint(), "https://registry-1.docker.io", "{input}");
            assert!(!r.plain_http());
        }
    }

    #[test]
    fn registry_1_is_not_docker_hub() {
        let r = parsed("registry-1.docker.io/alpine");
        assert_eq!(r.registry(), "registry-1.docker.io");
        assert_eq!(r.repository(), "alpine");
        assert_eq!(r.endpoint(), "https://registry-1.docker.io");
        assert_eq!(r.familiar(), "registry-1.docker.io/alpine:latest");
    }

    #[test]
    fn a_name_without_slash_never_has_a_registry() {
        let r = parsed("localhost:5000");
        assert_eq!(r.name(), "docker.io/library/localhost");
        assert_eq!(r.tag(), Some("5000"));
        assert_eq!(
            parsed("example.com").name(),
            "docker.io/library/example.com"
        );
    }

    #[test]
    fn tag_and_digest_are_kept_together() {
        let r = parsed(&format!("busybox:1@sha256:{HEX}"));
        assert_eq!(r.tag(), Some("1"));
        assert_eq!(r.digest().map(|d| d.hex()), Some(HEX));
        assert_eq!(r.familiar(), format!("busybox:1@sha256:{HEX}"));
        let only_digest = parsed(&format!("busybox@sha256:{HEX}"));
        assert_eq!(only_digest.tag(), None);
        assert_eq!(
            only_digest.to_string(),
            format!("docker.io/library/busybox@sha256:{HEX}")
        );
    }

    #[test]
    fn loopback_registries_use_plain_http() {
        for (input, plain) in [
            ("localhost/a", true),
            ("localhost:5000/a", true),
            ("LOCALHOST:5000/a", true),
            ("127.0.0.1:5000/a", true),
            ("127.200.3.4/a", true),
            ("[::1]:5000/a", true),
            ("[0:0:0:0:0:0:0:1]/a", true),
            ("128.0.0.1/a", false),
            ("127.1:5000/a", false),
            ("[::2]:5000/a", false),
            ("localhost.example.com/a", false),
        ] {
            let r = parsed(input);
            assert_eq!(r.plain_http(), plain, "{input}");
            let scheme = if plain { "http" } else { "https" };
            assert_eq!(r.endpoint(), format!("{scheme}://{}", r.registry()));
        }
    }

    #[test]
    fn uppercase_first_part_is_a_registry() {
        let r = parsed("Docker/app");
        assert_eq!((r.registry(), r.repository()), ("Docker", "app"));
        assert!(reason("docker/App").contains("must be lowercase, found `App`"));
        assert!(reason("Uppercase:tag").contains("must be lowercase"));
    }

    #[test]
    fn image_ids_are_not_names() {
        let id = "1a3f5e7d9c1b3a5f7e9d1c3b5a7f9e1d3c5b7a9f1e3d5d7c9b1a3f5e7d9c1b3a";
        assert!(reason(id).contains("image ID"));
        assert_eq!(
            parsed(&format!("docker.io/{id}")).repository(),
            format!("library/{id}")
        );
        assert_eq!(parsed(&format!("{id}:v1")).tag(), Some("v1"));
        assert_eq!(
            parsed(&id[..63]).repository(),
            format!("library/{}", &id[..63])
        );
    }

    #[test]
    fn full_name_is_limited_after_normalisation() {
        let name = "a".repeat(237); // docker.io/library/ is 18 characters
        assert_eq!(parsed(&name).name().len(), 255);
        let reason = reason(&format!("{name}a"));
        assert!(reason.contains("256 characters long"), "{reason}");
    }

    #[test]
    fn huge_input_is_refused_and_shortened_in_the_error() {
        let huge = "a".repeat(1 << 20);
        let Err(Error::InvalidReference { input, reason }) = huge.parse::<Reference>() else {
            panic!("a huge input was not refused as an invalid reference")
        };
        assert_eq!(input.chars().count(), 65);
        assert!(reason.contains("1048576 bytes"), "{reason}");
    }

    #[test]
    fn odd_input_never_panics() {
        for input in [
            "@",
            ":",
            "/",
            "//",
            "@@",
            "::",
            "a@",
            "a:",
            "a/",
            "/a",
            ":a",
            "@a",
            "[",
            "]",
            "[]/a",
            "[:/a",
            "é",
            "é/é:é@é",
            "a:b:c",
            "a@b@c",
            "a/b:c/d",
            "\u{0}",
            "a\u{300}",
            "\u{feff}a",
            "localhost:/a",
            ":5000/a",
            "a.:1/b",
            "[::1]x/a",
            "[::1]:/a",
            "a/b@sha256:",
        ] {
            assert!(input.parse::<Reference>().is_err(), "{input:?} parsed");
        }
    }

    #[test]
    fn report_has_every_field() {
        let report = parsed("127.0.0.1:5000/a/b:v1").report();
        assert_eq!(
            report,
            ReferenceReport {
                registry: "127.0.0.1:5000".into(),
                repository: "a/b".into(),
                tag: Some("v1".into()),
                digest: None,
                name: "127.0.0.1:5000/a/b".into(),
                full: "127.0.0.1:5000/a/b:v1".into(),
                familiar: "127.0.0.1:5000/a/b:v1".into(),
                endpoint: "http://127.0.0.1:5000".into(),
                plain_http: true,
            }
        );
    }
}
