//! Tar archives of images: oci-archive (a tar of an OCI layout) and
//! docker-archive (`docker save` / `podman save` format), read in place
//! and written under a temporary name.
//!
//! - [`TarIndex`]: one safe pass over a tar (plain or gzip-compressed).
//! - [`oci_archive_source`]: an oci-archive's image, read as a layout.
//! - [`DockerArchiveSource`]: a docker-archive's image, from the OCI
//!   layout Docker 25+ also writes (manifest bytes and digest kept) or,
//!   for older archives, from `manifest.json` alone.
//! - [`ArchiveDestination`]: writes either kind.

mod destination;
mod docker_source;
mod legacy;
mod tar_index;

pub use destination::{ArchiveDestination, ArchiveKind, CONTAINERD_IMAGE_NAME};
pub use docker_source::DockerArchiveSource;
pub use tar_index::TarIndex;

use std::path::Path;
use std::sync::Arc;

use crate::error::Result;
use crate::layout::{LayoutFiles, LayoutSource};
use crate::limits::Limits;

/// The image `name` (or the only one) of the oci-archive at `path`;
/// `scratch` is where a gzip-compressed archive is decompressed.
pub fn oci_archive_source(
    path: &Path,
    name: Option<&str>,
    scratch: &Path,
    describe: String,
    limits: Limits,
) -> Result<LayoutSource> {
    let index = TarIndex::open(path, scratch)?;
    LayoutSource::open(
        LayoutFiles::Archive(Arc::new(index)),
        name,
        describe,
        limits,
    )
}
