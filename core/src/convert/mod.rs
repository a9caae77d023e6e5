//! Conversion between manifest generations (SPEC sections 3 to 6).
//!
//! Every conversion returns a [`Conversion`]: the new manifest's exact
//! bytes, any config blob it created, and a [`ConversionReport`] saying
//! which digests changed and what was lost on the way.

mod report;
mod target;

pub use report::ConversionReport;
pub use target::Target;

use crate::manifest::Manifest;

/// The outcome of a conversion.
#[derive(Debug, Clone)]
pub struct Conversion {
    /// The converted manifest, as it would be stored or pushed.
    pub manifest: Manifest,
    /// A config blob the conversion created (e.g. schema1 to schema2),
    /// which must be stored beside the manifest; `None` when the config is
    /// unchanged or the target has none.
    pub config: Option<Vec<u8>>,
    /// Which digests changed and what was lost.
    pub report: ConversionReport,
}
