//! Image addresses: where an image is, spelled as skopeo spells it.
//!
//! | address | names |
//! |---|---|
//! | `docker://REF`, or a bare `REF` | an image in a registry |
//! | `oci:DIR[:NAME]` | an image in an OCI image layout directory |
//! | `oci-archive:FILE[:NAME]` | an image in a tar file of an OCI layout |
//! | `docker-archive:FILE[:REF\|:@INDEX]` | an image in a `docker save` tarball |
//!
//! `REF` is a [`Reference`], normalised as Docker does. `NAME` is an OCI
//! layout's `org.opencontainers.image.ref.name`. `INDEX` counts the images
//! of an archive's `manifest.json` from 0.
//!
//! A path ends at its first `:`, except that a path starting with a drive
//! letter, `:` and `\` or `/` (`C:\images`, `C:/images`) keeps the drive:
//! the next `:` ends it. The rule is the same on every operating system.
//!
//! ```
//! use tranship::transport::Address;
//! let a: Address = "oci:/srv/layout:localhost:5000/app:v1".parse().unwrap();
//! assert_eq!(a.transport(), "oci");
//! assert_eq!(a.path().unwrap().to_str(), Some("/srv/layout"));
//! assert_eq!(a.name(), Some("localhost:5000/app:v1"));
//!
//! let a: Address = "alpine".parse().unwrap();
//! assert_eq!(a.to_string(), "docker://docker.io/library/alpine:latest");
//!
//! let err = "dir:/tmp/image".parse::<Address>().unwrap_err();
//! assert_eq!(err.code(), "INVALID_ADDRESS");
//! ```

mod parse;
#[cfg(test)]
mod tests;

use std::fmt;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::error::Error;
use crate::reference::Reference;

/// The transports tranship reads and writes, as addresses spell them.
///
/// ```
/// assert!(tranship::transport::TRANSPORTS.contains(&"oci-archive"));
/// ```
pub const TRANSPORTS: &[&str] = &["docker", "oci", "oci-archive", "docker-archive"];

/// Where an image is: a registry, an OCI layout (a directory or a tar of
/// one), or a `docker save` archive.
///
/// Built with [`str::parse`]; [`Display`](fmt::Display) writes the
/// canonical text, which parses back to the same address.
///
/// ```
/// use tranship::transport::{Address, ArchiveImage};
/// let a: Address = "docker-archive:/tmp/x.tar:@1".parse().unwrap();
/// assert!(matches!(a, Address::DockerArchive { image: ArchiveImage::Index(1), .. }));
/// assert_eq!(a.to_string(), "docker-archive:/tmp/x.tar:@1");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Address {
    /// `docker://REF` or a bare `REF`: an image in a registry.
    Registry(Reference),
    /// `oci:DIR[:NAME]`: an OCI image layout directory.
    OciLayout {
        /// The layout directory.
        dir: PathBuf,
        /// The image's `org.opencontainers.image.ref.name`, when given.
        name: Option<String>,
    },
    /// `oci-archive:FILE[:NAME]`: a tar file holding an OCI image layout.
    OciArchive {
        /// The tar file.
        file: PathBuf,
        /// The image's `org.opencontainers.image.ref.name`, when given.
        name: Option<String>,
    },
    /// `docker-archive:FILE[:REF|:@INDEX]`: a `docker save` tarball.
    DockerArchive {
        /// The tarball.
        file: PathBuf,
        /// Which of the archive's images.
        image: ArchiveImage,
    },
}

/// Which image of a `docker save` archive an address names.
///
/// ```
/// use tranship::transport::{Address, ArchiveImage};
/// let a: Address = "docker-archive:x.tar:alpine".parse().unwrap();
/// let Address::DockerArchive { image: ArchiveImage::Tagged(r), .. } = a else { panic!() };
/// assert_eq!(r.to_string(), "docker.io/library/alpine:latest");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum ArchiveImage {
    /// No image given: the archive's only image, or none yet when writing.
    Unspecified,
    /// The image with this tag (`:REF`; a name alone means `:latest`).
    Tagged(Reference),
    /// The image at this position of `manifest.json`, from 0 (`:@INDEX`).
    Index(usize),
}

