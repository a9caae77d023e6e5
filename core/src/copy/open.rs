//! From two addresses to an opened source and destination.

use super::{copy_image, CopyOptions, CopySummary};
use crate::convert::Signing;
use crate::error::{Error, Result};
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
        if o.format == Some(crate::convert::Target::Schema1) {
            o.signing = Signing::choose(settings.signing_key.as_deref(), settings.unsigned)?;
        } else if settings.signing_key.is_some() || settings.unsigned {
            return Err(Error::InvalidConfig(
                "signing applies only to a conversion to schema1 (format v2s1)".into(),
            ));
        }
        request.archive_tags()?;
        Ok(request)
    }

    /// The tags a docker-archive destination names the image with: the
    /// address's own, else the source reference's tag (kept when the
    /// source also gives a digest), then the additional tags.
    pub fn archive_tags(&self) -> Result<Vec<Reference>> {
        let mut tags = Vec::new();
        match (&self.destination, &self.source) {
            (
                Address::DockerArchive {
                    image: ArchiveImage::Tagged(r),
                    ..
                },
                _,
            ) => tags.push(r.clone()),
            (_, Address::Registry(r)) => tags.extend(r.tagged()),
            _ => {}
        }
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
        Ok(tags)
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
}

/// Copies the image `request.source` names to `request.destination`;
/// registries are reached through `client`. Nothing is named at the
/// destination unless the whole copy succeeds.
pub async fn copy(request: &CopyRequest, client: &Client) -> Result<CopySummary> {
    let progress = request.options.progress.clone();
    let limits = request.options.limits;
    let source = open_source(&request.source, client, limits, progress.clone())?;
    let tags = request.archive_tags()?;
    let mount_from = match &request.source {
        Address::Registry(r) => vec![r.clone()],
        _ => Vec::new(),
    };
    let naming = Naming {
        tags,
        mount_from,
        legacy: request.options.legacy,
    };
    let (destination, schema1_name) =
        open_destination(&request.destination, client, &naming, progress)?;
    copy_image(
        source.as_ref(),
        destination.as_ref(),
        &request.options,
        schema1_name,
    )
    .await
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
