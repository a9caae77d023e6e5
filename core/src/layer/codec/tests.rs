use std::io::Read;

use super::gzip::BLOCK_BYTES;
use super::*;
use crate::layer::{diff_id, EMPTY_LAYER_GZIP};

/// Bytes that compress somewhat, the same on every run.
fn sample(len: usize) -> Vec<u8> {
    let mut state: u32 = 0x9e37_79b9;
    (0..len)
        .map(|i| {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            if i % 7 < 4 {
                b"layer tar bytes "[i % 16]
            } else {
                (state % 61) as u8 + b'A'
            }
        })
        .collect()
}

fn options(format: LayerFormat, level: i32, threads: usize) -> CompressOptions {
    CompressOptions {
        format,
        level,
        threads,
        ..CompressOptions::default()
    }
}

fn gunzip(data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    flate2::read::MultiGzDecoder::new(data)
        .read_to_end(&mut out)
        .expect("valid gzip");
    out
}

#[test]
fn gzip_blocks_make_one_member_any_reader_decodes() {
    for len in [
        0,
        1,
        BLOCK_BYTES - 1,
        BLOCK_BYTES,
        BLOCK_BYTES + 1,
        3 * BLOCK_BYTES + 12345,
    ] {
        let input = sample(len);
        for level in [1, 2, 3, 6, 9] {
            let mut blob = Vec::new();
            let layer = compress(&input[..], &mut blob, &options(LayerFormat::Gzip, level, 3))
                .expect("compresses");
            assert_eq!(gunzip(&blob), input, "len {len} level {level}");
            assert_eq!(layer.compressed, Digest::sha256(&blob));
            assert_eq!(layer.compressed_size, blob.len() as u64);
            assert_eq!(layer.diff_id, Digest::sha256(&input));
            assert_eq!(layer.uncompressed_size, len as u64);
            assert_eq!(layer.compression, Compression::Gzip);
            // One member: a single header at the start.
            assert_eq!(&blob[..4], &[0x1f, 0x8b, 8, 0]);
        }
    }
}

#[test]
fn the_bytes_do_not_depend_on_the_thread_count() {
    let input = sample(5 * BLOCK_BYTES / 2);
    for (format, level) in [
        (LayerFormat::Gzip, 1),
        (LayerFormat::Gzip, 6),
        (LayerFormat::Zstd, 3),
    ] {
        let blobs: Vec<Vec<u8>> = [1, 2, 5]
            .iter()
            .map(|&threads| {
                let mut blob = Vec::new();
                compress(&input[..], &mut blob, &options(format, level, threads)).expect("ok");
                blob
            })
            .collect();
        assert_eq!(blobs[0], blobs[1], "{format} {level}");
        assert_eq!(blobs[0], blobs[2], "{format} {level}");
    }
}

#[test]
fn recompressing_keeps_the_diff_id() {
    let input = sample(BLOCK_BYTES + 99);
    let mut gz = Vec::new();
    let first = compress(&input[..], &mut gz, &CompressOptions::default()).expect("gzip");
    let mut zst = Vec::new();
    let second = compress(&gz[..], &mut zst, &options(LayerFormat::Zstd, 3, 2)).expect("zstd");
    assert_eq!(first.diff_id, second.diff_id);
    assert_eq!(second.compression, Compression::Zstd);
    assert_eq!(
        zstd::decode_all(&zst[..]).expect("valid zstd"),
        input,
        "zstd decodes to the content"
    );
    let again = diff_id(&zst[..], &DiffIdOptions::default()).expect("reads back");
    assert_eq!(again.diff_id, first.diff_id);
    assert_eq!(again.compressed, second.compressed);
}

#[test]
fn the_input_is_hashed_as_read_plain_or_compressed() {
    let sha = |bytes: &[u8]| {
        let mut hasher = Algorithm::Sha256.hasher();
        hasher.update(bytes);
        hasher.finish()
    };
    let opts = options(LayerFormat::Zstd, 3, 2);
    // Shorter than a compression's magic, and longer than a buffer.
    for input in [b"tar".to_vec(), Vec::new(), sample(300 * 1024)] {
        let encoded = encode(&input[..], "plain", &mut Vec::new(), &opts).expect("plain");
        assert_eq!(encoded.input, sha(&input), "a plain input's digest");
        assert_eq!(encoded.input, encoded.layer.diff_id);
        assert_eq!(encoded.input_size, input.len() as u64);
    }
    let mut gz = Vec::new();
    compress(&sample(1000)[..], &mut gz, &CompressOptions::default()).expect("gzip");
    let encoded = encode(&gz[..], "gzip", &mut Vec::new(), &opts).expect("gzip input");
    assert_eq!(encoded.input, sha(&gz), "a compressed input's digest");
    assert_eq!(encoded.layer.diff_id, sha(&sample(1000)));
    assert_eq!(encoded.input_size, gz.len() as u64);
}

#[test]
fn concatenated_members_decode_as_one_stream() {
    let mut two = EMPTY_LAYER_GZIP.to_vec();
    two.extend_from_slice(&EMPTY_LAYER_GZIP);
    let d = diff_id(&two[..], &DiffIdOptions::default()).expect("two members");
    assert_eq!(d.uncompressed_size, 2048);
    assert_eq!(d.diff_id, Digest::sha256(&[0u8; 2048]));
}