impl Address {
    /// The transport: `docker`, `oci`, `oci-archive` or `docker-archive`.
    ///
    /// ```
    /// let a: tranship::transport::Address = "localhost:5000/app".parse().unwrap();
    /// assert_eq!(a.transport(), "docker");
    /// ```
    pub fn transport(&self) -> &'static str {
        match self {
            Address::Registry(_) => "docker",
            Address::OciLayout { .. } => "oci",
            Address::OciArchive { .. } => "oci-archive",
            Address::DockerArchive { .. } => "docker-archive",
        }
    }

    /// The directory or file, or `None` for a registry image.
    ///
    /// ```
    /// let a: tranship::transport::Address = r"oci:C:\images\l:app".parse().unwrap();
    /// assert_eq!(a.path().unwrap().to_str(), Some(r"C:\images\l"));
    /// ```
    pub fn path(&self) -> Option<&Path> {
        match self {
            Address::Registry(_) => None,
            Address::OciLayout { dir: path, .. }
            | Address::OciArchive { file: path, .. }
            | Address::DockerArchive { file: path, .. } => Some(path),
        }
    }

    /// The OCI image name (`org.opencontainers.image.ref.name`) of an `oci:`
    /// or `oci-archive:` address, when given.
    ///
    /// ```
    /// let a: tranship::transport::Address = "oci-archive:l.tar:v1".parse().unwrap();
    /// assert_eq!(a.name(), Some("v1"));
    /// ```
    pub fn name(&self) -> Option<&str> {
        match self {
            Address::OciLayout { name, .. } | Address::OciArchive { name, .. } => name.as_deref(),
            _ => None,
        }
    }

    /// The reference of a registry image, or the tag a `docker-archive:`
    /// address names its image by.
    ///
    /// ```
    /// let a: tranship::transport::Address = "docker://alpine:3".parse().unwrap();
    /// assert_eq!(a.reference().unwrap().tag(), Some("3"));
    /// ```
    pub fn reference(&self) -> Option<&Reference> {
        match self {
            Address::Registry(r)
            | Address::DockerArchive {
                image: ArchiveImage::Tagged(r),
                ..
            } => Some(r),
            _ => None,
        }
    }

    /// The position in `manifest.json` a `docker-archive:FILE:@INDEX`
    /// address names.
    ///
    /// ```
    /// let a: tranship::transport::Address = "docker-archive:x.tar:@0".parse().unwrap();
    /// assert_eq!(a.index(), Some(0));
    /// ```
    pub fn index(&self) -> Option<usize> {
        match self {
            Address::DockerArchive {
                image: ArchiveImage::Index(i),
                ..
            } => Some(*i),
            _ => None,
        }
    }

    /// Every part, as the `address` corpus operation reports it.
    ///
    /// ```
    /// let a: tranship::transport::Address = "oci:/l".parse().unwrap();
    /// let r = a.report();
    /// assert_eq!((r.transport.as_str(), r.path.as_deref(), r.name), ("oci", Some("/l"), None));
    /// assert_eq!(r.text, "oci:/l");
    /// ```
    pub fn report(&self) -> AddressReport {
        AddressReport {
            transport: self.transport().to_string(),
            path: self.path().map(|p| p.to_string_lossy().into_owned()),
            name: self.name().map(str::to_string),
            reference: self.reference().map(ToString::to_string),
            index: self.index(),
            text: self.to_string(),
        }
    }
}

impl FromStr for Address {
    type Err = Error;

    /// Parses an address; see the [module documentation](self).
    fn from_str(input: &str) -> Result<Self, Error> {
        parse::parse(input)
    }
}

impl fmt::Display for Address {
    /// The canonical text: `docker://` and the normalised reference for a
    /// registry image, the transport, path and name otherwise.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let path = self.path().map(Path::display);
        match self {
            Address::Registry(r) => write!(f, "docker://{r}"),
            Address::OciLayout { name, .. } | Address::OciArchive { name, .. } => {
                write!(f, "{}:", self.transport())?;
                if let Some(path) = path {
                    write!(f, "{path}")?;
                }
                match name {
                    Some(name) => write!(f, ":{name}"),
                    None => Ok(()),
                }
            }
            Address::DockerArchive { image, .. } => {
                f.write_str("docker-archive:")?;
                if let Some(path) = path {
                    write!(f, "{path}")?;
                }
                match image {
                    ArchiveImage::Unspecified => Ok(()),
                    ArchiveImage::Tagged(r) => write!(f, ":{r}"),
                    ArchiveImage::Index(i) => write!(f, ":@{i}"),
                }
            }
        }
    }
}

/// Every part of an [`Address`], as one serialisable record (the `expect`
/// of the `address` corpus operation).
///
/// ```
/// let a: tranship::transport::Address = "docker-archive:x.tar:app:v1".parse().unwrap();
/// let r = a.report();
/// assert_eq!(r.reference.as_deref(), Some("docker.io/library/app:v1"));
/// assert_eq!(r.index, None);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct AddressReport {
    /// See [`Address::transport`].
    pub transport: String,
    /// See [`Address::path`]; `None` for a registry image.
    pub path: Option<String>,
    /// See [`Address::name`].
    pub name: Option<String>,
    /// See [`Address::reference`], in the normalised full form.
    pub reference: Option<String>,
    /// See [`Address::index`].
    pub index: Option<usize>,
    /// The canonical text, as [`Address`]'s `Display` writes it.
    pub text: String,
}
