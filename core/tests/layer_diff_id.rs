//! diff_id pipeline on small generated layers: every compression, broken
//! and hostile input, awkward readers, the cache and the parallel runner.

#![allow(clippy::unwrap_used)]

use std::io::{self, Read, Write};

use tranship::layer::{
    diff_id, diff_id_file, diff_ids, Compression, DiffIdCache, DiffIdOptions, LayerSource,
    EMPTY_LAYER_DIFF_ID, EMPTY_LAYER_DIGEST, EMPTY_LAYER_GZIP,
};
use tranship::{Algorithm, Digest};

/// Deterministic, somewhat compressible bytes (words and noise), like the
/// files in a layer.
fn content(len: usize, seed: u64) -> Vec<u8> {
    let mut x = seed | 1;
    let mut out = Vec::with_capacity(len);
    let words: [&[u8]; 6] = [
        b"usr/lib/",
        b"libc.so.6 ",
        b"\0\0\0\0",
        b"ustar ",
        b"#!/bin/sh\n",
        b"0644 ",
    ];
    while out.len() < len {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        if x.is_multiple_of(3) {
            out.extend_from_slice(&x.to_le_bytes()[..(x % 8) as usize]);
        } else {
            out.extend_from_slice(words[(x % 6) as usize]);
        }
    }
    out.truncate(len);
    out
}

fn gzip(data: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::new(6));
    e.write_all(data).unwrap();
    e.finish().unwrap()
}

fn opts() -> DiffIdOptions {
    DiffIdOptions::default()
}

fn check(blob: &[u8], content: &[u8], compression: Compression) {
    let d = diff_id(blob, &opts()).unwrap();
    assert_eq!(d.compression, compression);
    assert_eq!(d.compressed, Digest::sha256(blob));
    assert_eq!(d.compressed_size, blob.len() as u64);
    assert_eq!(d.diff_id, Digest::sha256(content));
    assert_eq!(d.uncompressed_size, content.len() as u64);
}

#[test]
fn gzip_single_member_spanning_many_buffers() {
    let data = content(5 << 20, 1);
    check(&gzip(&data), &data, Compression::Gzip);
}

#[test]
fn gzip_members_are_read_as_one_stream() {
    let (a, b) = (content(300_000, 2), content(70_000, 3));
    let mut blob = gzip(&a);
    blob.extend(gzip(&b));
    blob.extend(gzip(b""));
    check(&blob, &[a, b].concat(), Compression::Gzip);
}

#[test]
fn zstd_with_several_frames() {
    let (a, b) = (content(1 << 20, 4), content(12_345, 5));
    let mut blob = zstd::encode_all(&a[..], 3).unwrap();
    blob.extend(zstd::encode_all(&b[..], 19).unwrap());
    check(&blob, &[a, b].concat(), Compression::Zstd);
}

#[test]
fn bzip2_and_xz_from_very_old_images() {
    let data = content(400_000, 6);
    let mut bz = bzip2::write::BzEncoder::new(Vec::new(), bzip2::Compression::new(9));
    bz.write_all(&data).unwrap();
    check(&bz.finish().unwrap(), &data, Compression::Bzip2);

    let mut xz = Vec::new();
    lzma_rs::xz_compress(&mut &data[..], &mut xz).unwrap();
    check(&xz, &data, Compression::Xz);
}

#[test]
fn plain_tar_has_equal_digests() {
    let data = content(1_000_000, 7);
    check(&data, &data, Compression::None);
    let d = diff_id(&data[..], &opts()).unwrap();
    assert_eq!(d.compressed, d.diff_id);
}

#[test]
fn empty_input_is_an_empty_plain_layer() {
    let d = diff_id(io::empty(), &opts()).unwrap();
    assert_eq!(d.compression, Compression::None);
    assert_eq!(d.compressed, Digest::sha256(b""));
    assert_eq!(d.diff_id, Digest::sha256(b""));
    assert_eq!((d.compressed_size, d.uncompressed_size), (0, 0));
}

#[test]
fn the_32_byte_empty_gzip_layer() {
    let d = diff_id(&EMPTY_LAYER_GZIP[..], &opts()).unwrap();
    assert_eq!(d.compressed.to_string(), EMPTY_LAYER_DIGEST);
    assert_eq!(
        d.compressed.to_string(),
        "sha256:a3ed95caeb02ffe68cdd9fd84406680ae93d633cb16422d00e8a7c22955b46d4"
    );
    assert_eq!(d.diff_id.to_string(), EMPTY_LAYER_DIFF_ID);
    assert_eq!(
        d.diff_id.to_string(),
        "sha256:5f70bf18a086007016e948b04aed3b82103a36bea41755b6cddfaf10ace3c6ef"
    );
    assert_eq!((d.compressed_size, d.uncompressed_size), (32, 1024));
}

