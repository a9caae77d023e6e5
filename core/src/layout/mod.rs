//! OCI image layouts (`oci:DIR[:NAME]`): a folder with `oci-layout`,
//! `index.json` and `blobs/<alg>/<hex>`, holding any number of images,
//! each named in `index.json` by its `org.opencontainers.image.ref.name`
//! annotation, blobs shared between them and stored once.
//!
//! - [`LayoutSource`] reads one image (or index) of a layout, or of an
//!   oci-archive once its tar has been indexed (see [`crate::archive`]).
//! - [`LayoutDestination`] writes one: blobs go straight to their final
//!   names (each written under a temporary name and renamed), then
//!   `index.json` is replaced atomically, last, so a reader sees the old
//!   layout or the new one, never a half-written image.
//!
//! Referrers are kept as registries without the referrers API keep them:
//! an index named `<alg>-<hex>` lists a subject's referrers, and cosign's
//! tags (`<alg>-<hex>.sig`, `.att`, `.sbom`) are entry names. Such
//! entries name no image: an address without a name passes over them.

mod files;
mod index_json;
mod writer;

pub use files::LayoutFiles;
pub use index_json::{IndexJson, REF_NAME};
pub use writer::LayoutDestination;

use std::path::Path;

use crate::descriptor::Descriptor;
use crate::digest::Digest;
use crate::error::{Error, Result};
use crate::image::referrers::{cosign_tags, schema_tag};
use crate::image::{BlobFile, BlobRef, BoxFuture, Growth, ImageSource, Referrer};
use crate::limits::Limits;
use crate::manifest::Manifest;
use crate::media_type::MediaType;

/// The text of the `oci-layout` file this crate writes.
pub const OCI_LAYOUT: &[u8] = br#"{"imageLayoutVersion":"1.0.0"}"#;

/// Whether a layout (or an oci-archive) stores manifests of this type as
/// they are: every kind but schema1, which other tools cannot read there.
pub fn holds(media_type: &MediaType) -> bool {
    !matches!(
        media_type,
        MediaType::DockerSchema1 | MediaType::DockerSchema1Signed
    )
}

/// One image (or index) of an OCI layout, read in place.
pub struct LayoutSource {
    files: LayoutFiles,
    entry: Descriptor,
    describe: String,
    limits: Limits,
}

impl LayoutSource {
    /// Opens the image named `name` in the layout whose files `files`
    /// gives (a folder or an indexed archive); with no name, the layout
    /// must hold exactly one image. Fails with `MANIFEST_UNKNOWN` naming
    /// the images it does hold.
    pub fn open(
        files: LayoutFiles,
        name: Option<&str>,
        describe: String,
        limits: Limits,
    ) -> Result<LayoutSource> {
        files.check_layout_version()?;
        let index = IndexJson::parse(&files.read("index.json", limits.max_manifest_bytes)?)?;
        let entry = index.select(name, &describe)?.clone();
        Ok(Self::from_entry(files, entry, describe, limits))
    }

    /// Reads the image that `entry` (an `index.json` entry) points to.
    pub fn from_entry(
        files: LayoutFiles,
        entry: Descriptor,
        describe: String,
        limits: Limits,
    ) -> LayoutSource {
        LayoutSource {
            files,
            entry,
            describe,
            limits,
        }
    }

    /// The `index.json` entry this source reads.
    pub fn entry(&self) -> &Descriptor {
        &self.entry
    }

    /// Reads and verifies the manifest blob `digest`, parsed with the
    /// media type the referring descriptor gave, if any.
    fn read_manifest(&self, digest: &Digest, media_type: Option<&str>) -> Result<Manifest> {
        let file = self
            .files
            .blob(digest)?
            .ok_or_else(|| Error::ManifestUnknown {
                message: format!("{} has no blob {digest}", self.describe),
            })?;
        let bytes = file.read_all(self.limits.max_manifest_bytes)?;
        let manifest = Manifest::parse(&bytes, media_type, &self.limits)?;
        let actual = manifest.digest_with(digest.algorithm());
        if &actual != digest {
            return Err(Error::DigestMismatch {
                expected: digest.clone(),
                actual,
            });
        }
        Ok(manifest)
    }
}

impl ImageSource for LayoutSource {
    fn describe(&self) -> String {
        self.describe.clone()
    }

    fn root(&self) -> BoxFuture<'_, Result<Manifest>> {
        let entry = self.entry.clone();
        Box::pin(async move { self.read_manifest(&entry.digest, Some(entry.media_type.as_str())) })
    }

    fn manifest<'a>(&'a self, digest: &'a Digest) -> BoxFuture<'a, Result<Manifest>> {
        Box::pin(async move { self.read_manifest(digest, None) })
    }

    fn local_blob(&self, blob: &BlobRef) -> Result<Option<BlobFile>> {
        self.files.blob(&blob.digest)
    }

    fn fetch_blob<'a>(
        &'a self,
        blob: &'a BlobRef,
        _path: &'a Path,
        _growth: &'a Growth,
    ) -> BoxFuture<'a, Result<u64>> {
        Box::pin(async move {
            Err(Error::BlobUnknown {
                message: format!("{} has no blob {}", self.describe, blob.digest),
            })
        })
    }

    fn referrers<'a>(&'a self, subject: &'a Digest) -> BoxFuture<'a, Result<Vec<Referrer>>> {
        Box::pin(async move {
            let index = IndexJson::parse(
                &self
                    .files
                    .read("index.json", self.limits.max_manifest_bytes)?,
            )?;
            let mut found = Vec::new();
            if let Some(entry) = index.named(&schema_tag(subject)) {
                let listed = self.read_manifest(&entry.digest, Some(entry.media_type.as_str()))?;
                for descriptor in listed
                    .as_index()
                    .map(|i| i.manifests.clone())
                    .unwrap_or_default()
                {
                    found.push(Referrer {
                        descriptor,
                        tag: None,
                    });
                }
            }
            for tag in cosign_tags(subject) {
                if let Some(entry) = index.named(&tag) {
                    let mut descriptor = entry.clone();
                    descriptor.annotations.clear();
                    found.push(Referrer {
                        descriptor,
                        tag: Some(tag),
                    });
                }
            }
            Ok(found)
        })
    }
}
