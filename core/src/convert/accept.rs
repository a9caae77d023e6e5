//! The `Accept` header of a manifest request, read as distribution v2.8
//! reads it (`registry/handlers/manifests.go`; see `docs/formats.md`,
//! "Content negotiation").
//!
//! Every header line is split on `,`; each item is cut at its first `;`
//! (so `q=` and any other parameter are ignored) and trimmed; what is left
//! is compared exactly, case included. Wildcards such as `*/*` match
//! nothing.
//!
//! ```
//! use tranship::convert::accept::Accept;
//! use tranship::MediaType;
//! let a = Accept::parse([
//!     "application/vnd.docker.distribution.manifest.v2+json; q=0.5, */*",
//!     "application/vnd.oci.image.index.v1+json",
//! ]);
//! assert!(a.accepts(&MediaType::DockerSchema2));
//! assert!(a.accepts(&MediaType::OciIndex));
//! assert!(!a.accepts(&MediaType::OciManifest));
//! ```

use std::collections::BTreeSet;

use crate::media_type::MediaType;

/// The media types a client named in its `Accept` header(s).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Accept {
    types: BTreeSet<String>,
}

impl Accept {
    /// Reads the values of every `Accept` header of a request, in any
    /// number; none at all accepts nothing.
    pub fn parse<S: AsRef<str>>(headers: impl IntoIterator<Item = S>) -> Accept {
        let types = headers
            .into_iter()
            .flat_map(|line| {
                line.as_ref()
                    .split(',')
                    .map(|item| {
                        item.split(';')
                            .next()
                            .unwrap_or_default()
                            .trim()
                            .to_string()
                    })
                    .collect::<Vec<_>>()
            })
            .filter(|item| !item.is_empty())
            .collect();
        Accept { types }
    }

    /// True when the client named exactly this media type.
    pub fn accepts(&self, media_type: &MediaType) -> bool {
        self.types.contains(media_type.as_str())
    }

    /// The media types named, sorted, as written after trimming.
    pub fn types(&self) -> impl Iterator<Item = &str> {
        self.types.iter().map(String::as_str)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn items_are_cut_trimmed_and_compared_exactly() {
        let a = Accept::parse([
            " application/vnd.docker.distribution.manifest.list.v2+json ;q=0.9,\tapplication/vnd.OCI.image.manifest.v1+json",
            "application/*, */*;q=0.1,,",
        ]);
        assert_eq!(
            a.types().collect::<Vec<_>>(),
            [
                "*/*",
                "application/*",
                "application/vnd.OCI.image.manifest.v1+json",
                "application/vnd.docker.distribution.manifest.list.v2+json",
            ]
        );
        assert!(a.accepts(&MediaType::DockerManifestList));
        assert!(!a.accepts(&MediaType::OciManifest));
        assert!(!Accept::parse(Vec::<String>::new()).accepts(&MediaType::DockerSchema2));
    }
}
