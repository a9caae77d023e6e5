//! Decoding JSON into typed fields as Go's `encoding/json` (Go 1.19)
//! decodes into a struct, for converters that must read a document the
//! way a reference program reads it.
//!
//! Go's rules that matter:
//! - a key selects the field whose name equals it, else the first field
//!   whose name equals it ignoring ASCII case (`s` also matches `ſ`, `k`
//!   the Kelvin sign); other keys are ignored;
//! - keys are applied in document order, so the last duplicate wins, and
//!   decoding into an array element or a struct that already holds values
//!   (from an earlier duplicate) keeps the fields the new value lacks;
//! - `null` leaves strings, booleans, structs and times as they are, and
//!   sets slices and pointers to nil;
//! - a value of the wrong type is an error.

use serde::de::{Deserializer as _, MapAccess, Visitor};
use serde_json::value::RawValue;

/// Where decoding failed and why, e.g. `history[2].created: expected a
/// string, found a number`.
pub type DecodeResult<T> = std::result::Result<T, String>;

/// The kind of a raw JSON value, from its first byte.
fn kind(raw: &RawValue) -> &'static str {
    match raw.get().trim_start().as_bytes().first() {
        Some(b'n') => "null",
        Some(b'{') => "an object",
        Some(b'[') => "an array",
        Some(b'"') => "a string",
        Some(b't' | b'f') => "a boolean",
        _ => "a number",
    }
}

/// True for JSON `null`.
pub fn is_null(raw: &RawValue) -> bool {
    kind(raw) == "null"
}

fn wrong_type(path: &str, expected: &str, raw: &RawValue) -> String {
    format!("{path}: expected {expected}, found {}", kind(raw))
}

/// The entries of a JSON object in document order, duplicates kept;
/// `None` for `null`. Fails naming `path` for any other value.
pub fn object_entries<'a>(
    raw: &'a RawValue,
    path: &str,
) -> DecodeResult<Option<Vec<(String, &'a RawValue)>>> {
    struct Entries<'a>(Vec<(String, &'a RawValue)>);
    struct EntriesVisitor;
    impl<'de> Visitor<'de> for EntriesVisitor {
        type Value = Entries<'de>;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a JSON object")
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
            let mut entries = Vec::new();
            while let Some(entry) = map.next_entry::<String, &'de RawValue>()? {
                entries.push(entry);
            }
            Ok(Entries(entries))
        }
    }
    match kind(raw) {
        "null" => Ok(None),
        "an object" => {
            let mut de = serde_json::Deserializer::from_str(raw.get());
            de.deserialize_map(EntriesVisitor)
                .map(|e| Some(e.0))
                .map_err(|e| format!("{path}: {e}"))
        }
        _ => Err(wrong_type(path, "an object", raw)),
    }
}

/// True when Go's decoder sends JSON key `key` to the struct field named
/// `name` (an ASCII name): equal, or equal ignoring ASCII case, where a
/// `ſ` (U+017F) in the key stands for `s` and a Kelvin sign (U+212A) for
/// `k`.
pub fn go_key_matches(name: &str, key: &str) -> bool {
    let mut key_chars = key.chars();
    for n in name.chars() {
        let Some(k) = key_chars.next() else {
            return false;
        };
        let same = k.eq_ignore_ascii_case(&n)
            || (k == '\u{17f}' && n.eq_ignore_ascii_case(&'s'))
            || (k == '\u{212a}' && n.eq_ignore_ascii_case(&'k'));
        if !same {
            return false;
        }
    }
    key_chars.next().is_none()
}

/// A Go type that JSON decodes into in place.
pub trait GoDecode {
    /// Decodes `raw` into `self` as Go's decoder does (see the module
    /// documentation); `path` names the value in errors.
    fn go_decode(&mut self, raw: &RawValue, path: &str) -> DecodeResult<()>;
}

impl GoDecode for String {
    fn go_decode(&mut self, raw: &RawValue, path: &str) -> DecodeResult<()> {
        match kind(raw) {
            "null" => Ok(()),
            "a string" => {
                *self = serde_json::from_str(raw.get()).map_err(|e| format!("{path}: {e}"))?;
                Ok(())
            }
            _ => Err(wrong_type(path, "a string", raw)),
        }
    }
}

