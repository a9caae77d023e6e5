//! Taking typed fields out of a parsed JSON object, with errors that name
//! the field's path (`layers[2].digest: ...`).
//!
//! Manifests are read in two steps: the bytes become a JSON object, then
//! each known field is taken out and checked here. What is left over is
//! kept verbatim as the document's `extra` fields.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use crate::descriptor::Descriptor;
use crate::digest::Digest;
use crate::error::{Error, Result};
use crate::media_type::MediaType;
use crate::platform::Platform;

/// The JSON type of a value, for messages ("found a number").
pub(crate) fn json_type(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// An `INVALID_MANIFEST` error about the field at `path`.
pub(crate) fn invalid(path: &str, reason: impl std::fmt::Display) -> Error {
    Error::InvalidManifest(format!("{path}: {reason}"))
}

/// The fields of one JSON object, taken out one by one.
pub(crate) struct Fields {
    map: Map<String, Value>,
    /// Path of the object itself; empty for the document root.
    path: String,
}

impl Fields {
    /// Wraps an object found at `path` (empty for the root).
    pub(crate) fn new(map: Map<String, Value>, path: impl Into<String>) -> Self {
        Fields {
            map,
            path: path.into(),
        }
    }

    /// Wraps `value`, which must be an object.
    pub(crate) fn from_value(value: Value, path: &str) -> Result<Self> {
        match value {
            Value::Object(map) => Ok(Fields::new(map, path)),
            other => Err(invalid(
                path,
                format_args!("expected an object, found {}", json_type(&other)),
            )),
        }
    }

    /// The path of a field of this object.
    pub(crate) fn path_of(&self, key: &str) -> String {
        if self.path.is_empty() {
            key.to_string()
        } else {
            format!("{}.{key}", self.path)
        }
    }

    /// Takes a field out; JSON `null` counts as absent.
    pub(crate) fn take(&mut self, key: &str) -> Option<Value> {
        match self.map.remove(key) {
            None | Some(Value::Null) => None,
            Some(v) => Some(v),
        }
    }

    /// Takes an optional string field.
    pub(crate) fn string(&mut self, key: &str) -> Result<Option<String>> {
        match self.take(key) {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s)),
            Some(other) => Err(self.wrong_type(key, "a string", &other)),
        }
    }

    /// Takes a required string field.
    pub(crate) fn required_string(&mut self, key: &str) -> Result<String> {
        self.string(key)?.ok_or_else(|| self.missing(key))
    }

    /// Takes an optional non-negative integer field.
    pub(crate) fn u64(&mut self, key: &str) -> Result<Option<u64>> {
        match self.take(key) {
            None => Ok(None),
            Some(Value::Number(n)) => match n.as_u64() {
                Some(v) => Ok(Some(v)),
                None => Err(invalid(
                    &self.path_of(key),
                    format_args!("expected a non-negative integer, found {n}"),
                )),
            },
            Some(other) => Err(self.wrong_type(key, "a non-negative integer", &other)),
        }
    }

    /// Takes an optional array field, refusing more than `limit` items.
    pub(crate) fn array(
        &mut self,
        key: &str,
        limit: Option<(&'static str, u64)>,
    ) -> Result<Option<Vec<Value>>> {
        match self.take(key) {
            None => Ok(None),
            Some(Value::Array(items)) => {
                if let Some((what, max)) = limit {
                    crate::limits::Limits::check(what, items.len() as u64, max)?;
                }
                Ok(Some(items))
            }
            Some(other) => Err(self.wrong_type(key, "an array", &other)),
        }
    }

    /// Takes an optional object field.
    pub(crate) fn object(&mut self, key: &str) -> Result<Option<Fields>> {
        let path = self.path_of(key);
        match self.take(key) {
            None => Ok(None),
            Some(v) => Fields::from_value(v, &path).map(Some),
        }
    }

    /// Takes an optional `{string: string}` map (annotations); null or
    /// absent is empty.
    pub(crate) fn string_map(&mut self, key: &str) -> Result<BTreeMap<String, String>> {
        let path = self.path_of(key);
        let Some(fields) = self.object(key)? else {
            return Ok(BTreeMap::new());
        };
        fields
            .map
            .into_iter()
            .map(|(k, v)| match v {
                Value::String(s) => Ok((k, s)),
                other => Err(invalid(
                    &format!("{path}.{k}"),
                    format_args!("expected a string, found {}", json_type(&other)),
                )),
            })
            .collect()
    }

    /// Takes an optional array of strings; null or absent is empty.
    pub(crate) fn string_list(&mut self, key: &str) -> Result<Vec<String>> {
        let path = self.path_of(key);
        let items = self.array(key, None)?.unwrap_or_default();
        items
            .into_iter()
            .enumerate()
            .map(|(i, v)| match v {
                Value::String(s) => Ok(s),
                other => Err(invalid(
                    &format!("{path}[{i}]"),
                    format_args!("expected a string, found {}", json_type(&other)),
                )),
            })
            .collect()
    }

    /// Takes an optional digest field.
    pub(crate) fn digest(&mut self, key: &str) -> Result<Option<Digest>> {
        let path = self.path_of(key);
        match self.string(key)? {
            None => Ok(None),
            Some(s) => s.parse().map(Some).map_err(|e| invalid(&path, e)),
        }
    }

    /// Takes a required digest field.
    pub(crate) fn required_digest(&mut self, key: &str) -> Result<Digest> {
        self.digest(key)?.ok_or_else(|| self.missing(key))
    }

    /// Takes an optional media type field.
    pub(crate) fn media_type(&mut self, key: &str) -> Result<Option<MediaType>> {
        Ok(self.string(key)?.map(|s| MediaType::from(s.as_str())))
    }

    /// Takes an optional descriptor field.
    pub(crate) fn descriptor(&mut self, key: &str) -> Result<Option<Descriptor>> {
        let path = self.path_of(key);
        match self.take(key) {
            None => Ok(None),
            Some(v) => descriptor(v, &path).map(Some),
        }
    }

    /// Takes an optional array of descriptors, refusing more than `limit`.
    pub(crate) fn descriptors(
        &mut self,
        key: &str,
        limit: (&'static str, u64),
    ) -> Result<Vec<Descriptor>> {
        let path = self.path_of(key);
        let items = self.array(key, Some(limit))?.unwrap_or_default();
        items
            .into_iter()
            .enumerate()
            .map(|(i, v)| descriptor(v, &format!("{path}[{i}]")))
            .collect()
    }

    /// Everything not taken yet, kept as found (nulls included).
    pub(crate) fn rest(self) -> BTreeMap<String, Value> {
        self.map.into_iter().collect()
    }

    /// An error for a required field that is absent or null.
    pub(crate) fn missing(&self, key: &str) -> Error {
        invalid(&self.path_of(key), "required field is missing")
    }

    fn wrong_type(&self, key: &str, expected: &str, found: &Value) -> Error {
        invalid(
            &self.path_of(key),
            format_args!("expected {expected}, found {}", json_type(found)),
        )
    }
}

/// Reads a descriptor found at `path`, checking each field.
pub(crate) fn descriptor(value: Value, path: &str) -> Result<Descriptor> {
    let mut f = Fields::from_value(value, path)?;
    let media_type = f
        .media_type("mediaType")?
        .ok_or_else(|| f.missing("mediaType"))?;
    let digest = f.required_digest("digest")?;
    let size = f.u64("size")?.ok_or_else(|| f.missing("size"))?;
    let urls = f.string_list("urls")?;
    let annotations = f.string_map("annotations")?;
    let platform = match f.take("platform") {
        None => None,
        Some(v) => {
            let p: Platform =
                serde_json::from_value(v).map_err(|e| invalid(&f.path_of("platform"), e))?;
            Some(p)
        }
    };
    let artifact_type = f.string("artifactType")?;
    Ok(Descriptor {
        media_type,
        digest,
        size,
        urls,
        annotations,
        platform,
        artifact_type,
        extra: f.rest(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn descriptor_errors_name_the_field() {
        let v = json!({"mediaType": "a/b", "digest": "sha256:xyz", "size": 1});
        let e = descriptor(v, "layers[2]").unwrap_err().to_string();
        assert!(
            e.contains("layers[2].digest: invalid digest `sha256:xyz`"),
            "{e}"
        );

        let v =
            json!({"mediaType": "a/b", "digest": format!("sha256:{}", "a".repeat(64)), "size": -1});
        let e = descriptor(v, "config").unwrap_err().to_string();
        assert!(
            e.contains("config.size: expected a non-negative integer, found -1"),
            "{e}"
        );

        let v = json!({"digest": format!("sha256:{}", "a".repeat(64)), "size": 1});
        let e = descriptor(v, "subject").unwrap_err().to_string();
        assert!(
            e.contains("subject.mediaType: required field is missing"),
            "{e}"
        );
    }

    #[test]
    fn descriptor_null_lists_are_empty_and_unknown_fields_kept() {
        let v = json!({
            "mediaType": "a/b", "digest": format!("sha256:{}", "a".repeat(64)), "size": 1,
            "urls": null, "annotations": null, "data": "YQ=="
        });
        let d = descriptor(v, "config").unwrap();
        assert!(d.urls.is_empty() && d.annotations.is_empty());
        assert_eq!(d.extra.get("data"), Some(&json!("YQ==")));
    }
}
