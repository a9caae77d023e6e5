//! `parsePlatform` and `platformMatches`.

use napi_derive::napi;

use crate::error::{to_js, Result};

/// A normalised platform, `os[(osVersion)]/arch[/variant]`.
#[napi(object)]
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

fn parse(text: &str) -> Result<tranship::Platform> {
    text.parse().map_err(to_js)
}

/// Parses and normalises `os[(osVersion)]/arch[/variant]`; throws with
/// `code` `INVALID_PLATFORM`.
#[napi]
pub fn parse_platform(text: String) -> Result<Platform> {
    let r = parse(&text)?.report();
    Ok(Platform {
        os: r.os,
        architecture: r.architecture,
        variant: r.variant,
        os_version: r.os_version,
        text: r.text,
    })
}

/// Whether the platform on offer (`have`) satisfies the one asked for
/// (`want`); throws with `code` `INVALID_PLATFORM`.
#[napi]
pub fn platform_matches(want: String, have: String) -> Result<bool> {
    Ok(parse(&want)?.matches(&parse(&have)?))
}