impl GoDecode for bool {
    fn go_decode(&mut self, raw: &RawValue, path: &str) -> DecodeResult<()> {
        match raw.get().trim() {
            "null" => Ok(()),
            "true" => {
                *self = true;
                Ok(())
            }
            "false" => {
                *self = false;
                Ok(())
            }
            _ => Err(wrong_type(path, "a boolean", raw)),
        }
    }
}

/// A Go slice: `null` makes it nil (`None`); an array decodes element by
/// element into what is already there, then the slice is cut to the
/// array's length.
impl<T: GoDecode + Default> GoDecode for Option<Vec<T>> {
    fn go_decode(&mut self, raw: &RawValue, path: &str) -> DecodeResult<()> {
        match kind(raw) {
            "null" => {
                *self = None;
                Ok(())
            }
            "an array" => {
                let items: Vec<&RawValue> =
                    serde_json::from_str(raw.get()).map_err(|e| format!("{path}: {e}"))?;
                let slice = self.get_or_insert_with(Vec::new);
                if items.is_empty() {
                    slice.clear();
                }
                for (i, item) in items.iter().enumerate() {
                    if i == slice.len() {
                        slice.push(T::default());
                    }
                    slice[i].go_decode(item, &format!("{path}[{i}]"))?;
                }
                slice.truncate(items.len());
                Ok(())
            }
            _ => Err(wrong_type(path, "an array", raw)),
        }
    }
}

/// Decodes a JSON object into a Go struct: `null` changes nothing, and
/// `field` receives each key, its value and the value's path, in document
/// order. It picks the field with [`go_field`] and ignores keys no field
/// takes.
pub fn go_decode_struct(
    raw: &RawValue,
    path: &str,
    mut field: impl FnMut(&str, &RawValue, &str) -> DecodeResult<()>,
) -> DecodeResult<()> {
    for (key, value) in object_entries(raw, path)?.unwrap_or_default() {
        let value_path = if path.is_empty() {
            key.clone()
        } else {
            format!("{path}.{key}")
        };
        field(&key, value, &value_path)?;
    }
    Ok(())
}

/// Picks which of a struct's field `names` (in declaration order) a key
/// goes to: the exact name first, else the first that matches ignoring
/// case as Go does.
pub fn go_field<'n>(names: &[&'n str], key: &str) -> Option<&'n str> {
    names
        .iter()
        .find(|n| **n == key)
        .or_else(|| names.iter().find(|n| go_key_matches(n, key)))
        .copied()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw(s: &str) -> &RawValue {
        serde_json::from_str(s).unwrap()
    }

    #[test]
    fn keys_fold_as_go_does() {
        assert!(go_key_matches("created_by", "Created_By"));
        assert!(!go_key_matches("created_by", "created-by"));
        assert!(go_key_matches("history", "HiſTORY"));
        assert!(go_key_matches("rootfs", "ROOTFS"));
        assert!(!go_key_matches("rootfs", "rootf"));
        assert!(go_key_matches("kind", "\u{212a}ind"));
        assert_eq!(go_field(&["a", "A"], "A"), Some("A"));
        assert_eq!(go_field(&["a", "b"], "A"), Some("a"));
    }

    #[test]
    fn objects_keep_order_and_duplicates() {
        let r = raw(r#"{"b":1,"a":[2],"b":"x"}"#);
        let e = object_entries(r, "c").unwrap().unwrap();
        let keys: Vec<_> = e.iter().map(|(k, v)| format!("{k}={}", v.get())).collect();
        assert_eq!(keys, ["b=1", "a=[2]", r#"b="x""#]);
        assert!(object_entries(raw("null"), "c").unwrap().is_none());
        assert_eq!(
            object_entries(raw("[1]"), "c").unwrap_err(),
            "c: expected an object, found an array"
        );
    }

    #[test]
    fn null_and_slices_follow_go() {
        let mut s = String::from("kept");
        s.go_decode(raw("null"), "s").unwrap();
        assert_eq!(s, "kept");
        assert!(s.go_decode(raw("1"), "s").is_err());
        let mut v: Option<Vec<String>> = None;
        v.go_decode(raw(r#"["a","b"]"#), "v").unwrap();
        v.go_decode(raw(r#"[null]"#), "v").unwrap();
        assert_eq!(v.as_deref(), Some(&["a".to_string()][..]));
        v.go_decode(raw("null"), "v").unwrap();
        assert!(v.is_none());
        let mut b = false;
        assert_eq!(
            b.go_decode(raw(r#""true""#), "b").unwrap_err(),
            "b: expected a boolean, found a string"
        );
    }
}
