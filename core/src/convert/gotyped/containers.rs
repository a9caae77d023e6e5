//! Go's slices, string-keyed maps, `struct{}` and Docker's `StrSlice`.

use std::collections::BTreeMap;

use serde_json::value::RawValue;

use super::{decode_struct, elements, members, mismatch, GoDecode, GoEncode, Kind};
use crate::error::Result;
use crate::json::write_go_string;

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

#[cfg(test)]
mod tests {
    use super::*;

    fn raw(text: &str) -> Box<RawValue> {
        RawValue::from_string(text.to_string()).unwrap()
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
