//! Conversion between manifest generations (rules in `docs/formats.md`).
//!
//! [`convert`] takes a manifest and [`ConvertOptions`] and returns a
//! [`Conversion`]: the new manifest's exact bytes, any config blob it
//! created, and a [`ConversionReport`] saying which digests changed and
//! what was lost on the way. Conversions are pure: they read blobs when
//! they need them but write nothing; store [`Conversion::config`] with
//! [`crate::blobs::BlobStore::write`].
//!
//! | from \ to | `v2s2` | `oci` |
//! |---|---|---|
//! | schema1 | upconversion | upconversion, then as schema 2 |
//! | schema 2 | unchanged | config bytes kept, or re-encoded |
//! | OCI manifest | images only; annotations lost | unchanged |
//! | Docker list | unchanged | `platform.features` lost |
//! | OCI index | a platform on every entry | unchanged |
//!
//! ```
//! use tranship::convert::{convert, ConvertOptions, Target};
//! use tranship::{manifest::Manifest, Limits};
//! let oci = br#"{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json",
//!   "config":{"mediaType":"application/vnd.oci.image.config.v1+json","size":2,
//!   "digest":"sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a"},
//!   "layers":[],"annotations":{"a":"b"}}"#;
//! let m = Manifest::parse(oci, None, &Limits::default())?;
//! let c = convert(&m, &ConvertOptions::new(Target::Schema2))?;
//! assert!(c.manifest.raw().starts_with(br#"{"schemaVersion":2,"mediaType":"application/vnd.docker"#));
//! assert_eq!(c.report.lost, ["annotations"]);
//! assert!(!c.report.config_changed());
//! # Ok::<(), tranship::Error>(())
//! ```

pub mod accept;
mod docker_oci;
mod go_manifest;
mod gotyped;
mod layer_info;
mod lists;
pub mod negotiate;
mod oci_config;
mod options;
mod report;
mod schema1_config;
pub mod schema1_down;
mod schema1_history;
mod schema1_up;
mod settings;
pub mod sign;
mod target;
mod v1_image;

pub use options::ConvertOptions;
pub use report::ConversionReport;
pub use settings::ConvertSettings;
pub use sign::{KeySource, Signing};
pub use target::Target;

use crate::digest::Digest;
use crate::error::{Error, Result};
use crate::manifest::{Manifest, ManifestKind};
use crate::media_type::MediaType;

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

/// Converts `manifest` to `opts.target`.
///
/// Converting to the format the manifest already has returns it
/// unchanged. Errors: `INVALID_MANIFEST` (a schema1 history that breaks
/// the rules in `docs/formats.md`), `BLOB_UNKNOWN` (a layer or config the
/// conversion needs is neither given nor in the blob store),
/// `DIGEST_MISMATCH` (a blob is not what its digest says), `CONVERSION`
/// (the target cannot express the source: zstd or encrypted layers in
/// Docker, an artifact, an index entry without a platform),
/// `UNSUPPORTED_MEDIA_TYPE` (a layer type with no equivalent),
/// `INVALID_JSON` (a config Go could not decode), `INVALID_LAYER`,
/// `LIMIT_EXCEEDED` and `IO` while reading layers.
pub fn convert(manifest: &Manifest, opts: &ConvertOptions) -> Result<Conversion> {
    if opts.target.keeps(manifest.format()) {
        return Ok(unchanged(manifest));
    }
    match (manifest.kind(), opts.target) {
        (_, Target::Schema1) => schema1_down::from_options(manifest, opts),
        (ManifestKind::Schema1(s1), target) => {
            let up = schema1_up::to_schema2(s1, opts)?;
            let mut lost = up.lost;
            let (text, config) = if target == Target::Oci {
                let schema2 = parse(&up.manifest, MediaType::DockerSchema2, opts)?;
                let image = schema2.as_image().ok_or_else(|| internal("schema 2"))?;
                let config = up.config.into_bytes();
                let oci =
                    docker_oci::to_oci(image, || Ok(config.clone()), opts.reencode_oci_config)?;
                lost.extend(oci.lost);
                (oci.manifest, oci.config.map_or(config, String::into_bytes))
            } else {
                (up.manifest, up.config.into_bytes())
            };
            finish(manifest, text, Some(config), lost, opts)
        }
        (ManifestKind::Image(image), Target::Oci) => {
            let c = docker_oci::to_oci(
                image,
                || opts.source_config(image),
                opts.reencode_oci_config,
            )?;
            finish(
                manifest,
                c.manifest,
                c.config.map(String::into_bytes),
                c.lost,
                opts,
            )
        }
        (ManifestKind::Image(image), Target::Schema2) => {
            let c = docker_oci::to_docker(image)?;
            finish(manifest, c.manifest, None, c.lost, opts)
        }
        (ManifestKind::Index(index), Target::Oci) => {
            let c = lists::to_oci(index)?;
            finish(manifest, c.manifest, None, c.lost, opts)
        }
        (ManifestKind::Index(index), Target::Schema2) => {
            let c = lists::to_docker(index)?;
            finish(manifest, c.manifest, None, c.lost, opts)
        }
    }
}

fn internal(what: &str) -> Error {
    Error::Conversion(format!(
        "internal error: the {what} result did not parse as expected"
    ))
}

fn parse(text: &str, media_type: MediaType, opts: &ConvertOptions) -> Result<Manifest> {
    Manifest::parse(text.as_bytes(), Some(media_type.as_str()), &opts.limits)
}

/// The config digest of an image manifest.
fn config_digest(m: &Manifest) -> Option<Digest> {
    m.as_image().map(|i| i.config.digest.clone())
}

fn unchanged(manifest: &Manifest) -> Conversion {
    let digest = manifest.digest();
    let config = config_digest(manifest);
    Conversion {
        manifest: manifest.clone(),
        config: None,
        report: ConversionReport {
            source_format: manifest.format(),
            source_digest: digest.clone(),
            result_format: manifest.format(),
            result_digest: digest,
            source_config_digest: config.clone(),
            result_config_digest: config,
            lost: Vec::new(),
        },
    }
}

fn finish(
    source: &Manifest,
    text: String,
    config: Option<Vec<u8>>,
    lost: Vec<String>,
    opts: &ConvertOptions,
) -> Result<Conversion> {
    let media_type = match opts.target {
        Target::Oci if source.as_index().is_some() => MediaType::OciIndex,
        Target::Oci => MediaType::OciManifest,
        _ if source.as_index().is_some() => MediaType::DockerManifestList,
        _ => MediaType::DockerSchema2,
    };
    let result = parse(&text, media_type, opts)?;
    Ok(Conversion {
        report: ConversionReport {
            source_format: source.format(),
            source_digest: source.digest(),
            result_format: result.format(),
            result_digest: result.digest(),
            source_config_digest: config_digest(source),
            result_config_digest: config_digest(&result),
            lost,
        },
        manifest: result,
        config,
    })
}