#[test]
fn decompression_bomb_stops_at_the_limit_and_names_the_layer() {
    let dir = tempdir();
    let path = dir.join("bomb.tar.gz");
    std::fs::write(&path, gzip(&vec![0u8; 20 << 20])).unwrap();
    let small = opts().with_max_uncompressed_bytes(1 << 20);
    let err = diff_id_file(&path, &small).unwrap_err();
    assert_eq!(err.code(), "LIMIT_EXCEEDED");
    assert!(err.to_string().contains("bomb.tar.gz"), "{err}");
    assert!(err.to_string().contains("1048576"), "{err}");
    // Exactly at the limit is fine; raising it lets the layer through.
    let exact = opts().with_max_uncompressed_bytes(20 << 20);
    assert_eq!(
        diff_id_file(&path, &exact).unwrap().uncompressed_size,
        20 << 20
    );
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn plain_layers_are_bounded_too() {
    let data = content(100, 8);
    let err = diff_id(&data[..], &opts().with_max_uncompressed_bytes(99)).unwrap_err();
    assert_eq!(err.code(), "LIMIT_EXCEEDED");
    assert!(diff_id(&data[..], &opts().with_max_uncompressed_bytes(100)).is_ok());
}

#[test]
fn truncated_and_corrupt_blobs_are_invalid_layers() {
    let data = content(600_000, 9);
    let blob = gzip(&data);
    for cut in [11, 100, blob.len() / 2, blob.len() - 4, blob.len() - 1] {
        let err = diff_id(&blob[..cut], &opts()).unwrap_err();
        assert_eq!(err.code(), "INVALID_LAYER", "cut at {cut}: {err}");
        assert!(err.to_string().contains("gzip"), "{err}");
    }
    let mut flipped = blob.clone();
    flipped[blob.len() / 2] ^= 0x55;
    assert_eq!(
        diff_id(&flipped[..], &opts()).unwrap_err().code(),
        "INVALID_LAYER"
    );
    // Go's multistream gzip reader rejects garbage after the last member.
    let mut trailing = blob.clone();
    trailing.extend_from_slice(b"not gzip");
    assert_eq!(
        diff_id(&trailing[..], &opts()).unwrap_err().code(),
        "INVALID_LAYER"
    );

    let z = zstd::encode_all(&data[..], 3).unwrap();
    let err = diff_id(&z[..z.len() - 10], &opts()).unwrap_err();
    assert_eq!(err.code(), "INVALID_LAYER", "{err}");
    assert!(err.to_string().contains("zstd"), "{err}");
}

/// Hands out 1 to 7 bytes per read and is interrupted now and then.
struct Dribble<'a> {
    data: &'a [u8],
    calls: usize,
}

impl Read for Dribble<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.calls += 1;
        if self.calls.is_multiple_of(5) {
            return Err(io::ErrorKind::Interrupted.into());
        }
        let n = (self.calls % 7 + 1).min(buf.len()).min(self.data.len());
        buf[..n].copy_from_slice(&self.data[..n]);
        self.data = &self.data[n..];
        Ok(n)
    }
}

#[test]
fn short_and_interrupted_reads() {
    let data = content(200_000, 10);
    let blob = gzip(&data);
    let d = diff_id(
        Dribble {
            data: &blob,
            calls: 0,
        },
        &opts(),
    )
    .unwrap();
    assert_eq!(d.compressed, Digest::sha256(&blob));
    assert_eq!(d.diff_id, Digest::sha256(&data));
    // The magic bytes themselves arrive one or two at a time.
    let d = diff_id(
        Dribble {
            data: &EMPTY_LAYER_GZIP,
            calls: 0,
        },
        &opts(),
    )
    .unwrap();
    assert_eq!(d.diff_id.to_string(), EMPTY_LAYER_DIFF_ID);
}

/// Fails after `ok` bytes.
struct Broken {
    ok: usize,
}

impl Read for Broken {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.ok == 0 {
            return Err(io::Error::new(
                io::ErrorKind::ConnectionReset,
                "peer went away",
            ));
        }
        let n = buf.len().min(self.ok);
        buf[..n].fill(b'a');
        self.ok -= n;
        Ok(n)
    }
}

