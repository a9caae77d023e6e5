//! JSON read into typed structures and written back the way Go's
//! `encoding/json` (Go 1.19) does it, for the conversions that re-encode a
//! document through Go structs (containers/image's old-image config and
//! OCI config re-encoding, its schema1 history reader).
//!
//! Go's decoder has habits a generic JSON value loses:
//! - object keys match struct fields exactly, else case-insensitively
//!   (with `ſ` folding to `s` and the Kelvin sign to `k`); unknown keys
//!   are ignored;
//! - a repeated key decodes again *into* the field: structs and maps
//!   merge, slices reuse their elements, `null` leaves strings, numbers,
//!   booleans and structs alone and resets pointers, slices and maps;
//! - a value of the wrong JSON type fails the whole decode;
//! - integers are read from their literal (`1.0` is not an integer).
//!
//! Values are read from [`RawValue`]s so that nothing is re-spelled before
//! Go would see it (a time is parsed from its raw literal, escapes and all).

mod containers;
mod scalars;

use std::fmt;

use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::value::RawValue;

pub(crate) use containers::{Empty, GoMap, GoSlice, StrSlice};
pub(crate) use scalars::{GoTime, Json};

use crate::error::{Error, Result};
use crate::json::write_go_string;

/// The JSON type of a raw value, told from its first byte.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Null,
    Bool,
    Number,
    String,
    Array,
    Object,
}

impl Kind {
    pub(crate) fn of(raw: &RawValue) -> Kind {
        match raw.get().as_bytes().first() {
            Some(b'n') => Kind::Null,
            Some(b't' | b'f') => Kind::Bool,
            Some(b'"') => Kind::String,
            Some(b'[') => Kind::Array,
            Some(b'{') => Kind::Object,
            _ => Kind::Number,
        }
    }

    fn name(self) -> &'static str {
        match self {
            Kind::Null => "null",
            Kind::Bool => "a boolean",
            Kind::Number => "a number",
            Kind::String => "a string",
            Kind::Array => "an array",
            Kind::Object => "an object",
        }
    }
}

/// An `INVALID_JSON` error: Go cannot read the value at `path` as `want`.
pub(crate) fn mismatch(path: &str, want: &str, raw: &RawValue) -> Error {
    Error::InvalidJson(format!(
        "{path}: expected {want}, found {}",
        Kind::of(raw).name()
    ))
}

/// The members of a JSON object in document order, repeated keys kept,
/// keys unescaped and values raw.
pub(crate) struct Members<'a>(pub(crate) Vec<(String, &'a RawValue)>);

impl<'de> Deserialize<'de> for Members<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        struct ObjectVisitor;
        impl<'de> Visitor<'de> for ObjectVisitor {
            type Value = Members<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: MapAccess<'de>>(
                self,
                mut map: A,
            ) -> std::result::Result<Self::Value, A::Error> {
                let mut out = Vec::new();
                while let Some(key) = map.next_key::<String>()? {
                    out.push((key, map.next_value::<&'de RawValue>()?));
                }
                Ok(Members(out))
            }
        }
        d.deserialize_map(ObjectVisitor)
    }
}

/// The elements of a JSON array, raw.
struct Elements<'a>(Vec<&'a RawValue>);

impl<'de> Deserialize<'de> for Elements<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        struct ArrayVisitor;
        impl<'de> Visitor<'de> for ArrayVisitor {
            type Value = Elements<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a JSON array")
            }
            fn visit_seq<A: SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> std::result::Result<Self::Value, A::Error> {
                let mut out = Vec::new();
                while let Some(v) = seq.next_element::<&'de RawValue>()? {
                    out.push(v);
                }
                Ok(Elements(out))
            }
        }
        d.deserialize_seq(ArrayVisitor)
    }
}

/// The members of the JSON object `text`; fails with `INVALID_JSON` when
/// it is not one.
pub(crate) fn members<'a>(text: &'a str, path: &str) -> Result<Members<'a>> {
    serde_json::from_str(text).map_err(|e| Error::InvalidJson(format!("{path}: {e}")))
}

