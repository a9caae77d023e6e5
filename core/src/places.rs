//! Opening an address as an image source or destination: the one place
//! that knows which module serves which transport.
//!
//! | address | source | destination |
//! |---|---|---|
//! | `docker://REF` | [`RegistrySource`] | [`RegistryDestination`] |
//! | `oci:DIR[:NAME]` | [`LayoutSource`] | [`LayoutDestination`] |
//! | `oci-archive:FILE[:NAME]` | [`oci_archive_source`] | [`ArchiveDestination`] |
//! | `docker-archive:FILE[:REF\|:@N]` | [`DockerArchiveSource`] | [`ArchiveDestination`] |

use std::path::Path;
use std::sync::Arc;

use crate::archive::{oci_archive_source, ArchiveDestination, ArchiveKind, DockerArchiveSource};
use crate::digest::Digest;
use crate::error::{Error, Result};
use crate::image::{ImageDestination, ImageSource};
use crate::layout::{LayoutDestination, LayoutFiles, LayoutSource};
use crate::limits::Limits;
use crate::manifest::Manifest;
use crate::platform::Platform;
use crate::progress::Progress;
use crate::reference::Reference;
use crate::registry::{Client, RegistryDestination, RegistrySource};
use crate::transport::{Address, ArchiveImage};

/// How a schema1 conversion names an image: repository path and tag.
pub type Schema1Name = Option<(String, String)>;

/// Opens `address` to read from; registries are reached through
/// `client`, reporting blob progress to `progress`.
pub fn open_source(
    address: &Address,
    client: &Client,
    limits: Limits,
    progress: Option<Arc<dyn Progress>>,
) -> Result<Box<dyn ImageSource>> {
    let describe = address.to_string();
    let scratch = std::env::temp_dir();
    Ok(match address {
        Address::Registry(r) => Box::new(RegistrySource::new(
            client.with_progress(progress),
            r.clone(),
        )),
        Address::OciLayout { dir, name } => Box::new(LayoutSource::open(
            LayoutFiles::Dir(dir.clone()),
            name.as_deref(),
            describe,
            limits,
        )?),
        Address::OciArchive { file, name } => Box::new(oci_archive_source(
            file,
            name.as_deref(),
            &scratch,
            describe,
            limits,
        )?),
        Address::DockerArchive { file, image } => {
            let (tag, index) = match image {
                ArchiveImage::Unspecified => (None, None),
                ArchiveImage::Tagged(r) => (Some(r), None),
                ArchiveImage::Index(i) => (None, Some(*i)),
            };
            Box::new(DockerArchiveSource::open(
                file, tag, index, &scratch, describe, limits,
            )?)
        }
    })
}

/// What a destination needs besides its address.
#[derive(Debug, Clone, Default)]
pub struct Naming {
    /// The tags of each image a docker-archive will hold, in the order
    /// they are copied (empty: one image, without tags).
    pub images: Vec<Vec<Reference>>,
    /// Repositories a registry destination may mount blobs from (those
    /// of the same registry are used).
    pub mount_from: Vec<Reference>,
    /// Whether a docker-archive also gets the pre-Docker 25 entries.
    pub legacy: bool,
}

/// Opens `address` to write to, named as `naming` says. Also returns how
/// a conversion to schema1 would name the image, when the address says.
pub fn open_destination(
    address: &Address,
    client: &Client,
    naming: &Naming,
    progress: Option<Arc<dyn Progress>>,
) -> Result<(Box<dyn ImageDestination>, Schema1Name)> {
    let describe = address.to_string();
    let name_of = |r: &Reference| {
        (
            r.repository().to_string(),
            r.tag().unwrap_or("latest").to_string(),
        )
    };
    Ok(match address {
        Address::Registry(r) => {
            let mount_from = naming
                .mount_from
                .iter()
                .filter(|s| s.registry() == r.registry() && s.repository() != r.repository())
                .cloned()
                .collect();
            (
                Box::new(RegistryDestination::new(
                    client.with_progress(progress),
                    r.clone(),
                    mount_from,
                )?),
                Some(name_of(r)),
            )
        }
        Address::OciLayout { dir, name } => (
            Box::new(LayoutDestination::create(dir, name.clone(), describe)?),
            None,
        ),
        Address::OciArchive { file, name } => {
            refuse_directory(file)?;
            (
                Box::new(ArchiveDestination::create(
                    file,
                    ArchiveKind::Oci { name: name.clone() },
                    describe,
                )?),
                None,
            )
        }
        Address::DockerArchive { file, .. } => {
            refuse_directory(file)?;
            (
                Box::new(ArchiveDestination::create(
                    file,
                    ArchiveKind::Docker {
                        images: naming.images.clone(),
                        legacy: naming.legacy,
                    },
                    describe,
                )?),
                naming
                    .images
                    .first()
                    .and_then(|tags| tags.first())
                    .map(name_of),
            )
        }
    })
}

/// An archive path that is a folder is a mistake worth naming.
fn refuse_directory(path: &Path) -> Result<()> {
    if path.is_dir() {
        return Err(Error::io(
            format!("writing {}", path.display()),
            std::io::Error::new(
                std::io::ErrorKind::IsADirectory,
                "an archive path is a folder",
            ),
        ));
    }
    Ok(())
}

/// A manifest read from an address, and where it came from.
#[derive(Debug, Clone)]
pub struct AddressedManifest {
    /// The manifest, exact bytes.
    pub manifest: Manifest,
    /// When a platform was picked out of an index: the index's digest and
    /// the chosen entry's platform.
    pub from_index: Option<(Digest, String)>,
}

/// Reads the manifest `address` names; when it is an index and
/// `platform` is given, that platform's manifest.
pub async fn get_manifest(
    address: &Address,
    platform: Option<&Platform>,
    client: &Client,
    limits: Limits,
) -> Result<AddressedManifest> {
    let source = open_source(address, client, limits, None)?;
    let root = source.root().await?;
    let Some(want) = platform.filter(|_| root.as_index().is_some()) else {
        return Ok(AddressedManifest {
            manifest: root,
            from_index: None,
        });
    };
    let (_, entry) = root.select_platform(want)?;
    let chosen = entry
        .platform
        .as_ref()
        .map_or_else(|| want.to_string(), Platform::to_string);
    let digest = entry.digest.clone();
    Ok(AddressedManifest {
        manifest: source.manifest(&digest).await?,
        from_index: Some((root.digest(), chosen)),
    })
}
