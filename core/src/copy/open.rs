//! From two addresses to an opened source and destination.

use super::{copy_image, CopyOptions, CopySummary};
use crate::convert::{KeySource, Signing};
use crate::error::{Error, Result};
use crate::layer::{CompressOptions, CompressSettings};
use crate::places::{open_destination, open_source, Naming};
use crate::reference::Reference;
use crate::registry::Client;
use crate::transport::{Address, ArchiveImage};

/// One copy: where from, where to, and how.
///
/// ```
/// use tranship::copy::CopyRequest;
/// let request = CopyRequest::new("oci:/tmp/layout:app", "docker-archive:/tmp/app.tar:app:v1")?;
/// assert_eq!(request.source.transport(), "oci");
/// assert_eq!(request.options.jobs, tranship::copy::DEFAULT_JOBS);
/// # Ok::<(), tranship::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct CopyRequest {
    /// Where the image is read from.
    pub source: Address,
    /// Where it is written to.
    pub destination: Address,
    /// More images for the same docker-archive, written after `source`
    /// (see [`copy_all`]); their blobs are stored once.
    pub additional_sources: Vec<Address>,
    /// The choices.
    pub options: CopyOptions,
}

impl CopyRequest {
    /// A copy between two addresses (see [`crate::transport`]) with the
    /// default options. Fails with `INVALID_ADDRESS` or
    /// `INVALID_REFERENCE` when either cannot be parsed.
    pub fn new(source: &str, destination: &str) -> Result<CopyRequest> {
        let destination: Address = destination.parse()?;
        if let Address::DockerArchive {
            image: ArchiveImage::Index(_),
            ..
        } = destination
        {
            return Err(Error::InvalidAddress {
                input: destination.to_string(),
                reason: "@INDEX picks an image to read; a destination is named by tag".into(),
            });
        }
        Ok(CopyRequest {
            source: source.parse()?,
            destination,
            additional_sources: Vec::new(),
            options: CopyOptions::default(),
        })
    }

    /// A copy from the plain values a front end collects: every choice
    /// parsed and checked here, so each binding only passes them on.
    ///
    /// ```
    /// use tranship::copy::{CopyRequest, CopySettings};
    /// let settings = CopySettings {
    ///     platforms: vec!["linux/arm64".into()],
    ///     format: Some("oci".into()),
    ///     ..CopySettings::default()
    /// };
    /// let r = CopyRequest::from_settings("alpine", "oci:/tmp/l", &settings)?;
    /// assert_eq!(r.options.platforms[0].to_string(), "linux/arm64");
    /// let bad = CopySettings { jobs: Some(0), ..CopySettings::default() };
    /// assert_eq!(CopyRequest::from_settings("a", "b", &bad).unwrap_err().code(), "INVALID_CONFIG");
    /// # Ok::<(), tranship::Error>(())
    /// ```
    pub fn from_settings(
        source: &str,
        destination: &str,
        settings: &CopySettings,
    ) -> Result<CopyRequest> {
        let mut request = CopyRequest::new(source, destination)?;
        let o = &mut request.options;
        o.platforms = settings
            .platforms
            .iter()
            .map(|p| p.parse())
            .collect::<Result<_>>()?;
        if settings.all && !o.platforms.is_empty() {
            return Err(Error::InvalidConfig(
                "`all` and `platforms` exclude each other: all copies every platform".into(),
            ));
        }
        o.all = settings.all;
        o.format = settings.format.as_deref().map(str::parse).transpose()?;
        if let Some(jobs) = settings.jobs {
            if jobs == 0 {
                return Err(Error::InvalidConfig("jobs must be at least 1".into()));
            }
            o.jobs = jobs;
        }
        o.additional_tags = settings.additional_tags.clone();
        if settings.legacy && !matches!(request.destination, Address::DockerArchive { .. }) {
            return Err(Error::InvalidConfig(
                "`legacy` applies only to a docker-archive destination".into(),
            ));
        }
        o.legacy = settings.legacy;
        o.strip_missing = settings.strip_missing;
        o.preserve_digests = settings.preserve_digests;
        o.referrers = settings.referrers.unwrap_or(true);
        if settings.compress_format.is_some() || settings.compress_level.is_some() {
            o.compress = Some(CompressOptions::from_settings(&CompressSettings {
                format: settings.compress_format.clone(),
                level: settings.compress_level,
                ..CompressSettings::default()
            })?);
        }
        if o.format == Some(crate::convert::Target::Schema1) {
            o.signing = Signing::choose(
                settings.signing_key.clone().map(KeySource::File).as_ref(),
                settings.unsigned,
            )?;
        } else if settings.signing_key.is_some() || settings.unsigned {
            return Err(Error::InvalidConfig(
                "signing applies only to a conversion to schema1 (format v2s1)".into(),
            ));
        }
        request.image_tags()?;
        Ok(request)
    }