#[test]
fn read_errors_are_io_errors_not_corrupt_layers() {
    let err = diff_id(Broken { ok: 1000 }, &opts()).unwrap_err();
    assert_eq!(err.code(), "IO");
    assert!(err.to_string().contains("peer went away"), "{err}");
    let blob = gzip(&content(100_000, 11));
    let err = diff_id(io::Read::chain(&blob[..1000], Broken { ok: 0 }), &opts()).unwrap_err();
    assert_eq!(err.code(), "IO", "{err}");
    let err = diff_id_file("/nonexistent/layer.tar.gz", &opts()).unwrap_err();
    assert_eq!(err.code(), "IO");
    assert!(
        err.to_string().contains("/nonexistent/layer.tar.gz"),
        "{err}"
    );
}

#[test]
fn cache_hit_does_not_read_the_blob() {
    let data = content(50_000, 12);
    let blob = gzip(&data);
    let cache = DiffIdCache::new();
    let first = diff_ids(vec![LayerSource::reader("a", &blob[..])], &cache, &opts()).unwrap();
    // Now declared by digest, the same blob is never read again.
    let again = diff_ids(
        vec![LayerSource::reader("unreadable", Broken { ok: 0 })
            .with_digest(first[0].compressed.clone())],
        &cache,
        &opts(),
    )
    .unwrap();
    assert_eq!(again, first);
    // The empty layer is known from the start.
    let empty = LayerSource::reader("empty", Broken { ok: 0 })
        .with_digest(EMPTY_LAYER_DIGEST.parse().unwrap());
    let got = diff_ids(vec![empty], &DiffIdCache::new(), &opts()).unwrap();
    assert_eq!(got[0].diff_id.to_string(), EMPTY_LAYER_DIFF_ID);
}

#[test]
fn many_layers_in_parallel_keep_their_order_and_share_repeats() {
    let contents: Vec<Vec<u8>> = (0..6)
        .map(|i| content(150_000 + i * 1000, 20 + i as u64))
        .collect();
    let blobs: Vec<Vec<u8>> = contents.iter().map(|c| gzip(c)).collect();
    let dir = tempdir();
    let mut sources = Vec::new();
    for (i, blob) in blobs.iter().enumerate() {
        let path = dir.join(format!("{i}.tar.gz"));
        std::fs::write(&path, blob).unwrap();
        sources.push(LayerSource::file(&path).with_digest(Digest::sha256(blob)));
    }
    // Layer 0 again, by digest, from a reader that must not be read.
    sources.push(
        LayerSource::reader("repeat", Broken { ok: 0 }).with_digest(Digest::sha256(&blobs[0])),
    );
    let cache = DiffIdCache::new();
    let got = diff_ids(sources, &cache, &opts().with_parallelism(3)).unwrap();
    assert_eq!(got.len(), 7);
    for (i, c) in contents.iter().enumerate() {
        assert_eq!(got[i].diff_id, Digest::sha256(c), "layer {i}");
    }
    assert_eq!(got[6], got[0]);
    assert_eq!(cache.len(), 7, "six layers and the empty one");
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn wrong_declared_digest_and_first_failure_win() {
    let blob = gzip(&content(10_000, 30));
    let wrong = Digest::sha256(b"something else");
    let err = diff_ids(
        vec![LayerSource::reader("a", &blob[..]).with_digest(wrong)],
        &DiffIdCache::new(),
        &opts(),
    )
    .unwrap_err();
    assert_eq!(err.code(), "DIGEST_MISMATCH");

    let big = gzip(&content(4 << 20, 31));
    let err = diff_ids(
        vec![
            LayerSource::reader("good", &big[..]),
            LayerSource::reader("broken", &blob[..100]),
            LayerSource::reader("good too", &big[..]),
        ],
        &DiffIdCache::new(),
        &opts().with_parallelism(2),
    )
    .unwrap_err();
    assert_eq!(err.code(), "INVALID_LAYER");
    assert!(err.to_string().contains("broken"), "{err}");
}

#[test]
fn sha512_blob_digests_are_checked_with_sha512() {
    let blob = gzip(&content(10_000, 40));
    let expected = Digest::compute(Algorithm::Sha512, &blob);
    let got = diff_ids(
        vec![LayerSource::reader("a", &blob[..]).with_digest(expected.clone())],
        &DiffIdCache::new(),
        &opts(),
    )
    .unwrap();
    assert_eq!(got[0].compressed, expected);
    assert_eq!(got[0].diff_id.algorithm(), Algorithm::Sha256);
}

fn tempdir() -> std::path::PathBuf {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static N: AtomicUsize = AtomicUsize::new(0);
    let dir = std::env::temp_dir().join(format!(
        "tranship-layer-{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    ));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}
