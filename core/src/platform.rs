//! Platforms: `os[(os_version)]/arch[/variant]`, normalised and matched
//! as containerd does (SPEC section 8).

use serde::{Deserialize, Serialize};

/// The platform of an image, as found in index entries and image configs.
///
/// Field order follows the OCI image spec's Go struct, so serialising a
/// parsed platform gives the same key order.
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
