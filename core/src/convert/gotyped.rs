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

use std::collections::BTreeMap;
use std::fmt;

use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::value::RawValue;

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

fn elements<'a>(raw: &'a RawValue, path: &str) -> Result<Vec<&'a RawValue>> {
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

impl GoDecode for String {
    fn decode(&mut self, raw: &RawValue, path: &str) -> Result<()> {
        match Kind::of(raw) {
            Kind::Null => Ok(()),
            Kind::String => {
                *self = serde_json::from_str(raw.get())
                    .map_err(|e| Error::InvalidJson(format!("{path}: {e}")))?;
                Ok(())
            }
            _ => Err(mismatch(path, "a string", raw)),
        }
    }
}

impl GoEncode for String {
    fn encode(&self, out: &mut String) {
        write_go_string(out, self);
    }
    fn is_empty(&self) -> bool {
        str::is_empty(self)
    }
}

impl GoDecode for bool {
    fn decode(&mut self, raw: &RawValue, path: &str) -> Result<()> {
        match raw.get() {
            "null" => {}
            "true" => *self = true,
            "false" => *self = false,
            _ => return Err(mismatch(path, "a boolean", raw)),
        }
        Ok(())
    }
}

impl GoEncode for bool {
    fn encode(&self, out: &mut String) {
        out.push_str(if *self { "true" } else { "false" });
    }
    fn is_empty(&self) -> bool {
        !*self
    }
}

impl GoDecode for i64 {
    fn decode(&mut self, raw: &RawValue, path: &str) -> Result<()> {
        match Kind::of(raw) {
            Kind::Null => Ok(()),
            // Go parses the literal with strconv.ParseInt: no fraction, no
            // exponent, within range.
            Kind::Number => {
                *self = raw
                    .get()
                    .parse()
                    .map_err(|_| mismatch(path, "a 64-bit integer", raw))?;
                Ok(())
            }
            _ => Err(mismatch(path, "a number", raw)),
        }
    }
}

impl GoEncode for i64 {
    fn encode(&self, out: &mut String) {
        out.push_str(&self.to_string());
    }
    fn is_empty(&self) -> bool {
        *self == 0
    }
}

impl GoEncode for u64 {
    fn encode(&self, out: &mut String) {
        out.push_str(&self.to_string());
    }
    fn is_empty(&self) -> bool {
        *self == 0
    }
}

/// A non-nil `[]string`.
impl GoEncode for Vec<String> {
    fn encode(&self, out: &mut String) {
        out.push('[');
        for (i, v) in self.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            write_go_string(out, v);
        }
        out.push(']');
    }
    fn is_empty(&self) -> bool {
        Vec::is_empty(self)
    }
}

/// A non-nil `map[string]string`, written with keys sorted.
impl GoEncode for BTreeMap<String, String> {
    fn encode(&self, out: &mut String) {
        out.push('{');
        for (i, (k, v)) in self.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            write_go_string(out, k);
            out.push(':');
            write_go_string(out, v);
        }
        out.push('}');
    }
    fn is_empty(&self) -> bool {
        BTreeMap::is_empty(self)
    }
}

/// Already-encoded JSON text (a nested struct written elsewhere).
pub(crate) struct Json<'a>(pub(crate) &'a str);

impl GoEncode for Json<'_> {
    fn encode(&self, out: &mut String) {
        out.push_str(self.0);
    }
    fn is_empty(&self) -> bool {
        false
    }
}

/// Go's `time.Time`: the RFC 3339 text as Go re-writes it, or the zero
/// time.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct GoTime(pub(crate) Option<String>);

