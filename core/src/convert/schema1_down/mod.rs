//! Docker schema 2 and OCI image manifests to schema 1 ("downconversion",
//! `docs/formats.md`), byte for byte as distribution v2.8 serves schema 1
//! to old clients (`manifest/schema1/config_builder.go`): the payload, with
//! signatures removed, has the digest distribution's registry sends as
//! `Docker-Content-Digest`.
//!
//! What schema 1 cannot express is refused with `CONVERSION` before
//! anything is written: zstd, encrypted and foreign layers, artifacts,
//! configs without `history` or `rootfs`, and layers that do not pair up
//! with `rootfs.diff_ids` and the non-empty history entries (distribution
//! silently drops extra layers; tranship does not lose layers).
//!
//! ```
//! use tranship::convert::schema1_down::to_schema1;
//! use tranship::convert::sign::Signing;
//! use tranship::manifest::Manifest;
//! let config = br#"{"architecture":"amd64","rootfs":{"type":"layers","diff_ids":[]},
//!   "history":[{"created":"2024-01-01T00:00:00Z","created_by":"CMD [\"sh\"]","empty_layer":true}]}"#;
//! let manifest = format!(r#"{{"schemaVersion":2,"mediaType":"application/vnd.docker.distribution.manifest.v2+json",
//!   "config":{{"mediaType":"application/vnd.docker.container.image.v1+json","size":{},"digest":"{}"}},"layers":[]}}"#,
//!   config.len(), tranship::Digest::sha256(config));
//! let m = Manifest::parse(manifest.as_bytes(), None, &Default::default()).unwrap();
//! let c = to_schema1(&m, config, "team/app", "v1", &Signing::Unsigned).unwrap();
//! assert_eq!(c.report.result_format.as_str(), "schema1");
//! assert!(std::str::from_utf8(c.manifest.raw()).unwrap().contains("\"name\": \"team/app\""));
//! ```

mod check;
mod config;
mod history;

use super::sign::{self, Signing};
use super::{Conversion, ConversionReport, ConvertOptions};
use crate::error::{Error, Result};
use crate::json::{indent_go, write_go_string, GoObject};
use crate::limits::Limits;
use crate::manifest::Manifest;
use crate::media_type::MediaType;

/// [`to_schema1`] with what [`ConvertOptions`] carries: the config (given,
/// or read from the blob store), the name, the tag and the signing.
pub(crate) fn from_options(manifest: &Manifest, opts: &ConvertOptions) -> Result<Conversion> {
    let image = check::convertible(manifest)?;
    let (Some(name), Some(tag)) = (&opts.name, &opts.tag) else {
        return Err(Error::Conversion(
            "converting to schema 1 needs a repository name and a tag (`--name`, `--tag`): \
             both are written into the manifest and change its digest"
                .into(),
        ));
    };
    let config = opts.source_config(image)?;
    to_schema1(manifest, &config, name, tag, &opts.signing)
}

/// Converts a Docker schema 2 or OCI image manifest to schema 1 for
/// repository `name` (its path, without a registry) and `tag`, given the
/// exact bytes of its config.
///
/// The result is signed with the key in `signing` (distribution always
/// signs; the `time` in the signature is now), or left unsigned. Its
/// [`Manifest::digest`] is the payload's digest, the one distribution
/// reports. When a history entry is `empty_layer`, the result refers to
/// the empty-gzip blob ([`crate::layer::EMPTY_LAYER_DIGEST`]), which must
/// then exist where the manifest is stored.
///
/// Errors: `CONVERSION` (see the [module documentation](self)),
/// `DIGEST_MISMATCH` when `config` is not the manifest's config,
/// `INVALID_REFERENCE` for a bad name or tag, `LIMIT_EXCEEDED` for an
/// oversized or too deeply nested config.
pub fn to_schema1(
    manifest: &Manifest,
    config: &[u8],
    name: &str,
    tag: &str,
    signing: &Signing,
) -> Result<Conversion> {
    crate::reference::check_repository(name)?;
    crate::reference::check_tag(tag)?;
    let image = check::convertible(manifest)?;
    image.config.digest.verify(config)?;
    let parsed = config::ImageConfig::parse(config, &Limits::default())?;
    let built = history::build(&parsed, &image.layers, config)?;
    let payload = payload(name, tag, &parsed.architecture, &built)?;
    let (bytes, media_type) = match signing {
        Signing::Unsigned => (payload.into_bytes(), MediaType::DockerSchema1),
        Signing::Key(key) => (
            sign::sign(payload.as_bytes(), key)?,
            MediaType::DockerSchema1Signed,
        ),
    };
    // What was built is trusted to parse; only the size limits are lifted.
    let unlimited = Limits {
        max_manifest_bytes: u64::MAX,
        max_layers: u64::MAX,
        ..Limits::default()
    };
    let result = Manifest::parse(&bytes, Some(media_type.as_str()), &unlimited)?;
    let report = ConversionReport {
        source_format: manifest.format(),
        source_digest: manifest.digest(),
        result_format: result.format(),
        result_digest: result.digest(),
        source_config_digest: Some(image.config.digest.clone()),
        result_config_digest: None,
        lost: check::lost(image),
    };
    Ok(Conversion {
        manifest: result,
        config: None,
        report,
    })
}

/// The schema1 manifest text before signing: distribution's `Manifest`
/// struct through `json.MarshalIndent(m, "", "   ")`.
fn payload(name: &str, tag: &str, architecture: &str, built: &history::Built) -> Result<String> {
    let mut fs_layers = String::from("[");
    let mut history = String::from("[");
    for (i, (blob_sum, v1)) in built
        .blob_sums
        .iter()
        .zip(&built.v1_compatibility)
        .enumerate()
    {
        if i > 0 {
            fs_layers.push(',');
            history.push(',');
        }
        fs_layers.push_str("{\"blobSum\":");
        write_go_string(&mut fs_layers, blob_sum);
        fs_layers.push('}');
        history.push_str("{\"v1Compatibility\":");
        write_go_string(&mut history, v1);
        history.push('}');
    }
    fs_layers.push(']');
    history.push(']');
    let mut m = GoObject::new();
    m.raw("schemaVersion", "1")?
        .string("name", name)
        .string("tag", tag)
        .string("architecture", architecture)
        .raw("fsLayers", &fs_layers)?
        .raw("history", &history)?;
    indent_go(&m.finish(), "   ")
}