    /// A copy of several sources into one docker-archive (see
    /// [`copy_all`]), the first source first; one source is an ordinary
    /// copy. Fails with `INVALID_CONFIG` when `sources` is empty or the
    /// destination cannot take several.
    ///
    /// ```
    /// use tranship::copy::{CopyRequest, CopySettings};
    /// let s = CopySettings::default();
    /// let r = CopyRequest::for_sources(&["alpine:3", "busybox:1"], "docker-archive:/tmp/two.tar", &s)?;
    /// assert_eq!(r.sources().count(), 2);
    /// let bad = CopyRequest::for_sources(&["alpine:3", "busybox:1"], "oci:/tmp/l", &s);
    /// assert_eq!(bad.unwrap_err().code(), "INVALID_CONFIG");
    /// # Ok::<(), tranship::Error>(())
    /// ```
    pub fn for_sources(
        sources: &[impl AsRef<str>],
        destination: &str,
        settings: &CopySettings,
    ) -> Result<CopyRequest> {
        let Some((first, rest)) = sources.split_first() else {
            return Err(Error::InvalidConfig(
                "a copy needs at least one source".into(),
            ));
        };
        let mut request = CopyRequest::from_settings(first.as_ref(), destination, settings)?;
        request.additional_sources = rest
            .iter()
            .map(|s| s.as_ref().parse())
            .collect::<Result<_>>()?;
        request.check_sources()?;
        request.image_tags()?;
        Ok(request)
    }

    /// Every source: `source`, then `additional_sources`.
    pub fn sources(&self) -> impl Iterator<Item = &Address> {
        std::iter::once(&self.source).chain(&self.additional_sources)
    }

    /// Several sources go into one docker-archive, each image named by
    /// its own source: the destination and `additional_tags` name none.
    fn check_sources(&self) -> Result<()> {
        if self.additional_sources.is_empty() {
            return Ok(());
        }
        let refuse = |why: &str| Err(Error::InvalidConfig(why.into()));
        match &self.destination {
            Address::DockerArchive {
                image: ArchiveImage::Unspecified,
                ..
            } => {}
            Address::DockerArchive { .. } => {
                return refuse(
                    "with several sources each image is named by its own source; \
                     the docker-archive address names none",
                )
            }
            _ => {
                return refuse(
                    "several sources go into one docker-archive; \
                     copy to other places one source at a time",
                )
            }
        }
        if !self.options.additional_tags.is_empty() {
            return refuse(
                "with several sources each image is named by its own source; \
                 additional tags would be ambiguous",
            );
        }
        Ok(())
    }

    /// The tags a docker-archive destination names each image with, in
    /// the order of [`CopyRequest::sources`]: the address's own, else the
    /// source's tag (a registry reference's, kept when it also gives a
    /// digest, or a docker-archive source's), then the additional tags.
    /// Fails with `INVALID_CONFIG` when two images would share a tag.
    pub fn image_tags(&self) -> Result<Vec<Vec<Reference>>> {
        let mut images: Vec<Vec<Reference>> = self.sources().map(source_tags).collect();
        if let Address::DockerArchive {
            image: ArchiveImage::Tagged(r),
            ..
        } = &self.destination
        {
            images[0] = vec![r.clone()];
        }
        let mut tags = std::mem::take(&mut images[0]);
        for text in &self.options.additional_tags {
            let r: Reference = text.parse()?;
            if r.digest().is_some() {
                return Err(Error::InvalidReference {
                    input: text.clone(),
                    reason: "an additional tag names an image by tag, without a digest".into(),
                });
            }
            if !tags.contains(&r) {
                tags.push(r);
            }
        }
        images[0] = tags;
        let mut seen: Vec<&Reference> = Vec::new();
        for tag in images.iter().flatten() {
            if seen.contains(&tag) {
                return Err(Error::InvalidConfig(format!(
                    "two images would both be named {tag} in the archive"
                )));
            }
            seen.push(tag);
        }
        Ok(images)
    }
}

