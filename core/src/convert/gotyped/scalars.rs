//! Go's scalars, times, pointers and pre-encoded text.

use std::collections::BTreeMap;

use serde_json::value::RawValue;

use super::{mismatch, GoDecode, GoEncode, Kind};
use crate::error::{Error, Result};
use crate::json::write_go_string;

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
