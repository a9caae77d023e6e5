//! What a conversion may use besides the manifest: the config, blobs,
//! known diff_ids and sizes, and the choices the caller makes.

use std::collections::BTreeMap;
use std::sync::Arc;

use super::sign::{Schema1Key, Signing};
use super::Target;
use crate::blobs::BlobStore;
use crate::digest::Digest;
use crate::error::{Error, Result};
use crate::layer::{DiffIdCache, DiffIdOptions};
use crate::limits::Limits;
use crate::manifest::ImageManifest;

/// Everything [`super::convert`] needs besides the manifest.
///
/// ```
/// use tranship::convert::{ConvertOptions, Target};
/// let opts = ConvertOptions::new(Target::Oci).with_reencode_oci_config(true);
/// assert!(opts.reencode_oci_config && opts.blobs.is_none());
/// ```
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct ConvertOptions {
    /// The format to convert to.
    pub target: Target,
    /// The source image's config blob, when the caller has it (otherwise
    /// it is read from [`ConvertOptions::blobs`] when needed). Checked
    /// against the manifest's config digest.
    pub config: Option<Vec<u8>>,
    /// Where layer blobs (and the config) are read from.
    pub blobs: Option<BlobStore>,
    /// diff_ids the caller already knows, by layer blob digest; they are
    /// trusted, and spare decompressing the layer.
    pub diff_ids: BTreeMap<Digest, Digest>,
    /// Layer sizes the caller already knows, by blob digest (schema1
    /// records none; otherwise they come from the blob store).
    pub layer_sizes: BTreeMap<Digest, u64>,
    /// diff_ids computed earlier; new results are added to it.
    pub cache: Arc<DiffIdCache>,
    /// Bounds and parallelism for computing diff_ids.
    pub diff_id_options: DiffIdOptions,
    /// Docker to OCI: re-encode the config as containers/image does (an
    /// OCI image config without Docker's fields; the image ID changes)
    /// instead of keeping its bytes.
    pub reencode_oci_config: bool,
    /// Schema1 output: the repository path written in the manifest.
    pub name: Option<String>,
    /// Schema1 output: the tag written in the manifest.
    pub tag: Option<String>,
    /// Schema1 output: how to sign it (by default with a newly generated
    /// ES256 key).
    pub signing: Signing,
    /// Caps for the documents read and written.
    pub limits: Limits,
}

impl ConvertOptions {
    /// Options converting to `target`, with nothing else known.
    pub fn new(target: Target) -> Self {
        ConvertOptions {
            target,
            config: None,
            blobs: None,
            diff_ids: BTreeMap::new(),
            layer_sizes: BTreeMap::new(),
            cache: Arc::new(DiffIdCache::new()),
            diff_id_options: DiffIdOptions::default(),
            reencode_oci_config: false,
            name: None,
            tag: None,
            signing: Signing::Key(Schema1Key::generate()),
            limits: Limits::default(),
        }
    }

    /// Sets [`ConvertOptions::config`].
    pub fn with_config(mut self, config: Vec<u8>) -> Self {
        self.config = Some(config);
        self
    }

    /// Sets [`ConvertOptions::blobs`].
    pub fn with_blobs(mut self, blobs: BlobStore) -> Self {
        self.blobs = Some(blobs);
        self
    }

    /// Records a known diff_id for the layer blob `blob`.
    pub fn with_diff_id(mut self, blob: Digest, diff_id: Digest) -> Self {
        self.diff_ids.insert(blob, diff_id);
        self
    }

    /// Records the known size of the layer blob `blob`.
    pub fn with_layer_size(mut self, blob: Digest, size: u64) -> Self {
        self.layer_sizes.insert(blob, size);
        self
    }

    /// Sets [`ConvertOptions::reencode_oci_config`].
    pub fn with_reencode_oci_config(mut self, reencode: bool) -> Self {
        self.reencode_oci_config = reencode;
        self
    }

    /// Sets [`ConvertOptions::name`] and [`ConvertOptions::tag`].
    pub fn with_name_and_tag(mut self, name: impl Into<String>, tag: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self.tag = Some(tag.into());
        self
    }

    /// Sets [`ConvertOptions::signing`].
    pub fn with_signing(mut self, signing: Signing) -> Self {
        self.signing = signing;
        self
    }

    /// The config blob of `image`: [`ConvertOptions::config`] when given,
    /// else read from the blob store; verified against the descriptor.
    /// Fails with `BLOB_UNKNOWN` when neither has it, `DIGEST_MISMATCH`
    /// when the bytes are not that config.
    pub fn source_config(&self, image: &ImageManifest) -> Result<Vec<u8>> {
        let digest = &image.config.digest;
        if let Some(bytes) = &self.config {
            digest.verify(bytes)?;
            return Ok(bytes.clone());
        }
        match &self.blobs {
            Some(store) => store.read(digest, self.limits.max_config_bytes),
            None => Err(Error::BlobUnknown { message: format!(
                "the config {digest} is needed; give it (--config) or a blob store holding it (--blobs)"
            ) }),
        }
    }
}
