//! libtrust "pretty JWS": the signatures of schema1 manifests (rules in
//! `docs/formats.md`, "Signed schema 1 and its digest").
//!
//! The signed body is the JSON payload with a `signatures` array spliced in
//! before its final `}`. Each signature's `protected` header records where
//! the payload ends (`formatLength`) and what followed it (`formatTail`),
//! so the payload is `raw[..formatLength] + formatTail`. Each signature is
//! over `protected + "." + base64url(payload)`.

use std::sync::OnceLock;

use data_encoding::{Encoding, BASE32_NOPAD, BASE64, BASE64URL_NOPAD};
use serde::Serialize;
use serde_json::{Map, Value};
use sha2::{Digest as _, Sha256};

use super::fields::{invalid, json_type, Fields};
use crate::error::{Error, Result};
use crate::limits::Limits;

/// The signatures of a signed schema1 manifest, and the payload they sign.
#[derive(Debug, Clone, PartialEq)]
pub struct Jws {
    /// The canonical payload: the manifest without its signatures. Its
    /// SHA-256 is the manifest digest.
    pub payload: Vec<u8>,
    /// The signatures, in the order found.
    pub signatures: Vec<JwsSignature>,
    /// Why the payload does not stand for the manifest body, when it does
    /// not (not JSON, or different fields): no signature then counts as
    /// verified, since none covers what the body says.
    pub payload_mismatch: Option<String>,
}

/// One JWS signature as found in a `signatures` array.
#[derive(Debug, Clone, PartialEq)]
pub struct JwsSignature {
    /// The `alg` of the unprotected header, e.g. `ES256`.
    pub alg: String,
    /// The `jwk` of the unprotected header, as found.
    pub jwk: Option<Value>,
    /// The `x5c` certificate chain (standard base64 DER), first is the signer.
    pub x5c: Vec<String>,
    /// The `protected` header, base64url as found.
    pub protected: String,
    /// The signature, base64url as found.
    pub signature: String,
    /// The `time` recorded in the protected header, if any.
    pub time: Option<String>,
}

/// The outcome of checking one signature.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SignatureReport {
    /// The algorithm named by the signature, e.g. `ES256`.
    pub alg: String,
    /// The signer's key id in libtrust form, or `None` when the key could
    /// not be read.
    pub key_id: Option<String>,
    /// True when the signature verifies over the payload.
    pub verified: bool,
    /// Why verification failed (not part of the serialised report).
    #[serde(skip)]
    pub reason: Option<String>,
}

/// A key that produced a valid signature.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Signer {
    /// The algorithm, e.g. `ES256`.
    pub alg: String,
    /// The key id in libtrust form (`ABCD:EFGH:...`, 12 groups).
    pub key_id: String,
}

/// Decodes base64url as libtrust does: padding optional, spaces and line
/// breaks ignored, non-zero trailing bits tolerated (as Go's decoder does).
pub(crate) fn b64url_decode(s: &str) -> std::result::Result<Vec<u8>, String> {
    static LENIENT: OnceLock<Encoding> = OnceLock::new();
    let encoding = LENIENT.get_or_init(|| {
        let mut spec = BASE64URL_NOPAD.specification();
        spec.check_trailing_bits = false;
        spec.encoding().unwrap_or_else(|_| BASE64URL_NOPAD.clone())
    });
    let cleaned: String = s
        .chars()
        .filter(|c| !matches!(c, ' ' | '\n' | '\r'))
        .collect();
    encoding
        .decode(cleaned.trim_end_matches('=').as_bytes())
        .map_err(|e| format!("not base64url: {e}"))
}

/// Encodes base64url without padding, as JOSE does.
pub(crate) fn b64url_encode(data: &[u8]) -> String {
    BASE64URL_NOPAD.encode(data)
}