#[test]
fn truncated_and_corrupt_gzip_fail_naming_an_offset() {
    let input = sample(200_000);
    let mut blob = Vec::new();
    compress(&input[..], &mut blob, &CompressOptions::default()).expect("gzip");
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("truncated", blob[..blob.len() / 2].to_vec()),
        ("no trailer", blob[..blob.len() - 8].to_vec()),
        ("bad crc", {
            let mut b = blob.clone();
            let n = b.len();
            b[n - 6] ^= 0xff;
            b
        }),
        ("garbage after", {
            let mut b = blob.clone();
            b.extend_from_slice(b"junk");
            b
        }),
    ];
    for (what, bad) in cases {
        let e = diff_id(&bad[..], &DiffIdOptions::default()).expect_err(what);
        assert_eq!(e.code(), "INVALID_LAYER", "{what}: {e}");
        assert!(e.to_string().contains("byte"), "{what}: {e}");
        let mut out = Vec::new();
        let e = compress(&bad[..], &mut out, &options(LayerFormat::Zstd, 1, 1)).expect_err(what);
        assert_eq!(e.code(), "INVALID_LAYER", "{what}: {e}");
    }
}

#[test]
fn a_bomb_stops_at_the_limit() {
    let zeros = vec![0u8; 4 * BLOCK_BYTES];
    let mut blob = Vec::new();
    compress(&zeros[..], &mut blob, &CompressOptions::default()).expect("gzip");
    let mut opts = options(LayerFormat::Zstd, 1, 1);
    opts.max_uncompressed_bytes = BLOCK_BYTES as u64;
    let e = compress(&blob[..], Vec::new(), &opts).expect_err("over the limit");
    assert_eq!(e.code(), "LIMIT_EXCEEDED", "{e}");
}

#[test]
fn files_are_written_whole_or_not_at_all() {
    let dir = std::env::temp_dir().join(format!("tranship-codec-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let plain = dir.join("layer.tar");
    std::fs::write(&plain, sample(70_000)).expect("write");
    let gz = dir.join("layer.tar.gz");
    let layer = compress_file(&plain, &gz, &CompressOptions::default()).expect("compresses");
    let back = dir.join("back.tar");
    let read = decompress_file(&gz, &back, &DiffIdOptions::default()).expect("decompresses");
    assert_eq!(read.compressed, layer.compressed);
    assert_eq!(read.diff_id, layer.diff_id);
    assert_eq!(std::fs::read(&back).expect("read"), sample(70_000));

    let broken = dir.join("broken.gz");
    let bytes = std::fs::read(&gz).expect("read");
    std::fs::write(&broken, &bytes[..bytes.len() / 2]).expect("write");
    let out = dir.join("out.tar");
    let e = decompress_file(&broken, &out, &DiffIdOptions::default()).expect_err("truncated");
    assert_eq!(e.code(), "INVALID_LAYER");
    let e = compress_file(&broken, &out, &options(LayerFormat::Zstd, 3, 1)).expect_err("truncated");
    assert_eq!(e.code(), "INVALID_LAYER");
    let left: Vec<_> = std::fs::read_dir(&dir)
        .expect("list")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    assert!(!left.iter().any(|n| n.contains("out.tar")), "{left:?}");
    std::fs::remove_dir_all(&dir).expect("clean up");
}

#[test]
fn settings_are_checked() {
    let bad = |format: &str, level| {
        CompressOptions::from_settings(&CompressSettings {
            format: Some(format.into()),
            level,
            ..CompressSettings::default()
        })
        .expect_err("refused")
        .code()
    };
    assert_eq!(bad("brotli", None), "INVALID_CONFIG");
    assert_eq!(bad("gzip", Some(0)), "INVALID_CONFIG");
    assert_eq!(bad("gzip", Some(10)), "INVALID_CONFIG");
    assert_eq!(bad("zstd", Some(20)), "INVALID_CONFIG");
    let zero_threads = CompressSettings {
        threads: Some(0),
        ..CompressSettings::default()
    };
    assert!(CompressOptions::from_settings(&zero_threads).is_err());
    assert_eq!(CompressSettings::parse("gzip").expect("ok").level, None);
}

#[test]
fn a_stream_cut_inside_a_block_is_an_error_not_a_panic() {
    // Found by the layer fuzz target: ISA-L hands back buffered input at
    // the end of a truncated member.
    let cut: [u8; 44] = [
        0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0xff, 0xcb, 0x2f, 0x28, 0xd1, 0x2f,
        0x91, 0x89, 0xb9, 0xb9, 0x81, 0x09, 0x48, 0xdc, 0xd0, 0xd0, 0xd4, 0xcc, 0x88, 0x41, 0xd9,
        0xc1, 0x80, 0x81, 0x0e, 0xa0, 0x32, 0xb8, 0x24, 0xb1, 0x08, 0x44, 0xdc, 0x00, 0x00,
    ];
    let _ = diff_id(&cut[..], &DiffIdOptions::default());
    let _ = compress(&cut[..], Vec::new(), &options(LayerFormat::Zstd, 1, 1));
}
