//! JSON helpers: depth checks for the parsers, and byte-exact writers
//! that produce what Go's `encoding/json` (as of Go 1.19, the version the
//! reference registry and tools are built with) produces.
//!
//! Go's rules that matter for digests:
//! - strings escape `<`, `>`, `&` as `\u003c`, `\u003e`, `\u0026`, U+2028
//!   and U+2029 as `\u2028`, `\u2029`, control characters other than
//!   `\n`, `\r`, `\t` as `\u00XX` (so `\b` is `\u0008`), and keep other
//!   characters as UTF-8 ([`write_go_string`]);
//! - raw JSON values (`json.RawMessage`) are compacted, keep their key
//!   order, number spelling and existing escapes, and get only the HTML
//!   and U+2028/U+2029 rewrite ([`compact_go`]);
//! - maps are written with keys in byte order ([`go_sorted_map`]), structs
//!   in field order ([`GoObject`]);
//! - `json.MarshalIndent` re-indents the compact form ([`indent_go`]).
//!
//! Reading goes the other way: [`go_decode`] decodes into typed fields as
//! Go's decoder does (case-folded keys, last duplicate wins, `null`).
//!
//! ```
//! use tranship::json::{compact_go, go_sorted_map, indent_go};
//! assert_eq!(compact_go(r#"{ "b": [1.0, "<a&b>"] }"#).unwrap(),
//!            r#"{"b":[1.0,"\u003ca\u0026b\u003e"]}"#);
//! let map = go_sorted_map([("z", "1"), ("a", "{ }")]).unwrap();
//! assert_eq!(map, r#"{"a":{},"z":1}"#);
//! assert_eq!(indent_go(&map, "   ").unwrap(), "{\n   \"a\": {},\n   \"z\": 1\n}");
//! ```

pub mod go_decode;
mod scan;

use std::collections::BTreeMap;

use crate::error::{Error, Result};
use crate::limits::Limits;
use scan::{Op, Scanner};

