// What registry calls and copies return, as records, written once for the
// Node and uniffi bindings: each includes this file (`include!`) and calls
// the macro with its record attribute, the type it gives sizes (converted
// by its `size` function) and its map type; `ConversionReport` must be in
// scope.

macro_rules! result_records {
    ($(#[$record:meta])* size = $size:ident, map = $map:ident) => {
        /// What a HEAD request says about a manifest.
        $(#[$record])*
        pub struct ManifestHead {
            /// `Docker-Content-Digest`, when sent.
            pub digest: Option<String>,
            /// The media type (`Content-Type`), when sent.
            pub media_type: Option<String>,
            /// The size in bytes (`Content-Length`), when sent.
            pub size: Option<$size>,
        }

        impl From<tranship::registry::ManifestHead> for ManifestHead {
            fn from(h: tranship::registry::ManifestHead) -> Self {
                ManifestHead {
                    digest: h.digest.map(|d| d.to_string()),
                    media_type: h.media_type.map(|m| m.as_str().to_string()),
                    size: h.size.map(size),
                }
            }
        }

        /// A blob the repository now has.
        $(#[$record])*
        pub struct PushedBlob {
            /// The blob's digest.
            pub digest: String,
            /// Its size in bytes.
            pub size: $size,
            /// `existed`, `mounted` or `uploaded`.
            pub outcome: String,
        }

        impl From<tranship::registry::PushedBlob> for PushedBlob {
            fn from(p: tranship::registry::PushedBlob) -> Self {
                PushedBlob {
                    digest: p.digest.to_string(),
                    size: size(p.size),
                    outcome: p.outcome.as_str().to_string(),
                }
            }
        }

        /// A descriptor: what a referrer listing holds.
        $(#[$record])*
        pub struct Descriptor {
            /// Media type of the content.
            pub media_type: String,
            /// Digest of the content.
            pub digest: String,
            /// Size in bytes.
            pub size: $size,
            /// The artifact's type (OCI 1.1), when given.
            pub artifact_type: Option<String>,
            /// The descriptor's annotations.
            pub annotations: $map<String, String>,
        }

        impl From<tranship::Descriptor> for Descriptor {
            fn from(d: tranship::Descriptor) -> Self {
                Descriptor {
                    media_type: d.media_type.as_str().to_string(),
                    digest: d.digest.to_string(),
                    size: size(d.size),
                    artifact_type: d.artifact_type,
                    annotations: d.annotations.into_iter().collect(),
                }
            }
        }

        /// What a copy did.
        $(#[$record])*
        pub struct CopySummary {
            /// The source address.
            pub source: String,
            /// The destination address.
            pub destination: String,
            /// The digest of what the source address named (an index or image).
            pub source_digest: String,
            /// The digest of what the destination now holds under its name;
            /// equal to `sourceDigest` unless something was converted or a
            /// platform was picked out of an index.
            pub destination_digest: String,
            /// The media type written at the destination.
            pub media_type: String,
            /// The platforms copied out of an index (empty for a single image).
            pub platforms: Vec<String>,
            /// Why those (or why the whole index).
            pub platform_reason: String,
            /// Children the written index names but that were not copied: the
            /// index is kept as it is (same digest), sparse at the destination.
            pub sparse: Vec<String>,
            /// Children dropped from the index because they were not copied
            /// (`stripMissing`): the index was rewritten, its digest changed.
            pub stripped: Vec<String>,
            /// The signatures, attestations and other artifacts copied
            /// because they refer to an image copied.
            pub referrers: Vec<ReferrerSummary>,
            /// What the copy left behind, and why.
            pub warnings: Vec<String>,
            /// Every conversion, with old and new digests.
            pub conversions: Vec<ConversionReport>,
            /// Every layer written in another compression, with its old
            /// and new digest (the diff_id is unchanged).
            pub recompressed: Vec<RecompressedLayer>,
            /// Every blob, once each.
            pub blobs: Vec<BlobSummary>,
            /// Bytes written to the destination (blobs that existed or were
            /// mounted count for nothing).
            pub bytes_copied: $size,
            /// Manifests written, children first, the named one last.
            pub manifests: Vec<String>,
        }

        /// An artifact a copy brought because it refers to an image copied.
        $(#[$record])*
        pub struct ReferrerSummary {
            /// The image it refers to.
            pub subject: String,
            /// The referrer's own digest.
            pub digest: String,
            /// Its artifact type, when it declares one.
            pub artifact_type: Option<String>,
            /// The cosign tag it was found under (`sha256-<hex>.sig`, ...),
            /// or none when found by its subject.
            pub tag: Option<String>,
        }

        /// A layer a copy wrote in another compression.
        $(#[$record])*
        pub struct RecompressedLayer {
            /// The source blob's digest.
            pub source: String,
            /// The source blob's size.
            pub source_size: $size,
            /// The new blob's digest, as the written manifest names it.
            pub digest: String,
            /// The new blob's size.
            pub size: $size,
            /// The diff_id, the same for both.
            pub diff_id: String,
            /// The new blob's compression: `gzip` or `zstd`.
            pub compression: String,
        }

        /// The digests of a layer blob.
        $(#[$record])*
        pub struct LayerDigests {
            /// Digest of the uncompressed tar stream.
            pub diff_id: String,
            /// Digest of the blob as stored.
            pub digest: String,
            /// `none`, `gzip`, `zstd`, `bzip2` or `xz`.
            pub compression: String,
            /// Size of the blob as stored.
            pub size: $size,
            /// Size of the uncompressed tar stream.
            pub uncompressed_size: $size,
        }

        impl From<tranship::layer::LayerDigests> for LayerDigests {
            fn from(l: tranship::layer::LayerDigests) -> Self {
                LayerDigests {
                    diff_id: l.diff_id.to_string(),
                    digest: l.compressed.to_string(),
                    compression: l.compression.as_str().to_string(),
                    size: size(l.compressed_size),
                    uncompressed_size: size(l.uncompressed_size),
                }
            }
        }

        /// One blob of a copy.
        $(#[$record])*
        pub struct BlobSummary {
            /// Its digest.
            pub digest: String,
            /// Its size in bytes.
            pub size: $size,
            /// `existed`, `mounted` or `copied`.
            pub outcome: String,
        }

        impl From<tranship::copy::CopySummary> for CopySummary {
            fn from(s: tranship::copy::CopySummary) -> Self {
                CopySummary {
                    source: s.source,
                    destination: s.destination,
                    source_digest: s.source_digest.to_string(),
                    destination_digest: s.destination_digest.to_string(),
                    media_type: s.media_type,
                    platforms: s.platforms,
                    platform_reason: s.platform_reason,
                    sparse: s.sparse.iter().map(ToString::to_string).collect(),
                    stripped: s.stripped.iter().map(ToString::to_string).collect(),
                    referrers: s
                        .referrers
                        .into_iter()
                        .map(|r| ReferrerSummary {
                            subject: r.subject.to_string(),
                            digest: r.digest.to_string(),
                            artifact_type: r.artifact_type,
                            tag: r.tag,
                        })
                        .collect(),
                    warnings: s.warnings,
                    conversions: s.conversions.into_iter().map(Into::into).collect(),
                    recompressed: s
                        .recompressed
                        .into_iter()
                        .map(|r| RecompressedLayer {
                            source: r.source.to_string(),
                            source_size: size(r.source_size),
                            digest: r.digest.to_string(),
                            size: size(r.size),
                            diff_id: r.diff_id.to_string(),
                            compression: r.compression.to_string(),
                        })
                        .collect(),
                    blobs: s
                        .blobs
                        .into_iter()
                        .map(|b| BlobSummary {
                            digest: b.digest.to_string(),
                            size: size(b.size),
                            outcome: b.outcome.to_string(),
                        })
                        .collect(),
                    bytes_copied: size(s.bytes_copied),
                    manifests: s.manifests.iter().map(ToString::to_string).collect(),
                }
            }
        }
    };
}