impl GoDecode for GoTime {
    fn decode(&mut self, raw: &RawValue, path: &str) -> Result<()> {
        // time.Time.UnmarshalJSON ignores null and parses anything else,
        // quotes included, as "RFC3339" — from the raw literal.
        match raw.get() {
            "null" => Ok(()),
            text => {
                let inner = text
                    .strip_prefix('"')
                    .and_then(|t| t.strip_suffix('"'))
                    .ok_or_else(|| mismatch(path, "an RFC 3339 time string", raw))?;
                let time = crate::gotime::go_rfc3339_nano(inner).map_err(|e| match e {
                    Error::InvalidTime { input, reason } => Error::InvalidTime {
                        input,
                        reason: format!("{path}: {reason}"),
                    },
                    other => other,
                })?;
                self.0 = Some(time);
                Ok(())
            }
        }
    }
}

impl GoEncode for GoTime {
    fn encode(&self, out: &mut String) {
        let text = self.0.as_deref().unwrap_or(crate::gotime::GO_ZERO_TIME);
        write_go_string(out, text);
    }
    fn is_empty(&self) -> bool {
        false // a struct: omitempty never drops it
    }
}

/// A pointer: `null` resets it, anything else decodes into the pointee
/// (allocated when nil, reused otherwise).
impl<T: GoDecode + Default> GoDecode for Option<T> {
    fn decode(&mut self, raw: &RawValue, path: &str) -> Result<()> {
        if raw.get() == "null" {
            *self = None;
            return Ok(());
        }
        self.get_or_insert_with(T::default).decode(raw, path)
    }
}

impl<T: GoEncode> GoEncode for Option<T> {
    fn encode(&self, out: &mut String) {
        match self {
            Some(v) => v.encode(out),
            None => out.push_str("null"),
        }
    }
    fn is_empty(&self) -> bool {
        self.is_none()
    }
}

/// A Go slice: nil or not, and the elements past its length that a later
/// decode into the same field can bring back (Go reuses the backing array).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct GoSlice<T> {
    backing: Vec<T>,
    len: usize,
    nil: bool,
}

impl<T> Default for GoSlice<T> {
    fn default() -> Self {
        GoSlice {
            backing: Vec::new(),
            len: 0,
            nil: true,
        }
    }
}

impl<T> GoSlice<T> {
    /// The elements (empty when nil).
    pub(crate) fn items(&self) -> &[T] {
        &self.backing[..self.len]
    }
}

impl<T: GoDecode + Default + Clone> GoDecode for GoSlice<T> {
    fn decode(&mut self, raw: &RawValue, path: &str) -> Result<()> {
        match Kind::of(raw) {
            Kind::Null => *self = GoSlice::default(),
            Kind::Array => {
                let mut i = 0;
                for element in elements(raw, path)? {
                    if i >= self.backing.len() {
                        // reflect.MakeSlice + Copy: the old length survives,
                        // the rest of the new capacity is zero.
                        let cap = self.backing.len();
                        self.backing.truncate(self.len);
                        self.backing.resize((cap + cap / 2).max(4), T::default());
                    }
                    self.len = self.len.max(i + 1);
                    self.backing[i].decode(element, &format!("{path}[{i}]"))?;
                    i += 1;
                }
                self.len = i;
                if i == 0 {
                    self.backing.clear();
                }
                self.nil = false;
            }
            _ => return Err(mismatch(path, "an array", raw)),
        }
        Ok(())
    }
}

impl<T: GoEncode> GoEncode for GoSlice<T> {
    fn encode(&self, out: &mut String) {
        if self.nil {
            out.push_str("null");
            return;
        }
        out.push('[');
        for (i, v) in self.items().iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            v.encode(out);
        }
        out.push(']');
    }
    fn is_empty(&self) -> bool {
        self.len == 0
    }
}

/// A Go map with string keys: decodes merge into it, each value fresh;
/// written with keys sorted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct GoMap<V>(pub(crate) Option<BTreeMap<String, V>>);

impl<V> Default for GoMap<V> {
    fn default() -> Self {
        GoMap(None)
    }
}

