//! A conversion's choices as plain values, as front ends collect them,
//! and the one place that parses and checks them.

use std::path::PathBuf;

use super::sign::{KeySource, Signing};
use super::ConvertOptions;
use crate::blobs::BlobStore;
use crate::digest::Digest;
use crate::error::{Error, Result};
use crate::limits::{LimitSettings, Limits};

/// A conversion's choices as plain values (see
/// [`ConvertOptions::from_settings`]); by default nothing but the
/// manifest is known, and a schema1 result is signed with a fresh key.
#[derive(Debug, Clone, Default)]
pub struct ConvertSettings {
    /// The format to convert to: `v2s1`, `v2s2` or `oci`.
    pub to: String,
    /// The source config blob.
    pub config: Option<Vec<u8>>,
    /// A blob store folder (`DIR/sha256/<hex>` or `DIR/blobs/sha256/<hex>`).
    pub blobs: Option<PathBuf>,
    /// Known diff_ids: `(layer blob digest, diff_id)`.
    pub diff_ids: Vec<(String, String)>,
    /// Known layer sizes: `(layer blob digest, size)`; signed, as several
    /// front ends' numbers are, and refused when negative.
    pub layer_sizes: Vec<(String, i64)>,
    /// Re-encode an OCI config as containers/image does.
    pub reencode_config: bool,
    /// schema1's `name`.
    pub name: Option<String>,
    /// schema1's `tag`.
    pub tag: Option<String>,
    /// Leave a schema1 result unsigned.
    pub unsigned: bool,
    /// Sign a schema1 result with this key (PEM or JWK).
    pub signing_key: Option<KeySource>,
    /// Caps for the documents read.
    pub limits: LimitSettings,
}

impl ConvertOptions {
    /// The options `settings` ask for, every value parsed and checked
    /// here so that each front end only passes them on. Fails with
    /// `INVALID_DIGEST` for a malformed digest, `INVALID_CONFIG` for a
    /// negative size or limit or a signing key given with `unsigned`,
    /// `INVALID_KEY` for an unreadable key and `IO` for a missing blob
    /// store.
    ///
    /// ```
    /// use tranship::convert::{ConvertOptions, ConvertSettings, Target};
    /// let blob = format!("sha256:{}", "a".repeat(64));
    /// let settings = ConvertSettings {
    ///     to: "oci".into(),
    ///     layer_sizes: vec![(blob.clone(), 32)],
    ///     ..ConvertSettings::default()
    /// };
    /// let opts = ConvertOptions::from_settings(&settings)?;
    /// assert_eq!(opts.target, Target::Oci);
    /// assert_eq!(opts.layer_sizes.values().next(), Some(&32));
    /// let negative = ConvertSettings { layer_sizes: vec![(blob, -1)], ..settings };
    /// let err = ConvertOptions::from_settings(&negative).unwrap_err();
    /// assert_eq!(err.code(), "INVALID_CONFIG");
    /// # Ok::<(), tranship::Error>(())
    /// ```
    pub fn from_settings(settings: &ConvertSettings) -> Result<ConvertOptions> {
        let mut opts = ConvertOptions::new(settings.to.parse()?);
        opts.limits = Limits::from_settings(&settings.limits)?;
        opts.reencode_oci_config = settings.reencode_config;
        opts.config = settings.config.clone();
        opts.blobs = settings.blobs.as_ref().map(BlobStore::open).transpose()?;
        for (blob, diff_id) in &settings.diff_ids {
            opts.diff_ids.insert(blob.parse()?, diff_id.parse()?);
        }
        for (blob, size) in &settings.layer_sizes {
            let blob: Digest = blob.parse()?;
            let size = u64::try_from(*size).map_err(|_| {
                Error::InvalidConfig(format!(
                    "layer_sizes: the size of {blob} must be 0 or more, found {size}"
                ))
            })?;
            opts.layer_sizes.insert(blob, size);
        }
        opts.name = settings.name.clone();
        opts.tag = settings.tag.clone();
        opts.signing = Signing::choose(settings.signing_key.as_ref(), settings.unsigned)?;
        Ok(opts)
    }
}
