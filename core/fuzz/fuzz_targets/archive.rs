//! Archives: any bytes, written to a file, must be indexed as a tar (plain
//! or gzip-compressed) or refused with an error, never panic; what opens
//! as a docker-archive or an oci-archive must give its manifest and blobs
//! (bounded reads) or an error.
#![no_main]

use std::future::Future;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::task::{Context, Poll, Waker};

use libfuzzer_sys::fuzz_target;
use tranship::archive::{oci_archive_source, DockerArchiveSource, TarIndex};
use tranship::image::{BlobRef, ImageSource};
use tranship::Limits;

/// A folder of this process's own, for the input file and any
/// decompressed copy.
fn scratch() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir =
            std::env::temp_dir().join(format!("tranship-fuzz-archive-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("a scratch folder");
        dir
    })
}

/// The sources here never wait: one poll finishes them.
fn now<T>(future: impl Future<Output = T>) -> Option<T> {
    let mut future = std::pin::pin!(future);
    match future
        .as_mut()
        .poll(&mut Context::from_waker(Waker::noop()))
    {
        Poll::Ready(value) => Some(value),
        Poll::Pending => None,
    }
}

/// The root manifest and each blob it names, read with small limits.
fn read_through(source: &dyn ImageSource) {
    let Some(Ok(root)) = now(source.root()) else {
        return;
    };
    let _ = root.report();
    let mut blobs: Vec<BlobRef> = Vec::new();
    if let Some(image) = root.as_image() {
        blobs.extend(
            std::iter::once(&image.config)
                .chain(&image.layers)
                .map(|d| BlobRef {
                    digest: d.digest.clone(),
                    size: Some(d.size),
                    media_type: Some(d.media_type.clone()),
                }),
        );
    }
    if let Some(index) = root.as_index() {
        for child in &index.manifests {
            let _ = now(source.manifest(&child.digest));
        }
    }
    for blob in blobs {
        if let Ok(Some(file)) = source.local_blob(&blob) {
            if let Ok(bytes) = file.read_all(1 << 20) {
                let _ = blob.digest.verify(&bytes);
            }
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let dir = scratch();
    let path = dir.join("input.tar");
    std::fs::write(&path, data).expect("writing the input");
    if let Ok(index) = TarIndex::open(&path, dir) {
        for name in index.names() {
            let entry = index.entry(name).expect("a listed entry is found");
            let _ = entry.read_all(1 << 16);
        }
    }
    let limits = Limits::default();
    for index in [None, Some(0), Some(1)] {
        if let Ok(source) =
            DockerArchiveSource::open(&path, None, index, dir, "fuzz".into(), limits)
        {
            let _ = source.repo_tags();
            read_through(&source);
        }
    }
    if let Ok(source) = oci_archive_source(&path, None, dir, "fuzz".into(), limits) {
        read_through(&source);
    }
});
