//! Platforms: `os[(os_version)]/arch[/variant]`, normalised and matched
//! as containerd does (summary in `docs/formats.md`, "Platforms").
//!
//! ```
//! use tranship::Platform;
//!
//! let p: Platform = "Linux/aarch64/8".parse().unwrap();
//! assert_eq!(p.to_string(), "linux/arm64/v8");
//!
//! let want: Platform = "linux/arm64".parse().unwrap();
//! assert!(want.matches(&p));
//!
//! let err = "linux/".parse::<Platform>().unwrap_err();
//! assert_eq!(err.code(), "INVALID_PLATFORM");
//! ```
//!
//! # Rules
//!
//! Normalisation follows containerd's `platforms` package
//! (`normalizeOS`, `normalizeArch` and `Parse`):
//!
//! - os and architecture are lowercased, as is the variant; `macos`
//!   becomes `darwin`;
//! - `x86_64`, `x86-64` become `amd64`, and its variant `v1` is dropped
//!   (`amd64` means `amd64/v1`);
//! - `aarch64` becomes `arm64`; its variants `8`, `v8`, `v8.0` are written
//!   `v8`, and `9`, `9.0`, `v9.0` are written `v9`;
//! - `i386` becomes `386` and loses any variant;
//! - `armhf` becomes `arm/v7`, `armel` becomes `arm/v6`; a bare `arm` (or
//!   `arm/7`) is `arm/v7`, and `arm/5`, `arm/6`, `arm/8` get their `v`.
//!
//! Matching (`want.matches(&candidate)`): os and architecture must be
//! equal after normalisation. When the request names a variant, the
//! candidate's must equal it, except that `arm64` without a variant is
//! `arm64/v8` (and `amd64` without a variant is `amd64/v1`, which
//! normalisation already makes equal). When the request names an os
//! version, the candidate's must equal it or extend it with more
//! dot-separated parts (`10.0.17763` matches `10.0.17763.1040`).
//!
//! [`select`] picks, among the entries that match, the one whose variant
//! is exactly the requested one (after normalisation), then one equal by
//! the `arm64`/`v8` equivalence, then any other; ties go to the first
//! listed. Entries without a platform never match.
//!
//! # Where this differs from containerd
//!
//! - **No host defaults.** containerd fills a missing half from the running
//!   machine (`linux` gets the host's architecture, `arm64` the host's
//!   os). tranship does not guess: text must name both os and
//!   architecture.
//! - **`arm64/v8` keeps its variant.** containerd's `Normalize` drops
//!   `v8` from `arm64`, but its `Parse` puts it back for a three-part
//!   specifier, so `Format(Parse("linux/arm64/v8"))` is `linux/arm64/v8`.
//!   tranship keeps `v8` in [`Platform::normalized`] too, so an index entry
//!   `{arm64, v8}` displays as containerd's `Format` shows it; the two
//!   spellings still match each other.
//! - **Bare `arm` is always `arm/v7`.** containerd's `Parse` turns the
//!   two-part `linux/arm` and `linux/armhf` into variant-less `linux/arm`,
//!   while its `Normalize` gives `arm/v7`; tranship always gives `arm/v7`.
//! - **Exact variants.** containerd's default matcher (`platforms.Only`)
//!   also accepts older variants a CPU can run: `arm/v7` takes `arm/v6` and
//!   `arm/v5`, `arm64` takes `arm/v8` and below, `amd64/v3` takes `v2`,
//!   `v1` and `386`. tranship matches the requested variant only (like
//!   containerd's `OnlyStrict`).
//! - **A request without a variant accepts any variant.** containerd
//!   compares normalised variants, so `linux/arm64` matches only
//!   `arm64/v8` and `linux/amd64` only `amd64/v1`. tranship requires the
//!   variant to match only *when the request gives it*, so it also
//!   accepts e.g. `arm64/v9` or `amd64/v3`; [`select`] still prefers the
//!   default variant.
//! - **os version.** containerd compares it for Windows only, by host
//!   compatibility (equal major.minor.build; newer LTSC hosts also run
//!   older LTSC images; a candidate without an os version matches).
//!   tranship compares it for every os, as a dotted prefix, and a candidate
//!   without an os version does not match a request that names one.
//! - **os features** (`windows(10.0.17763+win32k)`) are not part of the
//!   text form: they are rejected when parsing, left out of the text and
//!   ignored when matching. containerd parses, prints and compares them.
//! - **Entries without a platform** never match; containerd reads the
//!   child's image config to learn its platform, tranship does not fetch
//!   anything to select.
//! - **Ordering.** containerd sorts matching entries by its matcher's
//!   preference; tranship ranks exact variant, then equivalent variant,
//!   then any variant, and takes the first listed among equals.

mod matcher;
mod normalize;
mod parse;

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

pub use matcher::select;

/// The platform of an image, as found in index entries and image configs.
///
/// Field order follows the OCI image spec's Go struct, so serialising a
/// parsed platform gives the same key order.
///
/// Parse one from text with [`str::parse`] and print it with
/// [`Display`](fmt::Display); both use the normalised form.
///
/// ```
/// use tranship::Platform;
///
/// let p: Platform = "windows(10.0.17763)/x86_64".parse().unwrap();
/// assert_eq!(p.os, "windows");
/// assert_eq!(p.architecture, "amd64");
/// assert_eq!(p.os_version.as_deref(), Some("10.0.17763"));
/// assert_eq!(p.to_string(), "windows(10.0.17763)/amd64");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Platform {
    /// CPU architecture, e.g. `amd64`, `arm64`.
    pub architecture: String,
    /// Operating system, e.g. `linux`, `windows`.
    pub os: String,
    /// Operating system version, e.g. `10.0.17763.1040` (Windows).
    #[serde(
        rename = "os.version",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub os_version: Option<String>,
    /// Required operating system features.
    #[serde(rename = "os.features", default, skip_serializing_if = "Vec::is_empty")]
    pub os_features: Vec<String>,
    /// CPU variant, e.g. `v7` for `arm/v7`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub variant: Option<String>,
    /// CPU features (Docker manifest lists only; dropped by OCI).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub features: Vec<String>,
}

