//! Bringing what refers to the images a copy writes: signatures,
//! attestations and SBOMs found by the referrers API, its tag schema or
//! cosign's tags (see [`crate::image::referrers`]). They are copied as
//! they are, never converted: a signature covers exact bytes, so the
//! referrers of an image the copy converted are left behind, with a
//! warning saying so.

use super::blobs::move_blobs;
use super::summary::ReferrerSummary;
use super::Run;
use crate::digest::Digest;
use crate::error::{Error, Result};
use crate::image::{image_blobs, Referrer};
use crate::manifest::Manifest;

impl Run<'_> {
    /// Copies the referrers of every image written, each `(source digest,
    /// digest written)`; those of an image whose digest changed are not
    /// copied.
    pub(super) async fn referrers(&mut self, written: &[(Digest, Digest)]) -> Result<()> {
        for (subject, now) in written {
            let found = match self.source.referrers(subject).await {
                Ok(found) => found,
                Err(e) => {
                    self.warnings.push(format!(
                        "the referrers of {subject} could not be listed, none copied: {e}"
                    ));
                    continue;
                }
            };
            if found.is_empty() {
                continue;
            }
            if subject != now {
                self.warnings.push(format!(
                    "{} referrer(s) of {subject} (signatures, attestations) not copied: \
                     the copy wrote it as {now}, which they do not cover",
                    found.len()
                ));
                continue;
            }
            if !self.destination.holds_referrers() {
                self.warnings.push(format!(
                    "{} referrer(s) of {subject} not copied: {} cannot hold them",
                    found.len(),
                    self.destination.describe()
                ));
                continue;
            }
            for referrer in found {
                self.referrer(subject, &referrer).await?;
            }
        }
        Ok(())
    }

    /// Copies one referrer: its blobs (and an index's children), then the
    /// referrer itself, where the destination keeps referrers.
    async fn referrer(&mut self, subject: &Digest, referrer: &Referrer) -> Result<()> {
        let digest = &referrer.descriptor.digest;
        if self
            .brought
            .iter()
            .any(|b| &b.digest == digest && &b.subject == subject)
        {
            return Ok(());
        }
        let manifest = match self.source.manifest(digest).await {
            Ok(m) => m,
            Err(Error::ManifestUnknown { .. }) => {
                self.warnings.push(format!(
                    "the referrer {digest} of {subject} is listed but not there: not copied"
                ));
                return Ok(());
            }
            Err(e) => return Err(e),
        };
        if let Some(index) = manifest.as_index() {
            for child in &index.manifests {
                let child = self.source.manifest(&child.digest).await?;
                self.move_as_is(&child).await?;
                self.destination.put_manifest(&child).await?;
            }
        } else {
            self.move_as_is(&manifest).await?;
        }
        if let Err(e) = self
            .destination
            .put_referrer(subject, referrer, &manifest)
            .await
        {
            self.warnings.push(format!(
                "the referrer {digest} of {subject} could not be written: {e}"
            ));
            return Ok(());
        }
        self.brought.push(ReferrerSummary {
            subject: subject.clone(),
            digest: digest.clone(),
            artifact_type: referrer
                .descriptor
                .artifact_type
                .clone()
                .or_else(|| artifact_type(&manifest)),
            tag: referrer.tag.clone(),
        });
        Ok(())
    }

    /// Moves an image manifest's blobs, unconverted.
    async fn move_as_is(&mut self, manifest: &Manifest) -> Result<()> {
        let blobs = image_blobs(manifest);
        let moved = move_blobs(self.source, self.destination, &blobs, false, self.options).await?;
        for m in moved {
            if !self.moved.iter().any(|have| have.digest == m.digest) {
                self.moved.push(m);
            }
        }
        Ok(())
    }
}

/// The artifact type a manifest declares, if any.
fn artifact_type(manifest: &Manifest) -> Option<String> {
    match (manifest.as_image(), manifest.as_index()) {
        (Some(image), _) => image.artifact_type.clone(),
        (_, Some(index)) => index.artifact_type.clone(),
        _ => None,
    }
}
