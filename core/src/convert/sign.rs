//! Signing schema1 manifests: ES256 libtrust "pretty JWS" (see
//! `docs/formats.md`), laid out exactly as distribution's `schema1.Sign`
//! lays it out with libtrust's `NewJSONSignature` and `PrettySignature`.
//!
//! Signatures are deterministic (RFC 6979) for a given key, payload and
//! time; verification lives in [`crate::manifest::jws`].
//!
//! ```
//! use tranship::convert::sign::{sign_at, Schema1Key};
//! let key = Schema1Key::generate();
//! let payload = br#"{
//!    "schemaVersion": 1,
//!    "fsLayers": [{"blobSum": "sha256:a3ed95caeb02ffe68cdd9fd84406680ae93d633cb16422d00e8a7c22955b46d4"}],
//!    "history": [{"v1Compatibility": "{}"}]
//! }"#;
//! let signed = sign_at(payload, &key, 1_700_000_000).unwrap();
//! let m = tranship::manifest::Manifest::parse(&signed, None, &Default::default()).unwrap();
//! assert_eq!(m.payload(), payload);
//! assert_eq!(m.verify_signatures().unwrap()[0].key_id, key.key_id());
//! ```

use std::time::{SystemTime, UNIX_EPOCH};

use p256::ecdsa::signature::Signer as _;
use p256::ecdsa::{Signature, SigningKey};
use p256::pkcs8::EncodePublicKey as _;

use crate::error::{Error, Result};
use crate::json::{indent_go, GoObject};
use crate::manifest::jws::b64url_encode;
use crate::manifest::key_id;

mod key;

/// A P-256 private key that signs schema1 manifests (ES256).
///
/// Read one from a PEM file (PKCS#8 `PRIVATE KEY` or SEC1 `EC PRIVATE
/// KEY`, PEM headers such as libtrust's `keyID:` allowed) or a JWK (`EC`,
/// `P-256`, with `d`; Docker's `key.json` is one) with
/// [`Schema1Key::from_bytes`], or make a fresh one with
/// [`Schema1Key::generate`]. Its `Debug` form shows only the key id.
#[derive(Clone)]
pub struct Schema1Key {
    key: SigningKey,
}

/// How a schema1 result is finished.
#[derive(Debug, Clone)]
pub enum Signing {
    /// Plain `application/vnd.docker.distribution.manifest.v1+json`.
    Unsigned,
    /// Signed with this key
    /// (`application/vnd.docker.distribution.manifest.v1+prettyjws`).
    Key(Schema1Key),
}

/// Where a schema1 signing key comes from: a file, or the bytes a front
/// end was given (PEM or JWK either way).
#[derive(Clone, PartialEq, Eq)]
pub enum KeySource {
    /// A key file.
    File(std::path::PathBuf),
    /// A key's bytes.
    Bytes(Vec<u8>),
}

/// Names the file, never shows a key's bytes.
impl std::fmt::Debug for KeySource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            KeySource::File(path) => f.debug_tuple("File").field(path).finish(),
            KeySource::Bytes(bytes) => write!(f, "Bytes({} bytes)", bytes.len()),
        }
    }
}

impl Signing {
    /// The signing a front end's choices ask for: unsigned, the given
    /// key, or, with neither, a fresh key. Giving both is refused with
    /// `INVALID_CONFIG`; a key over 1 MiB or unreadable fails (`LIMIT`,
    /// `IO`, `INVALID_KEY`).
    pub fn choose(key: Option<&KeySource>, unsigned: bool) -> Result<Signing> {
        let bytes = match (key, unsigned) {
            (Some(_), true) => {
                return Err(crate::Error::InvalidConfig(
                    "a signing key and unsigned output exclude each other".into(),
                ))
            }
            (None, true) => return Ok(Signing::Unsigned),
            (None, false) => return Ok(Signing::Key(Schema1Key::generate())),
            (Some(KeySource::Bytes(bytes)), false) => std::borrow::Cow::Borrowed(bytes.as_slice()),
            (Some(KeySource::File(path)), false) => std::borrow::Cow::Owned(
                std::fs::read(path)
                    .map_err(|e| crate::Error::io(format!("reading {}", path.display()), e))?,
            ),
        };
        crate::limits::Limits::check("signing key size in bytes", bytes.len() as u64, 1 << 20)?;
        Ok(Signing::Key(Schema1Key::from_bytes(&bytes)?))
    }
}

