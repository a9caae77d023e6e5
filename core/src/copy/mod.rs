//! The transfer engine: resolve the source, choose platforms, convert
//! when asked, move blobs (in parallel, each verified, skipped when the
//! destination has it), write manifests children first and name the
//! image last.
//!
//! [`copy`] takes two addresses (see [`crate::transport`]); [`copy_image`]
//! takes an opened [`ImageSource`] and [`ImageDestination`].

mod blobs;
mod open;
mod options;
mod plan;
mod summary;

pub use open::{copy, copy_all, CopyRequest, CopySettings};
pub use options::{CopyOptions, DEFAULT_JOBS};
pub use summary::{BlobSummary, CopySummary};

use crate::convert::{convert, ConvertOptions, Target};
use crate::digest::Digest;
use crate::error::{Error, Result};
use crate::image::{ImageDestination, ImageSource};
use crate::layer::EMPTY_LAYER_GZIP;
use crate::manifest::{Manifest, ManifestKind};
use crate::media_type::MediaType;
use blobs::{image_blobs, move_blobs, read_small, Moved};
use plan::{plan, Plan};

pub use crate::places::Schema1Name;

/// Copies what `source` names into `destination`.
pub async fn copy_image(
    source: &dyn ImageSource,
    destination: &dyn ImageDestination,
    options: &CopyOptions,
    schema1_name: Schema1Name,
) -> Result<CopySummary> {
    let root = source.root().await?;
    let plan = plan(&root, destination.holds_indexes(), options)?;
    let mut run = Run {
        source,
        destination,
        options,
        schema1_name,
        moved: Vec::new(),
        conversions: Vec::new(),
        manifests: Vec::new(),
    };
    let written = match &plan {
        Plan::Image { manifest, .. } => {
            let image = match manifest {
                Some(child) => source.manifest(child).await?,
                None => root.clone(),
            };
            run.image(image).await?
        }
        Plan::Index { children, .. } => run.index(&root, children).await?,
    };
    let destination_digest = destination.commit(&written).await?;
    run.manifests.push(destination_digest.clone());
    let (platforms, platform_reason) = plan.describe();
    Ok(CopySummary {
        source: source.describe(),
        destination: destination.describe(),
        source_digest: root.digest(),
        destination_digest,
        media_type: written.media_type().to_string(),
        platforms,
        platform_reason,
        conversions: run.conversions,
        bytes_copied: run
            .moved
            .iter()
            .filter(|m| m.outcome == crate::image::BlobOutcome::Copied)
            .map(|m| m.size)
            .sum(),
        blobs: run
            .moved
            .iter()
            .map(|m| BlobSummary {
                digest: m.digest.clone(),
                size: m.size,
                outcome: m.outcome.as_str(),
            })
            .collect(),
        manifests: run.manifests,
    })
}

/// One copy in progress.
struct Run<'a> {
    source: &'a dyn ImageSource,
    destination: &'a dyn ImageDestination,
    options: &'a CopyOptions,
    schema1_name: Schema1Name,
    moved: Vec<Moved>,
    conversions: Vec<crate::convert::ConversionReport>,
    manifests: Vec<Digest>,
}