impl Jws {
    /// Reads the `signatures` value of a signed schema1 body `raw` and
    /// rebuilds the payload they sign.
    pub(crate) fn parse(
        raw: &[u8],
        signatures: Value,
        body: &Map<String, Value>,
        limits: &Limits,
    ) -> Result<Jws> {
        let items = match signatures {
            Value::Array(items) => items,
            other => {
                return Err(invalid(
                    "signatures",
                    format_args!(
                        "expected an array of JWS signatures, found {}",
                        json_type(&other)
                    ),
                ))
            }
        };
        if items.is_empty() {
            return Err(invalid(
                "signatures",
                "the array is empty; a signed schema1 manifest needs at least one signature to say where its payload ends",
            ));
        }
        Limits::check(
            "number of signatures",
            items.len() as u64,
            limits.max_signatures,
        )?;
        let mut format: Option<(u64, Vec<u8>)> = None;
        let mut signatures = Vec::with_capacity(items.len());
        for (i, item) in items.into_iter().enumerate() {
            let path = format!("signatures[{i}]");
            let (sig, length, tail) = parse_signature(item, &path)?;
            match &format {
                None => format = Some((length, tail)),
                Some((l, t)) if *l == length && *t == tail => {}
                Some((l, _)) => {
                    return Err(invalid(
                        &format!("{path}.protected"),
                        format_args!(
                            "formatLength {length} and formatTail disagree with signatures[0] (formatLength {l}); all signatures must sign the same payload"
                        ),
                    ))
                }
            }
            signatures.push(sig);
        }
        let (length, tail) = format.unwrap_or_default();
        let end = usize::try_from(length)
            .ok()
            .filter(|&end| end <= raw.len())
            .ok_or_else(|| {
                invalid(
                    "signatures[0].protected",
                    format_args!(
                        "formatLength {length} is beyond the end of the manifest ({} bytes)",
                        raw.len()
                    ),
                )
            })?;
        let mut payload = Vec::with_capacity(end + tail.len());
        payload.extend_from_slice(&raw[..end]);
        payload.extend_from_slice(&tail);
        let payload_mismatch = payload_mismatch(&payload, body, limits);
        Ok(Jws {
            payload,
            signatures,
            payload_mismatch,
        })
    }

    /// Checks every signature over the payload.
    pub fn check(&self) -> Vec<SignatureReport> {
        let encoded_payload = b64url_encode(&self.payload);
        self.signatures
            .iter()
            .map(|sig| match &self.payload_mismatch {
                None => sig.check(&encoded_payload),
                Some(reason) => SignatureReport {
                    alg: sig.alg.clone(),
                    key_id: sig.key_id().ok(),
                    verified: false,
                    reason: Some(reason.clone()),
                },
            })
            .collect()
    }
}

/// Checks that the payload is the body without its `signatures`.
fn payload_mismatch(payload: &[u8], body: &Map<String, Value>, limits: &Limits) -> Option<String> {
    if crate::json::check_depth(payload, limits.max_json_depth).is_err() {
        return Some("the JWS payload nests too deep".into());
    }
    match serde_json::from_slice::<Value>(payload) {
        Ok(Value::Object(mut fields)) => {
            fields.remove("signatures");
            (fields != *body).then(|| {
                "the JWS payload differs from the manifest body, so no signature covers the body"
                    .into()
            })
        }
        Ok(_) => Some("the JWS payload is not a JSON object".into()),
        Err(e) => Some(format!(
            "the JWS payload (the first formatLength bytes plus formatTail) is not JSON: {e}"
        )),
    }
}

/// Reads one signature object and its protected header's format fields.
fn parse_signature(item: Value, path: &str) -> Result<(JwsSignature, u64, Vec<u8>)> {
    let mut f = Fields::from_value(item, path)?;
    let protected = f.required_string("protected")?;
    let signature = f.string("signature")?.unwrap_or_default();
    let (alg, jwk, x5c) = match f.object("header")? {
        None => (String::new(), None, Vec::new()),
        Some(mut h) => (
            h.string("alg")?.unwrap_or_default(),
            h.take("jwk"),
            h.string_list("x5c")?,
        ),
    };
    let ppath = format!("{path}.protected");
    let header_bytes = b64url_decode(&protected).map_err(|e| invalid(&ppath, e))?;
    let header: Value = serde_json::from_slice(&header_bytes)
        .map_err(|e| invalid(&ppath, format_args!("not a JSON header: {e}")))?;
    let mut h = Fields::from_value(header, &ppath)?;
    let length = h
        .u64("formatLength")?
        .ok_or_else(|| h.missing("formatLength"))?;
    let tail_text = h.required_string("formatTail")?;
    let tail = b64url_decode(&tail_text).map_err(|e| invalid(&h.path_of("formatTail"), e))?;
    let time = h.string("time").ok().flatten();
    let sig = JwsSignature {
        alg,
        jwk,
        x5c,
        protected,
        signature,
        time,
    };
    Ok((sig, length, tail))
}

impl JwsSignature {
    /// The signer's public key as DER SubjectPublicKeyInfo: from the first
    /// `x5c` certificate when there is a chain (libtrust prefers it), else
    /// from the `jwk`.
    pub fn public_key_der(&self) -> std::result::Result<Vec<u8>, String> {
        if let Some(first) = self.x5c.first() {
            return super::keys::spki_from_certificate(first);
        }
        match &self.jwk {
            Some(jwk) => super::keys::spki_from_jwk(jwk),
            None => Err("the header has neither a `jwk` nor an `x5c` key".into()),
        }
    }

