//! `parsePlatform` and `platformMatches`.

use crate::error::TranshipError;

/// A normalised platform, `os[(osVersion)]/arch[/variant]`.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Platform {
    /// Operating system, e.g. `linux`.
    pub os: String,
    /// CPU architecture, e.g. `arm64`.
    pub architecture: String,
    /// CPU variant, e.g. `v8`.
    pub variant: Option<String>,
    /// Operating system version, e.g. `10.0.17763`.
    pub os_version: Option<String>,
    /// The normalised text, e.g. `linux/arm64/v8`.
    pub text: String,
}

/// Parses and normalises `os[(osVersion)]/arch[/variant]`; fails with
/// code `INVALID_PLATFORM`.
#[uniffi::export]
pub fn parse_platform(text: String) -> Result<Platform, TranshipError> {
    let r = text.parse::<tranship::Platform>()?.report();
    Ok(Platform {
        os: r.os,
        architecture: r.architecture,
        variant: r.variant,
        os_version: r.os_version,
        text: r.text,
    })
}

/// Whether the platform on offer (`have`) satisfies the one asked for
/// (`want`); fails with code `INVALID_PLATFORM`.
#[uniffi::export]
pub fn platform_matches(want: String, have: String) -> Result<bool, TranshipError> {
    let want: tranship::Platform = want.parse()?;
    Ok(want.matches(&have.parse()?))
}
