//! Docker image manifest schema 1, signed or not.
//!
//! The fields are read from the body, as containers/image does. A signed
//! manifest's digest and signatures cover its JWS payload instead, so the
//! signatures only count as verified when that payload is exactly the body
//! without its `signatures` (see [`Jws::payload_mismatch`]).

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::{Map, Value};

use super::fields::{invalid, Fields};
use super::jws::Jws;
use crate::digest::Digest;
use crate::error::Result;
use crate::limits::Limits;

/// A schema1 manifest (`application/vnd.docker.distribution.manifest.v1+json`
/// or `...v1+prettyjws` when signed).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Schema1 {
    /// Always 1.
    pub schema_version: u64,
    /// Repository path, e.g. `library/busybox` (empty when absent).
    pub name: String,
    /// Tag (empty when absent).
    pub tag: String,
    /// CPU architecture (empty when absent).
    pub architecture: String,
    /// Layer blobs, top (newest) first.
    pub fs_layers: Vec<FsLayer>,
    /// One history entry per layer, in the same order.
    pub history: Vec<History>,
    /// Any other field, kept as found.
    #[serde(flatten)]
    pub extra: BTreeMap<String, Value>,
    /// The signatures and signed payload, when signed.
    #[serde(skip)]
    pub jws: Option<Jws>,
}

/// An entry of `fsLayers`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FsLayer {
    /// Digest of the (compressed) layer blob.
    pub blob_sum: Digest,
    /// Any other field, kept as found.
    #[serde(flatten)]
    pub extra: BTreeMap<String, Value>,
}

/// An entry of `history`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct History {
    /// The v1 image JSON of this layer, as a string.
    pub v1_compatibility: String,
    /// Any other field, kept as found.
    #[serde(flatten)]
    pub extra: BTreeMap<String, Value>,
}

impl Schema1 {
    /// True when the manifest carries JWS signatures.
    pub fn is_signed(&self) -> bool {
        self.jws.is_some()
    }

    /// Reads a schema1 body. `raw` is the whole document; when it has
    /// `signatures`, the JWS payload is rebuilt from it for the digest and
    /// the signatures. The fields are read from the body, as
    /// containers/image does; signatures only count as verified when the
    /// payload is the body without its `signatures`.
    pub(crate) fn parse(
        raw: &[u8],
        mut body: Map<String, Value>,
        limits: &Limits,
    ) -> Result<Schema1> {
        let jws = match body.remove("signatures").filter(|v| !v.is_null()) {
            Some(signatures) => Some(Jws::parse(raw, signatures, &body, limits)?),
            None => None,
        };
        let mut f = Fields::new(body, "");
        let schema_version = f.u64("schemaVersion")?.unwrap_or(1);
        let name = f.string("name")?.unwrap_or_default();
        let tag = f.string("tag")?.unwrap_or_default();
        let architecture = f.string("architecture")?.unwrap_or_default();
        let layer_limit = Some(("number of layers", limits.max_layers));
        let fs_layers = f.array("fsLayers", layer_limit)?.unwrap_or_default();
        let history = f.array("history", layer_limit)?.unwrap_or_default();
        if fs_layers.len() != history.len() {
            return Err(invalid(
                "history",
                format_args!(
                    "{} entries, but fsLayers has {}; schema1 needs one history entry per layer",
                    history.len(),
                    fs_layers.len()
                ),
            ));
        }
        if fs_layers.is_empty() {
            return Err(invalid(
                "fsLayers",
                "a schema1 manifest needs at least one layer",
            ));
        }
        let fs_layers = fs_layers
            .into_iter()
            .enumerate()
            .map(|(i, v)| {
                let mut l = Fields::from_value(v, &format!("fsLayers[{i}]"))?;
                let blob_sum = l.required_digest("blobSum")?;
                Ok(FsLayer {
                    blob_sum,
                    extra: l.rest(),
                })
            })
            .collect::<Result<Vec<_>>>()?;
        let history = history
            .into_iter()
            .enumerate()
            .map(|(i, v)| parse_history(v, &format!("history[{i}]"), limits))
            .collect::<Result<Vec<_>>>()?;
        Ok(Schema1 {
            schema_version,
            name,
            tag,
            architecture,
            fs_layers,
            history,
            extra: f.rest(),
            jws,
        })
    }
}

fn parse_history(value: Value, path: &str, limits: &Limits) -> Result<History> {
    let mut h = Fields::from_value(value, path)?;
    let v1 = h.required_string("v1Compatibility")?;
    let what = format!("{path}.v1Compatibility");
    crate::json::check_depth(v1.as_bytes(), limits.max_json_depth)?;
    match serde_json::from_str::<Value>(&v1) {
        Ok(Value::Object(_)) => {}
        Ok(other) => {
            return Err(invalid(
                &what,
                format_args!(
                    "expected a JSON object in the string, found {}",
                    super::fields::json_type(&other)
                ),
            ))
        }
        Err(e) => return Err(invalid(&what, format_args!("not JSON: {e}"))),
    }
    Ok(History {
        v1_compatibility: v1,
        extra: h.rest(),
    })
}