impl std::fmt::Debug for Schema1Key {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Schema1Key")
            .field("key_id", &self.key_id())
            .finish_non_exhaustive()
    }
}

impl Schema1Key {
    /// A fresh random key from the operating system's generator.
    pub fn generate() -> Schema1Key {
        Schema1Key {
            key: SigningKey::random(&mut rand_core::OsRng),
        }
    }

    /// Reads a key file: PEM or JWK, told apart by the content. Fails with
    /// `INVALID_KEY` saying what was found when it is not a P-256 private
    /// key (RSA, other curves, public keys, encrypted PEM are refused).
    pub fn from_bytes(bytes: &[u8]) -> Result<Schema1Key> {
        key::read(bytes).map(|key| Schema1Key { key })
    }

    /// Wraps an existing key.
    pub fn from_signing_key(key: SigningKey) -> Schema1Key {
        Schema1Key { key }
    }

    /// The key id in libtrust form (`ABCD:EFGH:…`, 12 groups).
    pub fn key_id(&self) -> String {
        key_id(&self.spki_der())
    }

    fn spki_der(&self) -> Vec<u8> {
        // Encoding a valid P-256 point cannot fail.
        self.key
            .verifying_key()
            .to_public_key_der()
            .map(|d| d.as_bytes().to_vec())
            .unwrap_or_default()
    }

    /// The public key as libtrust writes it in a `jwk` header: keys
    /// sorted, coordinates base64url without padding.
    fn public_jwk(&self) -> String {
        let point = self.key.verifying_key().to_encoded_point(false);
        let coordinate =
            |c: Option<&p256::FieldBytes>| b64url_encode(c.map_or(&[][..], |c| &c[..]));
        GoObject::new()
            .string("crv", "P-256")
            .string("kid", &self.key_id())
            .string("kty", "EC")
            .string("x", &coordinate(point.x()))
            .string("y", &coordinate(point.y()))
            .finish()
    }
}

/// Signs a JSON object `payload` now (the protected header's `time` is
/// the current UTC time in seconds), as [`sign_at`] does.
pub fn sign(payload: &[u8], key: &Schema1Key) -> Result<Vec<u8>> {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    sign_at(payload, key, now)
}

