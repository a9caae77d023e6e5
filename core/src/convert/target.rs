//! The manifest format a conversion produces.

use std::fmt;
use std::str::FromStr;

use crate::error::{Error, Result};
use crate::manifest::ManifestFormat;

/// What to convert to, named as skopeo's `--format` names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Target {
    /// Docker schema 1 (`v2s1`), signed unless asked otherwise.
    Schema1,
    /// Docker schema 2 (`v2s2`); lists become Docker manifest lists.
    Schema2,
    /// OCI (`oci`); lists become OCI indexes.
    Oci,
}

impl Target {
    /// The name on the command line: `v2s1`, `v2s2` or `oci`.
    pub fn as_str(self) -> &'static str {
        match self {
            Target::Schema1 => "v2s1",
            Target::Schema2 => "v2s2",
            Target::Oci => "oci",
        }
    }

    /// True when a manifest of `format` is already of this target, so
    /// converting returns it unchanged (same bytes, same digest).
    pub fn keeps(self, format: ManifestFormat) -> bool {
        use ManifestFormat as F;
        matches!(
            (self, format),
            (Target::Schema1, F::Schema1 | F::Schema1Signed)
                | (Target::Schema2, F::Schema2 | F::DockerList)
                | (Target::Oci, F::OciManifest | F::OciIndex)
        )
    }
}

impl fmt::Display for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Target {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self> {
        match s {
            "v2s1" => Ok(Target::Schema1),
            "v2s2" => Ok(Target::Schema2),
            "oci" => Ok(Target::Oci),
            other => Err(Error::UnsupportedMediaType(format!(
                "unknown conversion target `{other}`; expected `v2s1`, `v2s2` or `oci`"
            ))),
        }
    }
}