/// A normalised platform as plain fields plus its text, for reports and
/// the bindings.
///
/// ```
/// use tranship::Platform;
///
/// let p: Platform = "linux/armhf".parse().unwrap();
/// let r = p.report();
/// assert_eq!(r.architecture, "arm");
/// assert_eq!(r.variant.as_deref(), Some("v7"));
/// assert_eq!(r.text, "linux/arm/v7");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PlatformReport {
    /// Operating system, e.g. `linux`.
    pub os: String,
    /// CPU architecture, e.g. `arm64`.
    pub architecture: String,
    /// CPU variant, e.g. `v8`, or `None`.
    pub variant: Option<String>,
    /// Operating system version, e.g. `10.0.17763`, or `None`.
    pub os_version: Option<String>,
    /// The normalised text, `os[(os_version)]/arch[/variant]`.
    pub text: String,
}

impl Platform {
    /// This platform with containerd's normalisation applied (see the
    /// [module documentation](self) for the rules).
    ///
    /// Empty `variant` and `os_version` become `None`; `os_features` are
    /// sorted and deduplicated; CPU `features` are kept as they are.
    ///
    /// ```
    /// use tranship::Platform;
    ///
    /// let p = Platform {
    ///     os: "Linux".into(),
    ///     architecture: "x86_64".into(),
    ///     variant: Some("v1".into()),
    ///     ..Platform::default()
    /// };
    /// let n = p.normalized();
    /// assert_eq!((n.os.as_str(), n.architecture.as_str()), ("linux", "amd64"));
    /// assert_eq!(n.variant, None);
    /// ```
    pub fn normalized(&self) -> Platform {
        let (architecture, variant) = normalize::arch(&self.architecture, self.variant.as_deref());
        let mut os_features = self.os_features.clone();
        os_features.sort();
        os_features.dedup();
        Platform {
            architecture,
            os: normalize::os(&self.os),
            os_version: self.os_version.clone().filter(|v| !v.is_empty()),
            os_features,
            variant,
            features: self.features.clone(),
        }
    }

    /// Whether `candidate` satisfies this platform, taken as the request.
    ///
    /// Both sides are normalised first. os and architecture must be equal;
    /// a requested variant must be the candidate's (with `arm64` equal to
    /// `arm64/v8`); a requested os version must equal the candidate's or be
    /// a dotted prefix of it.
    ///
    /// ```
    /// use tranship::Platform;
    ///
    /// let want: Platform = "linux/arm/v7".parse().unwrap();
    /// assert!(want.matches(&"linux/armhf".parse().unwrap()));
    /// assert!(!want.matches(&"linux/arm/v6".parse().unwrap()));
    /// ```
    pub fn matches(&self, candidate: &Platform) -> bool {
        matcher::quality(&self.normalized(), candidate).is_some()
    }

    /// The platform this program runs on, normalised (`linux/amd64`,
    /// `linux/arm64/v8`, `darwin/arm64/v8`, ...).
    ///
    /// ```
    /// let host = tranship::Platform::host();
    /// assert_eq!(host.os, std::env::consts::OS.replace("macos", "darwin"));
    /// ```
    pub fn host() -> Platform {
        let text = format!("{}/{}", std::env::consts::OS, std::env::consts::ARCH);
        text.parse().unwrap_or_else(|_| Platform {
            os: std::env::consts::OS.to_string(),
            architecture: std::env::consts::ARCH.to_string(),
            ..Platform::default()
        })
    }

    /// The normalised fields and text of this platform.
    pub fn report(&self) -> PlatformReport {
        let n = self.normalized();
        let text = n.to_string();
        PlatformReport {
            os: n.os,
            architecture: n.architecture,
            variant: n.variant,
            os_version: n.os_version,
            text,
        }
    }
}

impl FromStr for Platform {
    type Err = Error;

    /// Parses `os[(os_version)]/arch[/variant]` and normalises it.
    ///
    /// Fails with `INVALID_PLATFORM`, naming the faulty part, on empty
    /// parts, a missing architecture, more than three parts, unbalanced
    /// parentheses, characters other than ASCII letters, digits, `_`, `.`
    /// and `-`, or text longer than 256 bytes.
    fn from_str(s: &str) -> Result<Self> {
        parse::parse(s)
    }
}

impl fmt::Display for Platform {
    /// Writes the normalised text `os[(os_version)]/arch[/variant]`, or
    /// `unknown` when the os is empty (as containerd's `FormatAll` does).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.normalized();
        if n.os.is_empty() {
            return f.write_str("unknown");
        }
        f.write_str(&n.os)?;
        if let Some(version) = &n.os_version {
            write!(f, "({version})")?;
        }
        if !n.architecture.is_empty() {
            write!(f, "/{}", n.architecture)?;
        }
        if let Some(variant) = &n.variant {
            write!(f, "/{variant}")?;
        }
        Ok(())
    }
}
