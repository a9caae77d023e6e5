//! Caps that keep hostile input harmless.
//!
//! Every parser takes a [`Limits`]; the defaults follow the distribution
//! registry (4 MiB manifests) and are generous for real images.

/// Bounds applied while parsing manifests and configs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Largest manifest accepted, in bytes (default 4 MiB).
    pub max_manifest_bytes: u64,
    /// Largest image config accepted, in bytes (default 4 MiB).
    pub max_config_bytes: u64,
    /// Most layers (or schema1 `fsLayers`) in one manifest (default 1000).
    pub max_layers: u64,
    /// Most entries in one index or manifest list (default 1000).
    pub max_children: u64,
    /// Deepest JSON nesting accepted (default 64).
    pub max_json_depth: u64,
    /// Most JWS signatures on one signed schema1 manifest (default 16;
    /// each is an ECDSA verification).
    pub max_signatures: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_manifest_bytes: 4 * 1024 * 1024,
            max_config_bytes: 4 * 1024 * 1024,
            max_layers: 1000,
            max_children: 1000,
            max_json_depth: 64,
            max_signatures: 16,
        }
    }
}

impl Limits {
    /// Fails with `LIMIT_EXCEEDED` when `found` is over `limit`.
    pub fn check(what: &'static str, found: u64, limit: u64) -> crate::Result<()> {
        if found > limit {
            Err(crate::Error::LimitExceeded { what, found, limit })
        } else {
            Ok(())
        }
    }
}

/// Caps as plain values, as front ends collect them: each field left out
/// keeps its [`Limits::default`]. Signed, because the numbers of several
/// front ends are; [`Limits::from_settings`] refuses a negative value.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LimitSettings {
    /// [`Limits::max_manifest_bytes`].
    pub max_manifest_bytes: Option<i64>,
    /// [`Limits::max_config_bytes`].
    pub max_config_bytes: Option<i64>,
    /// [`Limits::max_layers`].
    pub max_layers: Option<i64>,
    /// [`Limits::max_children`].
    pub max_children: Option<i64>,
    /// [`Limits::max_json_depth`].
    pub max_json_depth: Option<i64>,
    /// [`Limits::max_signatures`].
    pub max_signatures: Option<i64>,
}

impl Limits {
    /// The limits `settings` ask for, defaults where a field is left out.
    /// Fails with `INVALID_CONFIG`, naming the field, when a value is
    /// negative.
    ///
    /// ```
    /// use tranship::limits::{LimitSettings, Limits};
    /// let l = Limits::from_settings(&LimitSettings { max_layers: Some(10), ..Default::default() })?;
    /// assert_eq!((l.max_layers, l.max_children), (10, Limits::default().max_children));
    /// let bad = LimitSettings { max_json_depth: Some(-1), ..Default::default() };
    /// let e = Limits::from_settings(&bad).unwrap_err();
    /// assert_eq!(e.code(), "INVALID_CONFIG");
    /// assert!(e.to_string().contains("max_json_depth"));
    /// # Ok::<(), tranship::Error>(())
    /// ```
    pub fn from_settings(settings: &LimitSettings) -> crate::Result<Limits> {
        let d = Limits::default();
        let pick = |field: &str, given: Option<i64>, default: u64| match given {
            None => Ok(default),
            Some(v) => u64::try_from(v).map_err(|_| {
                crate::Error::InvalidConfig(format!("{field} must be 0 or more, found {v}"))
            }),
        };
        Ok(Limits {
            max_manifest_bytes: pick(
                "max_manifest_bytes",
                settings.max_manifest_bytes,
                d.max_manifest_bytes,
            )?,
            max_config_bytes: pick(
                "max_config_bytes",
                settings.max_config_bytes,
                d.max_config_bytes,
            )?,
            max_layers: pick("max_layers", settings.max_layers, d.max_layers)?,
            max_children: pick("max_children", settings.max_children, d.max_children)?,
            max_json_depth: pick("max_json_depth", settings.max_json_depth, d.max_json_depth)?,
            max_signatures: pick("max_signatures", settings.max_signatures, d.max_signatures)?,
        })
    }
}
