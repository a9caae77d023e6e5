// The core's manifest and conversion reports as records, written once for
// the Node and uniffi bindings: each includes this file (`include!`) and
// calls the macro with its record attribute, the type it gives sizes
// (`f64` in JavaScript, `u64` in Kotlin and Swift, converted by its `size`
// function) and its map type; `core` names `tranship::manifest`.

macro_rules! report_records {
    ($(#[$record:meta])* size = $size:ident, map = $map:ident) => {
        /// What `Manifest.report()` returns.
        $(#[$record])*
        pub struct ManifestReport {
            /// `schema1`, `schema1-signed`, `schema2`, `docker-list`,
            /// `oci-manifest` or `oci-index`.
            pub format: String,
            /// The media type the manifest was read as.
            pub media_type: String,
            /// `content-type` or `content`: where the type came from.
            pub detected_from: String,
            /// The manifest digest (signed schema1: of the JWS payload).
            pub digest: String,
            /// Length of the raw bytes.
            pub size: $size,
            /// The config descriptor (image manifests only).
            pub config: Option<DescriptorReport>,
            /// The layers; for schema1 the `fsLayers` in manifest order.
            pub layers: Vec<DescriptorReport>,
            /// The entries of an index or list.
            pub manifests: Vec<IndexEntryReport>,
            /// The `artifactType` field (OCI 1.1).
            pub artifact_type: Option<String>,
            /// The `subject` descriptor (OCI 1.1).
            pub subject: Option<DescriptorReport>,
            /// The top-level annotations.
            pub annotations: $map<String, String>,
            /// schema1 naming fields.
            pub schema1: Option<Schema1Report>,
            /// One entry per JWS signature (signed schema1 only).
            pub signatures: Vec<SignatureReport>,
        }

        /// A descriptor in a report; schema1 layers have no media type or size.
        $(#[$record])*
        pub struct DescriptorReport {
            /// Media type of the content.
            pub media_type: Option<String>,
            /// Digest of the content.
            pub digest: String,
            /// Size in bytes.
            pub size: Option<$size>,
        }

        /// An entry of an index or list.
        $(#[$record])*
        pub struct IndexEntryReport {
            /// Media type of the child manifest.
            pub media_type: String,
            /// Digest of the child manifest.
            pub digest: String,
            /// Size of the child manifest in bytes.
            pub size: $size,
            /// Normalised platform text, e.g. `linux/arm64/v8`.
            pub platform: Option<String>,
        }

        /// The naming fields of a schema1 manifest.
        $(#[$record])*
        pub struct Schema1Report {
            /// Repository path.
            pub name: String,
            /// Tag.
            pub tag: String,
            /// CPU architecture.
            pub architecture: String,
        }

        /// One JWS signature of a signed schema1 manifest.
        $(#[$record])*
        pub struct SignatureReport {
            /// The algorithm, e.g. `ES256`.
            pub alg: String,
            /// The signer's key id in libtrust form, when the key could be read.
            pub key_id: Option<String>,
            /// Whether the signature verifies over the payload.
            pub verified: bool,
        }

        /// A key that produced a valid signature.
        $(#[$record])*
        pub struct Signer {
            /// The algorithm, e.g. `ES256`.
            pub alg: String,
            /// The key id in libtrust form (`ABCD:EFGH:...`, 12 groups).
            pub key_id: String,
        }

        impl From<core::ManifestReport> for ManifestReport {
            fn from(r: core::ManifestReport) -> Self {
                ManifestReport {
                    format: r.format.to_string(),
                    media_type: r.media_type.to_string(),
                    detected_from: r.detected_from.as_str().to_string(),
                    digest: r.digest.to_string(),
                    size: size(r.size),
                    config: r.config.map(Into::into),
                    layers: r.layers.into_iter().map(Into::into).collect(),
                    manifests: r.manifests.into_iter().map(Into::into).collect(),
                    artifact_type: r.artifact_type,
                    subject: r.subject.map(Into::into),
                    annotations: r.annotations.into_iter().collect(),
                    schema1: r.schema1.map(|s| Schema1Report {
                        name: s.name,
                        tag: s.tag,
                        architecture: s.architecture,
                    }),
                    signatures: r
                        .signatures
                        .into_iter()
                        .map(|s| SignatureReport {
                            alg: s.alg,
                            key_id: s.key_id,
                            verified: s.verified,
                        })
                        .collect(),
                }
            }
        }

        impl From<core::DescriptorReport> for DescriptorReport {
            fn from(d: core::DescriptorReport) -> Self {
                DescriptorReport {
                    media_type: d.media_type.map(|m| m.to_string()),
                    digest: d.digest.to_string(),
                    size: d.size.map(size),
                }
            }
        }

        impl From<core::IndexEntryReport> for IndexEntryReport {
            fn from(e: core::IndexEntryReport) -> Self {
                IndexEntryReport {
                    media_type: e.media_type.to_string(),
                    digest: e.digest.to_string(),
                    size: size(e.size),
                    platform: e.platform,
                }
            }
        }

        impl From<core::Signer> for Signer {
            fn from(s: core::Signer) -> Self {
                Signer {
                    alg: s.alg,
                    key_id: s.key_id,
                }
            }
        }

        /// What a conversion changed and lost.
        $(#[$record])*
        pub struct ConversionReport {
            /// Format of the source.
            pub source_format: String,
            /// Digest of the source.
            pub source_digest: String,
            /// Format of the result.
            pub result_format: String,
            /// Digest of the result.
            pub result_digest: String,
            /// Digest of the source's config.
            pub source_config_digest: Option<String>,
            /// Digest of the result's config.
            pub result_config_digest: Option<String>,
            /// What the result cannot carry, in a fixed order.
            pub lost: Vec<String>,
        }

        impl From<tranship::convert::ConversionReport> for ConversionReport {
            fn from(r: tranship::convert::ConversionReport) -> Self {
                ConversionReport {
                    source_format: r.source_format.to_string(),
                    source_digest: r.source_digest.to_string(),
                    result_format: r.result_format.to_string(),
                    result_digest: r.result_digest.to_string(),
                    source_config_digest: r.source_config_digest.map(|d| d.to_string()),
                    result_config_digest: r.result_config_digest.map(|d| d.to_string()),
                    lost: r.lost,
                }
            }
        }
    };
}
