//! What a conversion changed and what it lost.

use serde::Serialize;

use crate::digest::Digest;
use crate::manifest::ManifestFormat;

/// The report every conversion returns. Registries such as Pulp show it
/// to say which digest changed; the CLI prints it on standard error.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ConversionReport {
    /// Format of the manifest converted.
    pub source_format: ManifestFormat,
    /// Digest of the manifest converted.
    pub source_digest: Digest,
    /// Format of the result.
    pub result_format: ManifestFormat,
    /// Digest of the result (for signed schema1, of its payload).
    pub result_digest: Digest,
    /// Config digest before, when the source has a config.
    pub source_config_digest: Option<Digest>,
    /// Config digest after, when the result has a config.
    pub result_config_digest: Option<Digest>,
    /// What the result cannot carry, one short phrase each
    /// (e.g. `annotations`, `layer sizes`, `config digest`).
    pub lost: Vec<String>,
}

impl ConversionReport {
    /// True when the manifest digest changed (it almost always does).
    pub fn digest_changed(&self) -> bool {
        self.source_digest != self.result_digest
    }

    /// True when the image ID (config digest) changed or was lost.
    pub fn config_changed(&self) -> bool {
        self.source_config_digest != self.result_config_digest
    }
}
