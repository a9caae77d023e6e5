//! Writes the small layer blobs of the shared corpus, once: gzip bytes
//! differ between zlib implementations, so the output is committed and
//! tests never regenerate it.
//!
//! ```text
//! cargo run -p tranship --example make_corpus_blobs
//! ```
//!
//! - `tests/corpus/convert/data/blobs/sha256/<hex>`: the layers of the
//!   conversion cases (tar archives, gzip-compressed unless named
//!   otherwise, and the 32-byte empty layer);
//! - `tests/corpus/diff_id/data/<name>`: one layer per compression, a
//!   two-member gzip, and broken blobs.

use std::fs;
use std::io::Write;
use std::path::Path;

use tranship::layer::EMPTY_LAYER_GZIP;
use tranship::Digest;

/// A tar archive (ustar) of regular files, as `tar` writes it.
fn tar(files: &[(&str, &str)]) -> Vec<u8> {
    let mut out = Vec::new();
    for (name, content) in files {
        let mut header = [0u8; 512];
        header[..name.len()].copy_from_slice(name.as_bytes());
        let octal = |field: &mut [u8], value: u64| {
            let text = format!("{value:0width$o}\0", width = field.len() - 1);
            field.copy_from_slice(text.as_bytes());
        };
        octal(&mut header[100..108], 0o644);
        octal(&mut header[108..116], 0);
        octal(&mut header[116..124], 0);
        octal(&mut header[124..136], content.len() as u64);
        octal(&mut header[136..148], 1_700_000_000);
        header[156] = b'0';
        header[257..263].copy_from_slice(b"ustar\0");
        header[263..265].copy_from_slice(b"00");
        header[148..156].copy_from_slice(b"        ");
        let sum: u64 = header.iter().map(|&b| u64::from(b)).sum();
        header[148..155].copy_from_slice(format!("{sum:06o}\0").as_bytes());
        out.extend_from_slice(&header);
        out.extend_from_slice(content.as_bytes());
        out.resize(out.len().div_ceil(512) * 512, 0);
    }
    out.resize(out.len() + 1024, 0);
    out
}

fn gzip(data: &[u8]) -> Vec<u8> {
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    gz.write_all(data).expect("gzip");
    gz.finish().expect("gzip")
}

fn write(path: &Path, bytes: &[u8]) {
    fs::create_dir_all(path.parent().expect("a parent")).expect("mkdir");
    fs::write(path, bytes).expect("write");
    println!("{}  {}", Digest::sha256(bytes), path.display());
}

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/corpus");
    let store = root.join("convert/data/blobs/sha256");
    let base = tar(&[("etc/os-release", "NAME=\"corpus\"\nVERSION_ID=1\n")]);
    let app = tar(&[("usr/share/app/hello.txt", "hello <&> é\n")]);
    let config = tar(&[("etc/app.conf", "answer=42\n")]);
    let plain = tar(&[("srv/data.txt", "plain tar layer\n")]);
    for blob in [
        gzip(&base),
        gzip(&app),
        gzip(&config),
        plain.clone(),
        EMPTY_LAYER_GZIP.to_vec(),
    ] {
        write(&store.join(Digest::sha256(&blob).hex()), &blob);
    }

    let dir = root.join("diff_id/data");
    let content = tar(&[("opt/tool/readme.txt", "one layer, many compressions\n")]);
    write(&dir.join("layer.tar"), &content);
    write(&dir.join("layer.tar.gz"), &gzip(&content));
    let zst = zstd::stream::encode_all(&content[..], 3).expect("zstd");
    write(&dir.join("layer.tar.zst"), &zst);
    let mut bz = bzip2::write::BzEncoder::new(Vec::new(), bzip2::Compression::best());
    bz.write_all(&content).expect("bzip2");
    write(&dir.join("layer.tar.bz2"), &bz.finish().expect("bzip2"));
    let mut xz = Vec::new();
    lzma_rs::xz_compress(&mut &content[..], &mut xz).expect("xz");
    write(&dir.join("layer.tar.xz"), &xz);
    let (first, second) = content.split_at(700);
    write(
        &dir.join("two-members.tar.gz"),
        &[gzip(first), gzip(second)].concat(),
    );
    let whole = gzip(&content);
    write(&dir.join("truncated.tar.gz"), &whole[..whole.len() / 2]);
    write(&dir.join("empty-layer.tar.gz"), &EMPTY_LAYER_GZIP);
}