impl<V: GoDecode + Default> GoDecode for GoMap<V> {
    fn decode(&mut self, raw: &RawValue, path: &str) -> Result<()> {
        match Kind::of(raw) {
            Kind::Null => self.0 = None,
            Kind::Object => {
                let map = self.0.get_or_insert_with(BTreeMap::new);
                for (key, value) in members(raw.get(), path)?.0 {
                    let mut v = V::default();
                    v.decode(value, &format!("{path}.{key}"))?;
                    map.insert(key, v);
                }
            }
            _ => return Err(mismatch(path, "an object", raw)),
        }
        Ok(())
    }
}

impl<V: GoEncode> GoEncode for GoMap<V> {
    fn encode(&self, out: &mut String) {
        let Some(map) = &self.0 else {
            out.push_str("null");
            return;
        };
        out.push('{');
        for (i, (k, v)) in map.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            write_go_string(out, k);
            out.push(':');
            v.encode(out);
        }
        out.push('}');
    }
    fn is_empty(&self) -> bool {
        self.0.as_ref().is_none_or(BTreeMap::is_empty)
    }
}

/// Go's `struct{}` (the values of port and volume sets).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Empty;

impl GoDecode for Empty {
    fn decode(&mut self, raw: &RawValue, path: &str) -> Result<()> {
        decode_struct(raw, path, &[], |_, _, _| Ok(()))
    }
}

impl GoEncode for Empty {
    fn encode(&self, out: &mut String) {
        out.push_str("{}");
    }
    fn is_empty(&self) -> bool {
        false
    }
}

/// Docker's `strslice.StrSlice`: a string or an array of strings, each
/// decode starting afresh.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct StrSlice(pub(crate) GoSlice<String>);

impl GoDecode for StrSlice {
    fn decode(&mut self, raw: &RawValue, path: &str) -> Result<()> {
        let mut fresh = GoSlice::<String>::default();
        if Kind::of(raw) == Kind::String {
            let mut s = String::new();
            s.decode(raw, path)?;
            fresh.backing = vec![s];
            fresh.len = 1;
            fresh.nil = false;
        } else {
            fresh
                .decode(raw, path)
                .map_err(|_| mismatch(path, "a string or an array of strings", raw))?;
        }
        self.0 = fresh;
        Ok(())
    }
}

impl GoEncode for StrSlice {
    fn encode(&self, out: &mut String) {
        self.0.encode(out);
    }
    fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
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

    fn raw(text: &str) -> Box<RawValue> {
        RawValue::from_string(text.to_string()).unwrap()
    }

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

    #[test]
    fn slices_reuse_elements_as_go_does() {
        let mut s = GoSlice::<String>::default();
        s.decode(&raw(r#"["a","b","c"]"#), "x").unwrap();
        s.decode(&raw(r#"["x"]"#), "x").unwrap();
        // Length 1, capacity 4: the next decode sees "b" again.
        s.decode(&raw(r#"[null,null]"#), "x").unwrap();
        assert_eq!(s.items(), ["x", "b"]);
        let mut out = String::new();
        s.encode(&mut out);
        assert_eq!(out, r#"["x","b"]"#);
        s.decode(&raw("[]"), "x").unwrap();
        assert!(s.items().is_empty() && !s.nil);
        s.decode(&raw("null"), "x").unwrap();
        assert!(s.nil);
        assert!(s.decode(&raw(r#""a""#), "x").is_err());
    }

    #[test]
    fn scalars_keep_their_value_on_null_and_refuse_other_types() {
        let mut n = 5i64;
        n.decode(&raw("null"), "n").unwrap();
        assert_eq!(n, 5);
        assert!(n.decode(&raw("1.0"), "n").is_err());
        assert!(n.decode(&raw("1e3"), "n").is_err());
        assert!(n.decode(&raw("99999999999999999999"), "n").is_err());
        let mut s = StrSlice::default();
        s.decode(&raw(r#""sh""#), "cmd").unwrap();
        assert_eq!(s.0.items(), ["sh"]);
        let err = s.decode(&raw("[1]"), "cmd").unwrap_err();
        assert!(err.to_string().contains("cmd"), "{err}");
    }
}