/// Measures the deepest nesting of arrays and objects in `bytes` without
/// parsing it, so that hostile input is refused before a recursive parser
/// sees it. Brackets inside strings are ignored; malformed JSON is left
/// for the real parser to report.
pub fn nesting_depth(bytes: &[u8]) -> u64 {
    let (mut depth, mut max) = (0u64, 0u64);
    let (mut in_string, mut escaped) = (false, false);
    for &b in bytes {
        if in_string {
            match (escaped, b) {
                (true, _) => escaped = false,
                (false, b'\\') => escaped = true,
                (false, b'"') => in_string = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'[' | b'{' => {
                depth += 1;
                max = max.max(depth);
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    max
}

/// Fails with `LIMIT_EXCEEDED` when `bytes` nests deeper than `max_depth`.
pub fn check_depth(bytes: &[u8], max_depth: u64) -> Result<()> {
    Limits::check("JSON nesting depth", nesting_depth(bytes), max_depth)
}

const HEX: &[u8; 16] = b"0123456789abcdef";

/// Appends `s` to `out` as Go's `encoding/json` encodes a string (with
/// HTML escaping, as `json.Marshal` does).
///
/// ```
/// let mut out = String::new();
/// tranship::json::write_go_string(&mut out, "a<b>&\u{8}\u{c}\n\u{2028}é");
/// assert_eq!(out, r#""a\u003cb\u003e\u0026\u0008\u000c\n\u2028é""#);
/// ```
///
/// Go also writes invalid UTF-8 as `\ufffd`; a `&str` cannot hold any.
pub fn write_go_string(out: &mut String, s: &str) {
    out.push('"');
    let mut start = 0;
    for (i, c) in s.char_indices() {
        let short = match c {
            '"' => "\\\"",
            '\\' => "\\\\",
            '\n' => "\\n",
            '\r' => "\\r",
            '\t' => "\\t",
            '<' | '>' | '&' | '\0'..='\x1f' | '\u{2028}' | '\u{2029}' => "",
            _ => continue,
        };
        out.push_str(&s[start..i]);
        if short.is_empty() {
            let code = c as u32;
            out.push_str("\\u");
            for shift in [12, 8, 4, 0] {
                out.push(HEX[((code >> shift) & 0xf) as usize] as char);
            }
        } else {
            out.push_str(short);
        }
        start = i + c.len_utf8();
    }
    out.push_str(&s[start..]);
    out.push('"');
}

/// Compacts a JSON text as Go's `json.Marshal` writes a `json.RawMessage`:
/// whitespace outside strings goes; key order, number spelling and
/// existing escapes stay; inside strings `<`, `>`, `&` become `\u003c`,
/// `\u003e`, `\u0026` and U+2028, U+2029 become `\u2028`, `\u2029`.
///
/// Fails with `INVALID_JSON` where Go's scanner would.
///
/// ```
/// use tranship::json::compact_go;
/// assert_eq!(compact_go("{ \"k\" : [ 1e3, \"\\b\" ] }\n").unwrap(), r#"{"k":[1e3,"\b"]}"#);
/// assert_eq!(compact_go("[1,]").unwrap_err().code(), "INVALID_JSON");
/// ```
pub fn compact_go(raw: &str) -> Result<String> {
    let src = raw.as_bytes();
    let mut out = Vec::with_capacity(src.len());
    let mut scan = Scanner::new();
    let mut start = 0;
    let copy = |out: &mut Vec<u8>, start: usize, end: usize| {
        if start < end {
            out.extend_from_slice(&src[start..end]);
        }
    };
    for (i, &c) in src.iter().enumerate() {
        if matches!(c, b'<' | b'>' | b'&') {
            copy(&mut out, start, i);
            out.extend_from_slice(b"\\u00");
            out.push(HEX[(c >> 4) as usize]);
            out.push(HEX[(c & 0xf) as usize]);
            start = i + 1;
        }
        if c == 0xe2 && i + 2 < src.len() && src[i + 1] == 0x80 && src[i + 2] & !1 == 0xa8 {
            copy(&mut out, start, i);
            out.extend_from_slice(b"\\u202");
            out.push(HEX[(src[i + 2] & 0xf) as usize]);
            start = i + 3;
        }
        match scan.step(c) {
            Op::SkipSpace | Op::End => {
                copy(&mut out, start, i);
                start = i + 1;
            }
            Op::Error => break,
            _ => {}
        }
    }
    scan.eof()?;
    copy(&mut out, start, src.len());
    // Only ASCII bytes and whole UTF-8 sequences were removed or replaced.
    String::from_utf8(out).map_err(|e| Error::InvalidJson(e.to_string()))
}

/// Indents a JSON text as Go's `json.Indent(dst, src, "", indent)`: one
/// element per line, `": "` after keys, empty objects and arrays kept as
/// `{}` and `[]`, leading whitespace dropped and trailing whitespace kept.
/// `json.MarshalIndent(v, "", "   ")` (distribution's schema1 manifests)
/// is `indent_go(&compact, "   ")`.
///
/// ```
/// let out = tranship::json::indent_go(r#"{"a":[1,{}],"b":[]}"#, "   ").unwrap();
/// assert_eq!(out, "{\n   \"a\": [\n      1,\n      {}\n   ],\n   \"b\": []\n}");
/// ```
pub fn indent_go(src: &str, indent: &str) -> Result<String> {
    let mut out = String::with_capacity(src.len() * 2);
    let mut scan = Scanner::new();
    let mut need_indent = false;
    let mut depth = 0usize;
    let newline = |out: &mut String, depth: usize| {
        out.push('\n');
        for _ in 0..depth {
            out.push_str(indent);
        }
    };
    // Work on chars: every byte the scanner treats specially is ASCII, and
    // the bytes of a multi-byte character only occur inside strings.
    for c in src.chars() {
        let mut buf = [0u8; 4];
        let first = c.encode_utf8(&mut buf).as_bytes()[0];
        let mut op = scan.step(first);
        for &b in &buf[1..c.len_utf8()] {
            if op != Op::Error {
                op = scan.step(b);
            }
        }
        match op {
            Op::SkipSpace => continue,
            Op::Error => break,
            _ => {}
        }
        if need_indent && op != Op::EndObject && op != Op::EndArray {
            need_indent = false;
            depth += 1;
            newline(&mut out, depth);
        }
        if op == Op::Continue {
            out.push(c);
            continue;
        }
        match c {
            '{' | '[' => {
                need_indent = true;
                out.push(c);
            }
            ',' => {
                out.push(c);
                newline(&mut out, depth);
            }
            ':' => out.push_str(": "),
            '}' | ']' => {
                if need_indent {
                    need_indent = false;
                } else {
                    depth = depth.saturating_sub(1);
                    newline(&mut out, depth);
                }
                out.push(c);
            }
            _ => out.push(c),
        }
    }
    scan.eof()?;
    Ok(out)
}

/// Writes a Go `map[string]*json.RawMessage` as `json.Marshal` does: keys
/// sorted by bytes and written as Go strings, each value compacted by
/// [`compact_go`]. When a key repeats, its last value wins (as when Go
/// decodes an object into a map).
///
/// ```
/// let out = tranship::json::go_sorted_map([("b", "[ 1 ]"), ("a<", "\"x\""), ("b", "2")]).unwrap();
/// assert_eq!(out, r#"{"a\u003c":"x","b":2}"#);
/// ```
pub fn go_sorted_map<K: AsRef<str>, V: AsRef<str>>(
    entries: impl IntoIterator<Item = (K, V)>,
) -> Result<String> {
    let sorted: BTreeMap<String, V> = entries
        .into_iter()
        .map(|(k, v)| (k.as_ref().to_string(), v))
        .collect();
    let mut object = GoObject::new();
    for (key, value) in &sorted {
        object.raw(key, value.as_ref())?;
    }
    Ok(object.finish())
}

/// Writes a JSON object field by field, in the order given, as Go's
/// `json.Marshal` writes a struct: keys and string values as Go strings,
/// raw JSON values compacted by [`compact_go`].
///
/// ```
/// use tranship::json::GoObject;
/// let mut o = GoObject::new();
/// o.string("id", "a&b");
/// o.raw("container_config", r#"{ "Cmd": ["sh"] }"#).unwrap();
/// assert_eq!(o.finish(), r#"{"id":"a\u0026b","container_config":{"Cmd":["sh"]}}"#);
/// assert_eq!(GoObject::new().finish(), "{}");
/// ```
#[derive(Debug, Clone, Default)]
pub struct GoObject {
    out: String,
}

impl GoObject {
    /// An empty object.
    pub fn new() -> Self {
        GoObject::default()
    }

    /// Adds a field with a string value.
    pub fn string(&mut self, key: &str, value: &str) -> &mut Self {
        self.key(key);
        write_go_string(&mut self.out, value);
        self
    }

    /// Adds a field whose value is the raw JSON `raw`, compacted; fails
    /// with `INVALID_JSON` (naming the key) when `raw` is not JSON.
    pub fn raw(&mut self, key: &str, raw: &str) -> Result<&mut Self> {
        let value = compact_go(raw).map_err(|e| match e {
            Error::InvalidJson(reason) => Error::InvalidJson(format!("value of `{key}`: {reason}")),
            other => other,
        })?;
        self.key(key);
        self.out.push_str(&value);
        Ok(self)
    }

    fn key(&mut self, key: &str) {
        self.out.push(if self.out.is_empty() { '{' } else { ',' });
        write_go_string(&mut self.out, key);
        self.out.push(':');
    }

    /// The object's text.
    pub fn finish(&self) -> String {
        if self.out.is_empty() {
            "{}".to_string()
        } else {
            format!("{}}}", self.out)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn depth_ignores_brackets_in_strings() {
        assert_eq!(nesting_depth(br#"{"a":"[[[{{","b":[1,[2]]}"#), 3);
        assert_eq!(nesting_depth(br#"{"a":"\"[["}"#), 1);
        assert_eq!(nesting_depth(b"7"), 0);
    }
}
