// The check report as records, written once for the Node and uniffi
// bindings: each includes this file (`include!`) and calls the macro with
// its record attribute and the type it gives sizes (`f64` in JavaScript,
// `u64` in Kotlin and Swift), converted by its `size` function.

macro_rules! check_records {
    ($(#[$record:meta])* size = $size:ident) => {
        /// What `check` returns: every child and blob an image names, once
        /// each, children first.
        $(#[$record])*
        pub struct CheckReport {
            /// The address checked.
            pub address: String,
            /// The digest of what the address names.
            pub digest: String,
            /// Its media type.
            pub media_type: String,
            /// True when every child and blob is present.
            pub complete: bool,
            /// True when blob contents were hashed; false when only their
            /// presence and size were checked (registries, unless `full`).
            pub hashed: bool,
            /// The children of an index (empty for a single image).
            pub children: Vec<ChildCheck>,
            /// The blobs of every image present.
            pub blobs: Vec<BlobCheck>,
        }

        /// A child manifest of an index, as `check` found it.
        $(#[$record])*
        pub struct ChildCheck {
            /// Its digest, as the index names it.
            pub digest: String,
            /// Its platform as the index gives it, if any.
            pub platform: Option<String>,
            /// `present`, `missing`, `digest_mismatch` or `size_mismatch`.
            pub state: String,
        }

        /// A blob (config or layer), as `check` found it.
        $(#[$record])*
        pub struct BlobCheck {
            /// Its digest.
            pub digest: String,
            /// The size its descriptor gives (schema1 layers give none).
            pub size: Option<$size>,
            /// The size found, when it is there.
            pub found_size: Option<$size>,
            /// `present`, `missing`, `digest_mismatch` or `size_mismatch`.
            pub state: String,
        }

        impl From<tranship::check::CheckReport> for CheckReport {
            fn from(r: tranship::check::CheckReport) -> Self {
                CheckReport {
                    address: r.address,
                    digest: r.digest.to_string(),
                    media_type: r.media_type,
                    complete: r.complete,
                    hashed: r.hashed,
                    children: r
                        .children
                        .into_iter()
                        .map(|c| ChildCheck {
                            digest: c.digest.to_string(),
                            platform: c.platform,
                            state: c.state.as_str().into(),
                        })
                        .collect(),
                    blobs: r
                        .blobs
                        .into_iter()
                        .map(|b| BlobCheck {
                            digest: b.digest.to_string(),
                            size: b.size.map(size),
                            found_size: b.found_size.map(size),
                            state: b.state.as_str().into(),
                        })
                        .collect(),
                }
            }
        }
    };
}