pub(crate) fn elements<'a>(raw: &'a RawValue, path: &str) -> Result<Vec<&'a RawValue>> {
    serde_json::from_str::<Elements<'a>>(raw.get())
        .map(|e| e.0)
        .map_err(|e| Error::InvalidJson(format!("{path}: {e}")))
}

/// A value Go decodes into (`json.Unmarshal` into the Go type it models).
pub(crate) trait GoDecode {
    /// Decodes `raw` into `self`, which may already hold a value from an
    /// earlier occurrence of the same key.
    fn decode(&mut self, raw: &RawValue, path: &str) -> Result<()>;
}

/// A value Go encodes (`json.Marshal`).
pub(crate) trait GoEncode {
    /// Appends the JSON text.
    fn encode(&self, out: &mut String);
    /// Whether `omitempty` leaves the field out.
    fn is_empty(&self) -> bool;
}

/// Go's field lookup: an exact match first, then the first field equal
/// under Go 1.19's case folding.
pub(crate) fn field_index(names: &[&str], key: &str) -> Option<usize> {
    names
        .iter()
        .position(|n| *n == key)
        .or_else(|| names.iter().position(|n| go_fold_eq(n, key)))
}

/// `encoding/json`'s fold for an ASCII field name: letters compare
/// without case, `s` also equals `ſ` (U+017F) and `k` the Kelvin sign.
fn go_fold_eq(name: &str, key: &str) -> bool {
    let mut key = key.chars();
    for n in name.bytes() {
        let ok = match key.next() {
            Some(c) if c.is_ascii() => (c as u8).eq_ignore_ascii_case(&n),
            Some('\u{17f}') => n.eq_ignore_ascii_case(&b's'),
            Some('\u{212a}') => n.eq_ignore_ascii_case(&b'k'),
            _ => false,
        };
        if !ok {
            return false;
        }
    }
    key.next().is_none()
}

/// Decodes a JSON object into a Go struct whose JSON field names are
/// `names`: `field(index, value, path)` is called for each member that
/// matches, in document order. `null` leaves the struct as it is.
pub(crate) fn decode_struct(
    raw: &RawValue,
    path: &str,
    names: &[&str],
    mut field: impl FnMut(usize, &RawValue, &str) -> Result<()>,
) -> Result<()> {
    match Kind::of(raw) {
        Kind::Null => Ok(()),
        Kind::Object => {
            for (key, value) in members(raw.get(), path)?.0 {
                if let Some(i) = field_index(names, &key) {
                    let at = if path.is_empty() {
                        names[i].to_string()
                    } else {
                        format!("{path}.{}", names[i])
                    };
                    field(i, value, &at)?;
                }
            }
            Ok(())
        }
        _ => Err(mismatch(path, "an object", raw)),
    }
}

/// Writes a Go struct field by field, in declaration order.
#[derive(Debug, Default)]
pub(crate) struct GoStruct(String);

impl GoStruct {
    /// Adds a field (Go: no `omitempty`).
    pub(crate) fn field(&mut self, key: &str, value: &dyn GoEncode) -> &mut Self {
        self.0.push(if self.0.is_empty() { '{' } else { ',' });
        write_go_string(&mut self.0, key);
        self.0.push(':');
        value.encode(&mut self.0);
        self
    }

    /// Adds a field tagged `omitempty`: left out when empty.
    pub(crate) fn omitempty(&mut self, key: &str, value: &dyn GoEncode) -> &mut Self {
        if !value.is_empty() {
            self.field(key, value);
        }
        self
    }

    /// The object's text.
    pub(crate) fn finish(&self) -> String {
        if self.0.is_empty() {
            "{}".to_string()
        } else {
            format!("{}}}", self.0)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_follows_go() {
        assert!(go_fold_eq("Cmd", "cMD"));
        assert!(go_fold_eq("os.features", "OS.FEATUREſ"));
        assert!(go_fold_eq("Hostname", "Ho\u{17f}tname"));
        assert!(!go_fold_eq("container_config", "container-config"));
        assert!(!go_fold_eq("id", "i"));
        assert_eq!(field_index(&["a", "A"], "A"), Some(1));
        assert_eq!(field_index(&["a", "b"], "B"), Some(1));
    }
}
