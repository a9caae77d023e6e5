//! How corpus runners compare signed schema1 results, which are not
//! byte-reproducible (ECDSA, time): by payload, and by whether every
//! signature verifies. Included by the Rust and CLI corpus runners with
//! `#[path]`.

use serde_json::{Map, Value};
use tranship::manifest::{Manifest, ManifestFormat};
use tranship::Limits;

/// For a body that is signed schema1: its payload text, `true` when every
/// signature verifies, and the signer's key id. `None` for anything else.
pub fn signed(body: &[u8]) -> Option<(String, bool, Option<String>)> {
    let m = Manifest::parse(body, None, &Limits::default()).ok()?;
    if m.format() != ManifestFormat::Schema1Signed {
        return None;
    }
    let payload = String::from_utf8_lossy(m.payload()).into_owned();
    match m.verify_signatures() {
        Ok(signers) => Some((payload, true, signers.first().map(|s| s.key_id.clone()))),
        Err(_) => Some((payload, false, None)),
    }
}

/// A `convert` result `{manifest, ...}`: a signed manifest is replaced by
/// `payload` and `signed` (and `key_id` when the case gave a key).
pub fn convert(mut result: Map<String, Value>, case_has_key: bool) -> Value {
    let text = result
        .get("manifest")
        .and_then(Value::as_str)
        .unwrap_or_default();
    if let Some((payload, ok, key_id)) = signed(text.as_bytes()) {
        let rest = std::mem::take(&mut result);
        result.insert("payload".into(), Value::String(payload));
        result.insert("signed".into(), Value::Bool(ok));
        if case_has_key {
            result.insert("key_id".into(), key_id.map_or(Value::Null, Value::String));
        }
        result.extend(rest.into_iter().filter(|(k, _)| k != "manifest"));
    }
    Value::Object(result)
}

/// A `negotiate` result: the body becomes `signed` (and `key_id` when the
/// case gave a key).
pub fn negotiate(mut result: Map<String, Value>, body: &[u8], case_has_key: bool) -> Value {
    let view = signed(body);
    result.insert(
        "signed".into(),
        Value::Bool(view.as_ref().is_some_and(|v| v.1)),
    );
    if case_has_key {
        let key_id = view.and_then(|v| v.2);
        result.insert("key_id".into(), key_id.map_or(Value::Null, Value::String));
    }
    Value::Object(result)
}
