//! Computes layer diff_ids, and measures how fast.
//!
//! ```text
//! cargo run --release --example diff_id -- LAYER...            # diff_ids, layers in parallel
//! cargo run --release --example diff_id -- --inflate-only LAYER # decompress and discard: the limit
//! cargo run --release --example diff_id -- --serial LAYER       # decompress and hash on one thread
//! ```
//!
//! Each run prints the digests, then one line `mode=… layers=…
//! uncompressed_bytes=… seconds=… rate_mb_s=…` (decompressed megabytes,
//! 10^6 bytes, per second) that `bench/diff_id.sh` reads.

use std::error::Error;
use std::fs::File;
use std::io::{BufReader, Read};
use std::time::Instant;

use tranship::layer::{diff_ids, Compression, DiffIdCache, DiffIdOptions, LayerSource};
use tranship::{Algorithm, Digest};

const BUF: usize = 256 * 1024;

fn main() -> Result<(), Box<dyn Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (mode, files) = match args.first().map(String::as_str) {
        Some("--inflate-only") => ("inflate_only", &args[1..]),
        Some("--serial") => ("serial", &args[1..]),
        _ => ("diff_id", &args[..]),
    };
    if files.is_empty() {
        return Err("usage: diff_id [--inflate-only | --serial] LAYER...".into());
    }
    let start = Instant::now();
    let mut total = 0u64;
    match mode {
        "diff_id" => {
            let sources = files.iter().map(LayerSource::file).collect();
            let layers = diff_ids(sources, &DiffIdCache::new(), &DiffIdOptions::default())?;
            for (file, layer) in files.iter().zip(&layers) {
                println!("{} {} {}", layer.diff_id, layer.compressed, file);
                total += layer.uncompressed_size;
            }
        }
        _ => {
            for file in files {
                let (bytes, digest) = single_thread(file, mode == "serial")?;
                if let Some(digest) = digest {
                    println!("{digest} {file}");
                }
                total += bytes;
            }
        }
    }
    let seconds = start.elapsed().as_secs_f64();
    println!(
        "mode={mode} layers={} uncompressed_bytes={total} seconds={seconds:.3} rate_mb_s={:.1}",
        files.len(),
        total as f64 / seconds / 1e6
    );
    Ok(())
}

/// Decompresses `path` on this thread with the same decoders the pipeline
/// uses; with `hash`, also hashes the compressed and decompressed bytes
/// (the obvious serial implementation).
fn single_thread(path: &str, hash: bool) -> Result<(u64, Option<Digest>), Box<dyn Error>> {
    let mut magic = [0u8; Compression::MAGIC_LEN];
    let n = File::open(path)?.read(&mut magic)?;
    let file = Hashing {
        inner: File::open(path)?,
        hasher: hash.then(|| Algorithm::Sha256.hasher()),
    };
    let input = BufReader::with_capacity(BUF, file);
    let mut decoder: Box<dyn Read> = match Compression::detect(&magic[..n]) {
        Compression::Gzip => Box::new(flate2::bufread::MultiGzDecoder::new(input)),
        Compression::Zstd => Box::new(zstd::stream::read::Decoder::with_buffer(input)?),
        Compression::None => Box::new(input),
        other => return Err(format!("{other} is not measured here").into()),
    };
    let mut hasher = hash.then(|| Algorithm::Sha256.hasher());
    let mut buf = vec![0u8; BUF];
    let mut total = 0u64;
    loop {
        let n = decoder.read(&mut buf)?;
        if n == 0 {
            break;
        }
        if let Some(h) = hasher.as_mut() {
            h.update(&buf[..n]);
        }
        total += n as u64;
    }
    Ok((total, hasher.map(|h| h.finish())))
}

/// Hashes what is read through it (the compressed digest).
struct Hashing<R> {
    inner: R,
    hasher: Option<tranship::digest::Hasher>,
}

impl<R: Read> Read for Hashing<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        if let Some(h) = self.hasher.as_mut() {
            h.update(&buf[..n]);
        }
        Ok(n)
    }
}