    /// The signer's key id in libtrust form.
    pub fn key_id(&self) -> std::result::Result<String, String> {
        self.public_key_der().map(|der| key_id(&der))
    }

    fn check(&self, encoded_payload: &str) -> SignatureReport {
        let key = self.public_key_der();
        let key_id = key.as_ref().ok().map(|der| key_id(der));
        let outcome = key.and_then(|der| {
            let signature =
                b64url_decode(&self.signature).map_err(|e| format!("signature is {e}"))?;
            let signed = format!("{}.{encoded_payload}", self.protected);
            super::keys::verify(&self.alg, &der, signed.as_bytes(), &signature)
        });
        SignatureReport {
            alg: self.alg.clone(),
            key_id,
            verified: outcome.is_ok(),
            reason: outcome.err(),
        }
    }
}

/// The libtrust key id of a DER SubjectPublicKeyInfo: SHA-256, first 30
/// bytes, base32 (no padding) in 12 groups of 4 joined by `:`.
///
/// ```
/// let id = tranship::manifest::key_id(b"any DER");
/// assert_eq!(id.len(), 12 * 4 + 11);
/// ```
pub fn key_id(spki_der: &[u8]) -> String {
    let hash = Sha256::digest(spki_der);
    let text = BASE32_NOPAD.encode(&hash[..30]);
    let groups: Vec<&str> = text
        .as_bytes()
        .chunks(4)
        .map(|c| std::str::from_utf8(c).unwrap_or_default())
        .collect();
    groups.join(":")
}

/// Decodes standard (padded) base64, ignoring line breaks, for `x5c`.
pub(crate) fn b64_std_decode(s: &str) -> std::result::Result<Vec<u8>, String> {
    let cleaned: String = s.chars().filter(|c| !matches!(c, '\n' | '\r')).collect();
    BASE64
        .decode(cleaned.as_bytes())
        .map_err(|e| format!("not standard base64: {e}"))
}

