//! Layer blobs: compression detection, the codec that compresses and
//! decompresses them (see [`compress`]), and the diff_id pipeline.
//!
//! A layer's *diff_id* is the sha256 of its decompressed content; image
//! configs list them in `rootfs.diff_ids`, so converting a schema1 image
//! (which has none) means decompressing every layer. That is the slow part
//! of a conversion, so it is done here with care:
//!
//! - [`Compression::detect`] reads the magic bytes: gzip (concatenated
//!   members too, as Go's reader), zstd, bzip2, xz, else plain tar;
//! - [`diff_id`] streams one blob with constant memory, decompressing on
//!   the calling thread while a second thread hashes both the compressed
//!   and the decompressed bytes, so one pass yields both digests (the two
//!   sha256 streams go through the CPU's SHA unit side by side, which
//!   costs about two thirds of hashing them one after the other);
//! - [`diff_ids`] runs several layers at once, skips blobs already in a
//!   [`DiffIdCache`] and reads a blob listed twice only once;
//! - [`DiffIdOptions::max_uncompressed_bytes`] bounds what one layer may
//!   decompress to (decompression bombs fail with `LIMIT_EXCEEDED`).
//!
//! ```
//! use tranship::layer::{diff_id_file, DiffIdOptions};
//! # let dir = std::env::temp_dir().join(format!("tranship-doc-{}", std::process::id()));
//! # std::fs::create_dir_all(&dir).unwrap();
//! # let path = dir.join("layer.tar.gz");
//! # std::fs::write(&path, tranship::layer::EMPTY_LAYER_GZIP).unwrap();
//! let layer = diff_id_file(&path, &DiffIdOptions::default())?;
//! println!("{} -> {}", layer.compressed, layer.diff_id);
//! # std::fs::remove_dir_all(&dir).unwrap();
//! # Ok::<(), tranship::Error>(())
//! ```

mod batch;
mod cache;
pub(crate) mod codec;
mod compression;
mod diff_id;
mod empty;
mod hashing;
mod pipeline;
mod sha256_pair;

pub use batch::{diff_ids, LayerSource};
pub use cache::DiffIdCache;
pub use codec::{
    compress, compress_file, decompress_file, CompressOptions, CompressSettings, LayerFormat,
};
pub use compression::Compression;
pub use diff_id::{diff_id, diff_id_file, DiffIdOptions, LayerDigests};
pub use empty::{empty_layer, EMPTY_LAYER_DIFF_ID, EMPTY_LAYER_DIGEST, EMPTY_LAYER_GZIP};