/// The tags a source names its image by.
fn source_tags(source: &Address) -> Vec<Reference> {
    match source {
        Address::Registry(r) => r.tagged().into_iter().collect(),
        Address::DockerArchive {
            image: ArchiveImage::Tagged(r),
            ..
        } => vec![r.clone()],
        _ => Vec::new(),
    }
}

/// A copy's choices as plain values, as front ends collect them (see
/// [`CopyRequest::from_settings`]); the default copies what the
/// destination can hold with every digest kept.
#[derive(Debug, Clone, Default)]
pub struct CopySettings {
    /// Platforms to copy out of an index (`os/arch[/variant]`).
    pub platforms: Vec<String>,
    /// Copy every platform of an index.
    pub all: bool,
    /// Convert to `v2s1`, `v2s2` or `oci`.
    pub format: Option<String>,
    /// Blobs moved at once (default 4).
    pub jobs: Option<usize>,
    /// More `NAME:TAG`s for a docker-archive.
    pub additional_tags: Vec<String>,
    /// Add the pre-Docker 25 entries to a docker-archive.
    pub legacy: bool,
    /// Sign a schema1 result with this key file (PEM or JWK).
    pub signing_key: Option<std::path::PathBuf>,
    /// Leave a schema1 result unsigned.
    pub unsigned: bool,
    /// Rewrite an index to the children copied (see
    /// [`CopyOptions::strip_missing`]).
    pub strip_missing: bool,
    /// Fail before writing when a digest would change.
    pub preserve_digests: bool,
    /// Bring the artifacts that refer to what is copied (default: yes).
    pub referrers: Option<bool>,
    /// Write the layers in this compression: `gzip` or `zstd` (default
    /// gzip when only a level is given).
    pub compress_format: Option<String>,
    /// The level of that compression (gzip 1-9, zstd 1-19).
    pub compress_level: Option<i64>,
}

/// Copies the image `request.source` names to `request.destination`;
/// registries are reached through `client`. Nothing is named at the
/// destination unless the whole copy succeeds. A request with
/// `additional_sources` is refused (`INVALID_CONFIG`): [`copy_all`]
/// copies those.
pub async fn copy(request: &CopyRequest, client: &Client) -> Result<CopySummary> {
    if !request.additional_sources.is_empty() {
        return Err(Error::InvalidConfig(
            "a copy of several sources returns a summary for each: use copy_all".into(),
        ));
    }
    let mut summaries = copy_all(request, client).await?;
    summaries.pop().ok_or_else(|| {
        Error::io(
            "copying",
            std::io::Error::other("a copy returned no summary"),
        )
    })
}

/// Copies every source of `request` (`source`, then
/// `additional_sources`) into `request.destination`, one after the
/// other; blobs the images share are written once. Returns a summary per
/// image, in that order. The destination is named only when every image
/// was copied: a failure leaves no archive at its path.
pub async fn copy_all(request: &CopyRequest, client: &Client) -> Result<Vec<CopySummary>> {
    request.check_sources()?;
    let progress = request.options.progress.clone();
    let limits = request.options.limits;
    let sources = request
        .sources()
        .map(|address| open_source(address, client, limits, progress.clone()))
        .collect::<Result<Vec<_>>>()?;
    let naming = Naming {
        images: request.image_tags()?,
        mount_from: request
            .sources()
            .filter_map(|a| match a {
                Address::Registry(r) => Some(r.clone()),
                _ => None,
            })
            .collect(),
        legacy: request.options.legacy,
    };
    let (destination, schema1_name) =
        open_destination(&request.destination, client, &naming, progress)?;
    let mut summaries = Vec::with_capacity(sources.len());
    for source in &sources {
        let summary = copy_image(
            source.as_ref(),
            destination.as_ref(),
            &request.options,
            schema1_name.clone(),
        )
        .await?;
        summaries.push(summary);
    }
    Ok(summaries)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The bindings run a copy as a spawned task on a multi-thread
    /// runtime: its future must be `Send` (compiling is the test).
    #[allow(dead_code)]
    fn a_copy_can_be_spawned(request: CopyRequest, client: Client) {
        fn spawnable<F: std::future::Future + Send + 'static>(_: F) {}
        spawnable(async move { copy(&request, &client).await });
    }
}