impl Run<'_> {
    /// The format `manifest` must be converted to, if any.
    fn target(&self, manifest: &Manifest) -> Option<Target> {
        if let Some(target) = self.options.format {
            return Some(target);
        }
        if self.destination.accepts(manifest.media_type()) {
            return None;
        }
        match manifest.kind() {
            ManifestKind::Schema1(_) if self.destination.accepts(&MediaType::OciManifest) => {
                Some(if self.destination.accepts(&MediaType::OciIndex) {
                    Target::Oci
                } else {
                    Target::Schema2
                })
            }
            _ => None,
        }
    }

    /// Moves one image's blobs and returns its manifest as it is to be
    /// written (converted when asked).
    async fn image(&mut self, manifest: Manifest) -> Result<Manifest> {
        if manifest.as_index().is_some() {
            return Err(Error::InvalidManifest(format!(
                "an index's child {} is itself an index; nested indexes are not copied",
                manifest.digest()
            )));
        }
        let target = self.target(&manifest);
        if target.is_none() && !self.destination.accepts(manifest.media_type()) {
            return Err(Error::Conversion(format!(
                "{} cannot hold a {} manifest; give --format",
                self.destination.describe(),
                manifest.format()
            )));
        }
        let upconvert = matches!(manifest.kind(), ManifestKind::Schema1(_))
            && matches!(target, Some(Target::Schema2 | Target::Oci));
        let blobs = image_blobs(&manifest);
        let moved = move_blobs(
            self.source,
            self.destination,
            &blobs,
            upconvert,
            self.options,
        )
        .await?;
        let Some(target) = target else {
            self.moved.extend(moved);
            return Ok(manifest);
        };
        let mut opts = ConvertOptions::new(target).with_signing(self.options.signing.clone());
        opts.limits = self.options.limits;
        for m in &moved {
            opts = opts.with_layer_size(m.digest.clone(), m.size);
            if let Some(diff_id) = &m.diff_id {
                opts = opts.with_diff_id(m.digest.clone(), diff_id.clone());
            }
        }
        if let Some(image) = manifest.as_image() {
            let limit = self.options.limits.max_config_bytes;
            let config = read_small(self.source, self.destination, &image.config, limit).await?;
            opts = opts.with_config(config);
        }
        if target == Target::Schema1 {
            let (name, tag) = self.schema1_name.clone().ok_or_else(|| {
                Error::Conversion(format!(
                    "a schema1 manifest names its repository and tag: copy to an address that has both, not {}",
                    self.destination.describe()
                ))
            })?;
            opts = opts.with_name_and_tag(name, tag);
        }
        let conversion = convert(&manifest, &opts)?;
        if let Some(config) = &conversion.config {
            let digest = Digest::sha256(config);
            self.destination
                .put_blob_bytes(&digest, config.clone())
                .await?;
        }
        if let Some(s1) = conversion.manifest.as_schema1() {
            let empty: Digest = crate::layer::EMPTY_LAYER_DIGEST
                .parse()
                .map_err(|_| Error::Conversion("the empty layer digest".into()))?;
            if s1.fs_layers.iter().any(|l| l.blob_sum == empty)
                && !moved.iter().any(|m| m.digest == empty)
            {
                self.destination
                    .put_blob_bytes(&empty, EMPTY_LAYER_GZIP.to_vec())
                    .await?;
            }
        }
        self.moved.extend(moved);
        self.conversions.push(conversion.report);
        Ok(conversion.manifest)
    }

    /// Copies the chosen children of an index, then returns the index to
    /// write: its own bytes when no child changed, else rewritten to
    /// point at the new children.
    async fn index(&mut self, root: &Manifest, children: &[Digest]) -> Result<Manifest> {
        let mut replaced = Vec::new();
        for digest in children {
            let child = self.source.manifest(digest).await?;
            let written = self.image(child).await?;
            self.destination.put_manifest(&written).await?;
            self.manifests.push(written.digest());
            if &written.digest() != digest {
                replaced.push((digest.clone(), written));
            }
        }
        let Some(target) = self.options.format else {
            return Ok(root.clone());
        };
        let mut opts = ConvertOptions::new(target);
        opts.limits = self.options.limits;
        let converted = convert(root, &opts)?;
        let index = converted
            .manifest
            .as_index()
            .ok_or_else(|| Error::Conversion("an index converted to a non-index".into()))?;
        let mut index = index.clone();
        for entry in &mut index.manifests {
            if let Some((_, new)) = replaced.iter().find(|(old, _)| old == &entry.digest) {
                entry.digest = new.digest();
                entry.size = new.raw().len() as u64;
                entry.media_type = new.media_type().clone();
            }
        }
        let bytes = serde_json::to_vec(&index)
            .map_err(|e| Error::Conversion(format!("writing the index: {e}")))?;
        let rewritten = Manifest::parse(
            &bytes,
            Some(converted.manifest.media_type().as_str()),
            &self.options.limits,
        )?;
        let mut report = converted.report;
        report.result_digest = rewritten.digest();
        self.conversions.push(report);
        Ok(rewritten)
    }
}
