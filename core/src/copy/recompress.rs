//! Layers written in another compression during a copy: which ones, the
//! recompression itself (through the layer codec: the source blob read
//! once, verified, decoded and encoded on every core), and the manifest
//! rewritten to name the new blobs (the config is unchanged: diff_ids do
//! not depend on compression).

use super::blobs::{local_copy, report, Staged};
use super::summary::RecompressedLayer;
use super::CopyOptions;
use crate::digest::Digest;
use crate::error::{Error, Result};
use crate::image::{blocking, image_blobs, BlobFile, BlobRef, ImageDestination, ImageSource};
use crate::layer::{codec, CompressOptions, Compression, LayerFormat};
use crate::manifest::{Manifest, ManifestFormat, ManifestKind};
use crate::media_type::MediaType;
use crate::progress::Phase;

/// The layers of one image to write in another compression, and how.
pub(super) struct Recompression {
    pub(super) options: CompressOptions,
    pub(super) layers: Vec<BlobRef>,
}

impl Recompression {
    /// Whether `digest` is one of the layers recompressed.
    pub(super) fn includes(&self, digest: &Digest) -> bool {
        self.layers.iter().any(|l| &l.digest == digest)
    }
}

/// Chooses the layers of `manifest` to recompress when it is written as
/// `written` (its own format, or the one it is converted to): with
/// `--compress`, every layer not yet in that compression; else, for a
/// destination that wants compressed layers (a registry), the plain
/// ones, in gzip, unless every digest is to be kept. Fails with
/// `CONVERSION` for zstd into a format that cannot carry it.
pub(super) fn choose(
    manifest: &Manifest,
    written: ManifestFormat,
    destination: &dyn ImageDestination,
    options: &CopyOptions,
) -> Result<Option<Recompression>> {
    let (compress, only_plain) = match options.compress {
        Some(compress) => (compress, false),
        None if destination.compresses_layers() && !options.preserve_digests => {
            (CompressOptions::default(), true)
        }
        None => return Ok(None),
    };
    let carries_zstd = matches!(written, ManifestFormat::OciManifest);
    if compress.format == LayerFormat::Zstd && !carries_zstd {
        return Err(Error::Conversion(format!(
            "a {written} manifest cannot carry zstd layers; add --format oci to write an OCI manifest"
        )));
    }
    let wanted = compress.format.compression();
    let schema1 = matches!(manifest.kind(), ManifestKind::Schema1(_));
    let layers: Vec<BlobRef> = image_blobs(manifest)
        .into_iter()
        .filter(|blob| {
            // schema1 names no media types: its layers are gzip.
            let now = match &blob.media_type {
                Some(media_type) => layer_compression(media_type),
                None if schema1 => Some(Compression::Gzip),
                None => None,
            };
            match now {
                Some(Compression::None) => true,
                Some(now) => !only_plain && now != wanted,
                None => false,
            }
        })
        .collect();
    Ok((!layers.is_empty()).then_some(Recompression {
        options: compress,
        layers,
    }))
}

/// The compression a layer of this media type has; `None` for what is
/// not an ordinary layer (foreign layers, artifacts' blobs), which a copy
/// never recompresses.
fn layer_compression(media_type: &MediaType) -> Option<Compression> {
    match media_type {
        MediaType::DockerLayer | MediaType::OciLayer => Some(Compression::None),
        MediaType::DockerLayerGzip | MediaType::OciLayerGzip => Some(Compression::Gzip),
        MediaType::OciLayerZstd => Some(Compression::Zstd),
        _ => None,
    }
}

/// Recompresses each chosen layer, one after the other (each uses every
/// core), and stores the new blobs at the destination.
pub(super) async fn recompress(
    source: &dyn ImageSource,
    destination: &dyn ImageDestination,
    chosen: &Recompression,
    options: &CopyOptions,
) -> Result<Vec<RecompressedLayer>> {
    let mut done = Vec::with_capacity(chosen.layers.len());
    for layer in &chosen.layers {
        done.push(recompress_one(source, destination, layer, chosen.options, options).await?);
    }
    Ok(done)
}

async fn recompress_one(
    source: &dyn ImageSource,
    destination: &dyn ImageDestination,
    layer: &BlobRef,
    compress: CompressOptions,
    options: &CopyOptions,
) -> Result<RecompressedLayer> {
    let (file, _staged) = local_copy(source, destination, layer).await?;
    let out = Staged::named(
        destination,
        &format!("{}-{}", compress.format, layer.digest.hex()),
    );
    let (path, name) = (out.0.clone(), layer.digest.to_string());
    let encoded =
        blocking(move || codec::recompress(file.open()?, &name, &path, &compress)).await?;
    if encoded.input != layer.digest {
        return Err(Error::DigestMismatch {
            expected: layer.digest.clone(),
            actual: encoded.input,
        });
    }
    let new = encoded.layer;
    let blob = BlobRef {
        digest: new.compressed.clone(),
        size: Some(new.compressed_size),
        media_type: None,
    };
    report(options, &blob, Phase::Started, 0, blob.size);
    destination
        .put_blob(
            &new.compressed,
            BlobFile::whole(&out.0, new.compressed_size),
            true,
        )
        .await?;
    report(
        options,
        &blob,
        Phase::Finished,
        new.compressed_size,
        blob.size,
    );
    Ok(RecompressedLayer {
        source: layer.digest.clone(),
        source_size: encoded.input_size,
        digest: new.compressed,
        size: new.compressed_size,
        diff_id: new.diff_id,
        compression: compress.format,
    })
}

/// `manifest` (an image manifest) naming the recompressed blobs in place
/// of the old ones: digest, size and media type.
pub(super) fn rename_layers(
    manifest: &Manifest,
    done: &[RecompressedLayer],
    options: &CopyOptions,
) -> Result<Manifest> {
    let mut image = manifest
        .as_image()
        .ok_or_else(|| {
            Error::Conversion("only an image manifest's layers are recompressed".into())
        })?
        .clone();
    let docker = manifest.format() == ManifestFormat::Schema2;
    for layer in &mut image.layers {
        if let Some(new) = done.iter().find(|d| d.source == layer.digest) {
            layer.digest = new.digest.clone();
            layer.size = new.size;
            layer.media_type = match (new.compression, docker) {
                (LayerFormat::Gzip, true) => MediaType::DockerLayerGzip,
                (LayerFormat::Gzip, false) => MediaType::OciLayerGzip,
                (LayerFormat::Zstd, _) => MediaType::OciLayerZstd,
            };
        }
    }
    super::rewritten(&image, manifest, &options.limits)
}