/// Turns the report of a failed check into an `INVALID_SIGNATURE` error.
pub(crate) fn failure(index: usize, report: &SignatureReport) -> Error {
    let key = report.key_id.as_deref().unwrap_or("unreadable key");
    let reason = report.reason.as_deref().unwrap_or("did not verify");
    Error::InvalidSignature(format!(
        "signatures[{index}] ({} by {key}): {reason}",
        if report.alg.is_empty() {
            "no alg"
        } else {
            &report.alg
        }
    ))
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use p256::ecdsa::signature::Signer as _;
    use p256::pkcs8::EncodePublicKey;
    use serde_json::json;

    /// A key that signs test manifests (never use outside tests).
    pub(crate) enum TestSigner {
        /// ES256 with the public key as a `jwk` header.
        Jwk(p256::ecdsa::SigningKey),
        /// ES384 with the public key in an `x5c` certificate (DER).
        X5c(p384::ecdsa::SigningKey, Vec<u8>),
    }

    /// The fixed P-256 test key: the SHA-256 of a fixed text as scalar.
    pub(crate) fn test_key() -> p256::ecdsa::SigningKey {
        let bytes = Sha256::digest(b"tranship schema1 test key");
        p256::ecdsa::SigningKey::from_slice(&bytes).expect("valid scalar")
    }

    impl TestSigner {
        fn signature(&self, protected: &str, encoded_payload: &str) -> Value {
            let signed = format!("{protected}.{encoded_payload}");
            let (header, sig) = match self {
                TestSigner::Jwk(key) => {
                    let sig: p256::ecdsa::Signature = key.sign(signed.as_bytes());
                    let point = key.verifying_key().to_encoded_point(false);
                    let der = key.verifying_key().to_public_key_der().expect("der");
                    let jwk = json!({
                        "crv": "P-256",
                        "kid": key_id(der.as_bytes()),
                        "kty": "EC",
                        "x": b64url_encode(point.x().expect("x")),
                        "y": b64url_encode(point.y().expect("y")),
                    });
                    (json!({"jwk": jwk, "alg": "ES256"}), sig.to_bytes().to_vec())
                }
                TestSigner::X5c(key, cert) => {
                    let sig: p384::ecdsa::Signature = key.sign(signed.as_bytes());
                    let chain = vec![BASE64.encode(cert)];
                    (
                        json!({"alg": "ES384", "x5c": chain}),
                        sig.to_bytes().to_vec(),
                    )
                }
            };
            json!({"header": header, "signature": b64url_encode(&sig), "protected": protected})
        }
    }

    /// Signs `payload` (JSON ending in `}`) as libtrust's `PrettySignature`
    /// does with a three-space indent. RFC 6979 makes the output
    /// reproducible for a fixed key and time.
    pub(crate) fn sign_pretty(payload: &[u8], signers: &[TestSigner], time: &str) -> Vec<u8> {
        let close = payload
            .iter()
            .rposition(|b| !b.is_ascii_whitespace())
            .expect("payload");
        let length = payload[..close]
            .iter()
            .rposition(|b| !b.is_ascii_whitespace())
            .expect("payload")
            + 1;
        let protected = b64url_encode(
            format!(
                r#"{{"formatLength":{length},"formatTail":"{}","time":"{time}"}}"#,
                b64url_encode(&payload[length..])
            )
            .as_bytes(),
        );
        let encoded_payload = b64url_encode(payload);
        let signatures: Vec<Value> = signers
            .iter()
            .map(|s| s.signature(&protected, &encoded_payload))
            .collect();
        let mut pretty = Vec::new();
        let formatter = serde_json::ser::PrettyFormatter::with_indent(b"   ");
        let mut ser = serde_json::Serializer::with_formatter(&mut pretty, formatter);
        signatures.serialize(&mut ser).expect("serialise");
        let pretty = String::from_utf8(pretty)
            .expect("utf-8")
            .replace('\n', "\n   ");
        let mut out = payload[..length].to_vec();
        out.extend_from_slice(b",\n   \"signatures\": ");
        out.extend_from_slice(pretty.as_bytes());
        out.extend_from_slice(b"\n}");
        out
    }

    #[test]
    fn base64url_accepts_padding_and_line_breaks() {
        assert_eq!(b64url_decode("Cn0").unwrap(), b"\n}");
        assert_eq!(b64url_decode("Cn0=").unwrap(), b"\n}");
        assert_eq!(b64url_decode("C n\n0").unwrap(), b"\n}");
        assert!(b64url_decode("C").is_err());
    }

    #[test]
    fn signs_and_verifies() {
        let payload = b"{\n   \"schemaVersion\": 1,\n   \"name\": \"a/b\"\n}";
        let signed = sign_pretty(
            payload,
            &[TestSigner::Jwk(test_key())],
            "2024-01-01T00:00:00Z",
        );
        let mut body: Map<String, Value> = serde_json::from_slice(&signed).unwrap();
        let sigs = body.remove("signatures").unwrap();
        let jws = Jws::parse(&signed, sigs.clone(), &body, &Limits::default()).unwrap();
        assert_eq!(jws.payload, payload);
        let reports = jws.check();
        assert!(reports[0].verified, "{:?}", reports[0].reason);
        let kid = sigs[0]["header"]["jwk"]["kid"].as_str().unwrap();
        assert_eq!(reports[0].key_id.as_deref(), Some(kid));
    }

    #[test]
    fn conflicting_payloads_are_refused() {
        let payload = b"{\n   \"schemaVersion\": 1\n}";
        let signed = sign_pretty(
            payload,
            &[TestSigner::Jwk(test_key())],
            "2024-01-01T00:00:00Z",
        );
        let mut body: Value = serde_json::from_slice(&signed).unwrap();
        let mut second = body["signatures"][0].clone();
        second["protected"] =
            Value::String(b64url_encode(br#"{"formatLength":3,"formatTail":"fQ"}"#));
        body["signatures"].as_array_mut().unwrap().push(second);
        let sigs = body["signatures"].clone();
        let e = Jws::parse(&signed, sigs, &Map::new(), &Limits::default()).unwrap_err();
        assert!(e.to_string().contains("signatures[1].protected"), "{e}");
    }

    #[test]
    fn a_payload_that_is_not_the_body_verifies_nothing() {
        let payload = b"{\n   \"schemaVersion\": 1,\n   \"tag\": \"a\"\n}";
        let signed = sign_pretty(
            payload,
            &[TestSigner::Jwk(test_key())],
            "2024-01-01T00:00:00Z",
        );
        let mut body: Map<String, Value> = serde_json::from_slice(&signed).unwrap();
        let sigs = body.remove("signatures").unwrap();
        body.insert("tag".into(), Value::String("b".into()));
        let jws = Jws::parse(&signed, sigs, &body, &Limits::default()).unwrap();
        let report = &jws.check()[0];
        assert!(!report.verified && report.key_id.is_some());
        assert!(report
            .reason
            .as_deref()
            .unwrap()
            .contains("differs from the manifest body"));
    }
}