/// Signs a JSON object `payload` with the protected header's `time` set
/// to `unix_seconds`, returning libtrust's pretty JWS: the payload up to
/// its closing brace, a `signatures` array spliced in, indented like the
/// payload. The payload is what the digest covers. Fails with
/// `INVALID_JSON` when the payload is not a JSON object text.
pub fn sign_at(payload: &[u8], key: &Schema1Key, unix_seconds: u64) -> Result<Vec<u8>> {
    let text = std::str::from_utf8(payload)
        .map_err(|e| Error::InvalidJson(format!("the payload to sign is not UTF-8: {e}")))?;
    serde_json::from_str::<serde_json::Map<String, serde_json::Value>>(text)
        .map_err(|e| Error::InvalidJson(format!("the payload to sign is not an object: {e}")))?;
    let format_length = format_length(text)?;
    let protected = GoObject::new()
        .raw("formatLength", &format_length.to_string())?
        .string("formatTail", &b64url_encode(&payload[format_length..]))
        .string("time", &utc_rfc3339(unix_seconds))
        .finish();
    let protected = b64url_encode(protected.as_bytes());
    let signing_input = format!("{protected}.{}", b64url_encode(payload));
    let signature: Signature = key.key.sign(signing_input.as_bytes());
    let header = format!(r#"{{"jwk":{},"alg":"ES256"}}"#, key.public_jwk());
    let mut entry = GoObject::new();
    entry
        .raw("header", &header)?
        .string("signature", &b64url_encode(&signature.to_bytes()))
        .string("protected", &protected);
    let signatures = format!("[{}]", entry.finish());
    Ok(pretty(&text[..format_length], &detect_indent(text), &signatures)?.into_bytes())
}

/// libtrust's `formatLength`: where the payload's last value ends, just
/// before the white space and `}` that close it.
fn format_length(text: &str) -> Result<usize> {
    let bad = |why: &str| Error::InvalidJson(format!("cannot sign: {why}"));
    let trimmed = text.trim_end();
    let body = trimmed
        .strip_suffix('}')
        .ok_or_else(|| bad("the payload does not end with `}`"))?
        .trim_end();
    if body.ends_with(',') {
        return Err(bad("the payload has a `,` before its closing `}`"));
    }
    Ok(body.len())
}

/// libtrust's `detectJSONIndent`: the white space before the first key
/// when the payload starts with `{` and a line break.
fn detect_indent(text: &str) -> String {
    text.strip_prefix("{\n")
        .and_then(|rest| rest.find('"').map(|quote| rest[..quote].to_string()))
        .unwrap_or_default()
}

/// libtrust's `PrettySignature("signatures")`.
fn pretty(head: &str, indent: &str, signatures: &str) -> Result<String> {
    if indent.is_empty() {
        return Ok(format!("{head},\"signatures\":{signatures}}}"));
    }
    // MarshalIndent(sigs, indent, indent): every line after the first
    // starts with the prefix.
    let marshalled = indent_go(signatures, indent)?.replace('\n', &format!("\n{indent}"));
    Ok(format!("{head},\n{indent}\"signatures\": {marshalled}\n}}"))
}

/// `time.Now().UTC().Format(time.RFC3339)` for a Unix time.
fn utc_rfc3339(unix_seconds: u64) -> String {
    let days = unix_seconds / 86_400;
    let secs = unix_seconds % 86_400;
    // Howard Hinnant's civil_from_days, for days since 1970-01-01.
    let z = days + 719_468;
    let era = z / 146_097;
    let doe = z % 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + u64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        secs / 3600,
        secs / 60 % 60,
        secs % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::limits::Limits;
    use crate::manifest::Manifest;

    #[test]
    fn utc_times() {
        assert_eq!(utc_rfc3339(0), "1970-01-01T00:00:00Z");
        assert_eq!(utc_rfc3339(951_782_400), "2000-02-29T00:00:00Z");
        assert_eq!(utc_rfc3339(1_700_000_000), "2023-11-14T22:13:20Z");
        assert_eq!(utc_rfc3339(4_107_542_399), "2100-02-28T23:59:59Z");
    }

    const LAYERS: &str = r#""fsLayers":[{"blobSum":"sha256:a3ed95caeb02ffe68cdd9fd84406680ae93d633cb16422d00e8a7c22955b46d4"}],"history":[{"v1Compatibility":"{}"}]"#;

    #[test]
    fn layout_matches_libtrust() {
        // The shape of examples/hello-schema1/manifest.json, signed by
        // distribution itself.
        let key = Schema1Key::from_signing_key(crate::manifest::jws::tests::test_key());
        let compact = format!(r#"{{"schemaVersion":1,{LAYERS},"name":"a/b"}}"#);
        let payload = indent_go(&compact, "   ").unwrap();
        let payload = payload.as_bytes();
        let signed = String::from_utf8(sign_at(payload, &key, 1_700_000_000).unwrap()).unwrap();
        let head = "\n   \"name\": \"a/b\",\n   \"signatures\": [\n      {\n         \"header\": {\n            \"jwk\": {\n               \"crv\": \"P-256\",\n               \"kid\": \"";
        assert!(signed.contains(head), "{signed}");
        assert!(signed.contains("\n            },\n            \"alg\": \"ES256\"\n         },\n         \"signature\": \""));
        assert!(signed.ends_with("\"\n      }\n   ]\n}"), "{signed}");
        let m = Manifest::parse(signed.as_bytes(), None, &Limits::default()).unwrap();
        assert_eq!(m.payload(), payload);
        let protected = &m.as_schema1().unwrap().jws.as_ref().unwrap().signatures[0];
        assert_eq!(protected.time.as_deref(), Some("2023-11-14T22:13:20Z"));
        assert_eq!(m.verify_signatures().unwrap()[0].key_id, key.key_id());
    }

    #[test]
    fn compact_payloads_get_compact_signatures() {
        let key = Schema1Key::generate();
        let payload = format!(r#"{{"schemaVersion":1,{LAYERS}}}"#);
        let signed = sign_at(payload.as_bytes(), &key, 0).unwrap();
        let head = format!(r#"{{"schemaVersion":1,{LAYERS},"signatures":[{{"header":"#);
        assert!(signed.starts_with(head.as_bytes()));
        let m = Manifest::parse(&signed, None, &Limits::default()).unwrap();
        assert_eq!(m.payload(), payload.as_bytes());
        assert!(m.verify_signatures().is_ok());
    }

    #[test]
    fn refuses_what_is_not_an_object() {
        let key = Schema1Key::generate();
        assert_eq!(sign_at(b"[1]", &key, 0).unwrap_err().code(), "INVALID_JSON");
        assert!(format!("{key:?}").contains(&key.key_id()));
    }
}
