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
mod recompress;
mod referrers;
mod summary;

pub use open::{copy, copy_all, CopyRequest, CopySettings};
pub use options::{CopyOptions, DEFAULT_JOBS};
pub use summary::{BlobSummary, CopySummary, RecompressedLayer, ReferrerSummary};

use crate::convert::{convert, ConvertOptions, Target};
use crate::digest::Digest;
use crate::error::{Error, Result};
use crate::image::image_blobs;
use crate::image::{ImageDestination, ImageSource};
use crate::layer::EMPTY_LAYER_GZIP;
use crate::manifest::{Manifest, ManifestKind};
use crate::media_type::MediaType;
use blobs::{move_blobs, read_small, Moved};
use plan::{plan, Plan};

pub use crate::places::Schema1Name;

/// Copies what `source` names into `destination`.
///
/// Every manifest to copy is read before anything is written: a child
/// the source lacks (a sparse index) fails with `INCOMPLETE_INDEX`
/// naming each absent child, and with
/// [`CopyOptions::preserve_digests`] a copy that would change a digest
/// fails with `DIGESTS_NOT_PRESERVED`, both leaving the destination as
/// it was.
pub async fn copy_image(
    source: &dyn ImageSource,
    destination: &dyn ImageDestination,
    options: &CopyOptions,
    schema1_name: Schema1Name,
) -> Result<CopySummary> {
    let root = source.root().await?;
    let plan = plan(&root, destination.holds_indexes(), options)?;
    let chosen = resolve(source, &root, &plan).await?;
    let mut run = Run {
        source,
        destination,
        options,
        schema1_name,
        moved: Vec::new(),
        conversions: Vec::new(),
        recompressed: Vec::new(),
        manifests: Vec::new(),
        written: Vec::new(),
        brought: Vec::new(),
        warnings: Vec::new(),
    };
    if options.preserve_digests {
        run.refuse_changes(&root, &plan, &chosen)?;
    }
    let (written, sparse, stripped) = match &plan {
        Plan::Image { .. } => {
            let image = chosen.into_iter().next().unwrap_or_else(|| root.clone());
            (run.image(image).await?, Vec::new(), Vec::new())
        }
        Plan::Index { left, .. } => {
            let written = run.index(&root, chosen, left).await?;
            if options.strip_missing {
                (written, Vec::new(), left.clone())
            } else {
                (written, left.clone(), Vec::new())
            }
        }
    };
    if options.referrers {
        let written = std::mem::take(&mut run.written);
        run.referrers(&written).await?;
    }
    let destination_digest = match destination.commit(&written).await {
        Ok(digest) => digest,
        Err(e) if !sparse.is_empty() && refuses_children(&e) => {
            return Err(Error::IncompleteIndex {
                index: written.digest(),
                missing: sparse.iter().map(|d| child_text(&root, d)).collect(),
                reason: format!(
                    "{} refuses an index whose children it does not hold ({e}); \
                     copy every platform (all), or rewrite the index to the children \
                     copied (strip-missing; its digest changes)",
                    destination.describe()
                ),
            })
        }
        Err(e) => return Err(e),
    };
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
        sparse,
        stripped,
        referrers: run.brought,
        warnings: run.warnings,
        conversions: run.conversions,
        recompressed: run.recompressed,
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

/// Reads the image manifests `plan` copies: the root itself, or the
/// chosen children, failing with `INCOMPLETE_INDEX` naming every chosen
/// child the source lacks.
async fn resolve(source: &dyn ImageSource, root: &Manifest, plan: &Plan) -> Result<Vec<Manifest>> {
    let wanted: Vec<&Digest> = match plan {
        Plan::Image { manifest: None, .. } => return Ok(vec![root.clone()]),
        Plan::Image {
            manifest: Some(child),
            ..
        } => vec![child],
        Plan::Index { children, .. } => children.iter().collect(),
    };
    let mut found = Vec::with_capacity(wanted.len());
    let mut missing = Vec::new();
    for digest in wanted {
        match source.manifest(digest).await {
            Ok(child) => found.push(child),
            Err(Error::ManifestUnknown { .. } | Error::BlobUnknown { .. }) => {
                missing.push(child_text(root, digest));
            }
            Err(e) => return Err(e),
        }
    }
    if missing.is_empty() {
        Ok(found)
    } else {
        Err(Error::IncompleteIndex {
            index: root.digest(),
            missing,
            reason: format!(
                "{} does not hold them (a sparse index); copy the platforms it holds",
                source.describe()
            ),
        })
    }
}

/// `document` (an edited copy of `like`) as a manifest of `like`'s media
/// type: serialised compact, parsed back.
fn rewritten(
    document: &impl serde::Serialize,
    like: &Manifest,
    limits: &crate::limits::Limits,
) -> Result<Manifest> {
    let bytes = serde_json::to_vec(document)
        .map_err(|e| Error::Conversion(format!("writing the {}: {e}", like.format())))?;
    Manifest::parse(&bytes, Some(like.media_type().as_str()), limits)
}

/// `digest (platform)` for a child of `index`, as errors name it.
fn child_text(index: &Manifest, digest: &Digest) -> String {
    let platform = index
        .as_index()
        .and_then(|i| i.manifests.iter().find(|d| &d.digest == digest))
        .and_then(|d| d.platform.as_ref());
    match platform {
        Some(p) => format!("{digest} ({p})"),
        None => digest.to_string(),
    }
}

/// Whether a destination's refusal of an index is about children it
/// lacks: distribution answers `MANIFEST_BLOB_UNKNOWN`, others
/// `MANIFEST_INVALID` or an unknown-content code.
fn refuses_children(e: &Error) -> bool {
    match e {
        Error::Registry { registry_code, .. } => {
            matches!(
                registry_code.as_str(),
                "MANIFEST_BLOB_UNKNOWN" | "MANIFEST_INVALID"
            )
        }
        Error::ManifestUnknown { .. } | Error::BlobUnknown { .. } => true,
        _ => false,
    }
}

/// One copy in progress.
struct Run<'a> {
    source: &'a dyn ImageSource,
    destination: &'a dyn ImageDestination,
    options: &'a CopyOptions,
    schema1_name: Schema1Name,
    moved: Vec<Moved>,
    conversions: Vec<crate::convert::ConversionReport>,
    recompressed: Vec<RecompressedLayer>,
    manifests: Vec<Digest>,
    /// Every manifest written: its source digest and the digest written.
    written: Vec<(Digest, Digest)>,
    /// The referrers copied.
    brought: Vec<ReferrerSummary>,
    /// What was left behind, and why.
    warnings: Vec<String>,
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
        let recompression = self.recompression(&manifest, target)?;
        let blobs: Vec<_> = image_blobs(&manifest)
            .into_iter()
            .filter(|b| {
                !recompression
                    .as_ref()
                    .is_some_and(|r| r.includes(&b.digest))
            })
            .collect();
        let mut moved = move_blobs(
            self.source,
            self.destination,
            &blobs,
            upconvert,
            self.options,
        )
        .await?;
        let recompressed = match &recompression {
            Some(chosen) => {
                recompress::recompress(self.source, self.destination, chosen, self.options).await?
            }
            None => Vec::new(),
        };
        moved.extend(recompressed.iter().map(|r| Moved {
            digest: r.digest.clone(),
            size: r.size,
            outcome: crate::image::BlobOutcome::Copied,
            diff_id: Some(r.diff_id.clone()),
        }));
        let Some(target) = target else {
            self.moved.extend(moved);
            let written = if recompressed.is_empty() {
                manifest.clone()
            } else {
                recompress::rename_layers(&manifest, &recompressed, self.options)?
            };
            self.recompressed.extend(recompressed);
            self.written.push((manifest.digest(), written.digest()));
            return Ok(written);
        };
        let mut opts = ConvertOptions::new(target).with_signing(self.options.signing.clone());
        opts.limits = self.options.limits;
        for m in &moved {
            opts = opts.with_layer_size(m.digest.clone(), m.size);
            if let Some(diff_id) = &m.diff_id {
                opts = opts.with_diff_id(m.digest.clone(), diff_id.clone());
            }
        }
        // The source's layers, as the conversion names them.
        for r in &recompressed {
            opts = opts
                .with_layer_size(r.source.clone(), r.source_size)
                .with_diff_id(r.source.clone(), r.diff_id.clone());
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
        let mut conversion = convert(&manifest, &opts)?;
        if !recompressed.is_empty() {
            conversion.manifest =
                recompress::rename_layers(&conversion.manifest, &recompressed, self.options)?;
            conversion.report.result_digest = conversion.manifest.digest();
        }
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
        self.recompressed.extend(recompressed);
        self.conversions.push(conversion.report);
        self.written
            .push((manifest.digest(), conversion.manifest.digest()));
        Ok(conversion.manifest)
    }

    /// The layers of `manifest` to write in another compression, when it
    /// is written as `target` says.
    fn recompression(
        &self,
        manifest: &Manifest,
        target: Option<Target>,
    ) -> Result<Option<recompress::Recompression>> {
        let written = match target {
            None => manifest.format(),
            Some(Target::Schema1) => crate::manifest::ManifestFormat::Schema1Signed,
            Some(Target::Schema2) => crate::manifest::ManifestFormat::Schema2,
            Some(Target::Oci) => crate::manifest::ManifestFormat::OciManifest,
        };
        recompress::choose(manifest, written, self.destination, self.options)
    }

    /// Refuses, before anything is written, a copy that would change a
    /// digest: each reason is named.
    fn refuse_changes(&self, root: &Manifest, plan: &Plan, chosen: &[Manifest]) -> Result<()> {
        let mut why = Vec::new();
        for image in chosen {
            let target = self.target(image);
            if let Some(chosen) = self.recompression(image, target)? {
                why.push(format!(
                    "{} would have {} recompressed to {}",
                    image.digest(),
                    crate::error::layers(chosen.layers.len()),
                    chosen.options.format
                ));
            }
            if let Some(target) = target {
                if !target.keeps(image.format()) {
                    why.push(format!(
                        "{} ({}) would be converted to {target}",
                        image.digest(),
                        image.format()
                    ));
                }
            }
        }
        if let Plan::Index { left, .. } = plan {
            if let Some(target) = self.options.format.filter(|t| !t.keeps(root.format())) {
                why.push(format!(
                    "the index {} ({}) would be converted to {target}",
                    root.digest(),
                    root.format()
                ));
            } else if !why.is_empty() {
                why.push(format!(
                    "the index {} would be rewritten to name the converted children",
                    root.digest()
                ));
            }
            if self.options.strip_missing && !left.is_empty() {
                why.push(format!(
                    "the index {} would be rewritten without {} (strip-missing)",
                    root.digest(),
                    crate::error::children(left.len())
                ));
            }
        }
        if why.is_empty() {
            Ok(())
        } else {
            Err(Error::DigestsNotPreserved(why.join("; ")))
        }
    }

    /// Copies the chosen children of an index, then returns the index to
    /// write: its own bytes when nothing in it changes, else rewritten to
    /// point at the converted children and, with strip-missing, to name
    /// only the children copied (`left` are those not copied).
    async fn index(
        &mut self,
        root: &Manifest,
        children: Vec<Manifest>,
        left: &[Digest],
    ) -> Result<Manifest> {
        let mut replaced = Vec::new();
        for child in children {
            let digest = child.digest();
            let written = self.image(child).await?;
            self.destination.put_manifest(&written).await?;
            self.manifests.push(written.digest());
            if written.digest() != digest {
                replaced.push((digest, written));
            }
        }
        let strip = self.options.strip_missing && !left.is_empty();
        let conversion = match self.options.format {
            Some(target) => {
                let mut opts = ConvertOptions::new(target);
                opts.limits = self.options.limits;
                Some(convert(root, &opts)?)
            }
            None => None,
        };
        let converted = conversion
            .as_ref()
            .is_some_and(|c| c.report.result_digest != c.report.source_digest);
        if replaced.is_empty() && !strip && !converted {
            self.written.push((root.digest(), root.digest()));
            return Ok(root.clone());
        }
        let base = conversion.as_ref().map_or(root, |c| &c.manifest);
        let mut index = base
            .as_index()
            .ok_or_else(|| Error::Conversion("an index converted to a non-index".into()))?
            .clone();
        if strip {
            index
                .manifests
                .retain(|entry| !left.contains(&entry.digest));
        }
        for entry in &mut index.manifests {
            if let Some((_, new)) = replaced.iter().find(|(old, _)| old == &entry.digest) {
                entry.digest = new.digest();
                entry.size = new.raw().len() as u64;
                entry.media_type = new.media_type().clone();
            }
        }
        let rewritten = rewritten(&index, base, &self.options.limits)?;
        if let Some(conversion) = conversion.filter(|_| !replaced.is_empty() || converted) {
            let mut report = conversion.report;
            report.result_digest = rewritten.digest();
            self.conversions.push(report);
        }
        self.written.push((root.digest(), rewritten.digest()));
        Ok(rewritten)
    }
}
