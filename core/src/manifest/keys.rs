//! Public keys of schema1 signatures: from a JWK or an X.509 certificate
//! to DER SubjectPublicKeyInfo (the form libtrust hashes for key ids), and
//! ECDSA verification over it.

use p256::ecdsa::signature::Verifier as _;
use p256::pkcs8::DecodePublicKey as _;
use serde_json::Value;
use x509_cert::der::{Decode as _, Encode as _};

use super::jws::{b64_std_decode, b64url_decode};

type KeyResult<T> = std::result::Result<T, String>;

const OID_EC_PUBLIC_KEY: &[u8] = &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01];
const OID_P256: &[u8] = &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07];
const OID_P384: &[u8] = &[0x2b, 0x81, 0x04, 0x00, 0x22];
const OID_P521: &[u8] = &[0x2b, 0x81, 0x04, 0x00, 0x23];
const OID_RSA: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01];

/// One DER element: tag, definite length, content.
fn tlv(tag: u8, content: &[u8]) -> Vec<u8> {
    let mut out = vec![tag];
    let len = content.len();
    if len < 0x80 {
        out.push(len as u8);
    } else {
        let bytes: Vec<u8> = len
            .to_be_bytes()
            .into_iter()
            .skip_while(|&b| b == 0)
            .collect();
        out.push(0x80 | bytes.len() as u8);
        out.extend_from_slice(&bytes);
    }
    out.extend_from_slice(content);
    out
}

fn sequence(parts: &[Vec<u8>]) -> Vec<u8> {
    tlv(0x30, &parts.concat())
}

/// A DER INTEGER from big-endian unsigned bytes.
fn unsigned_integer(bytes: &[u8]) -> Vec<u8> {
    let trimmed = match bytes.iter().position(|&b| b != 0) {
        Some(i) => &bytes[i..],
        None => &[0u8][..],
    };
    let mut content = Vec::with_capacity(trimmed.len() + 1);
    if trimmed[0] & 0x80 != 0 {
        content.push(0);
    }
    content.extend_from_slice(trimmed);
    tlv(0x02, &content)
}

fn spki(algorithm: Vec<u8>, key: &[u8]) -> Vec<u8> {
    let mut bits = vec![0u8];
    bits.extend_from_slice(key);
    sequence(&[algorithm, tlv(0x03, &bits)])
}

fn jwk_field(jwk: &Value, name: &str) -> KeyResult<Vec<u8>> {
    let text = jwk
        .get(name)
        .and_then(Value::as_str)
        .ok_or_else(|| format!("jwk has no string `{name}`"))?;
    b64url_decode(text).map_err(|e| format!("jwk `{name}` is {e}"))
}

/// DER SubjectPublicKeyInfo of an EC (P-256, P-384, P-521) or RSA JWK,
/// encoded as Go's `x509.MarshalPKIXPublicKey` does.
pub(crate) fn spki_from_jwk(jwk: &Value) -> KeyResult<Vec<u8>> {
    match jwk.get("kty").and_then(Value::as_str) {
        Some("EC") => {
            let crv = jwk.get("crv").and_then(Value::as_str).unwrap_or_default();
            let (oid, len) = match crv {
                "P-256" => (OID_P256, 32),
                "P-384" => (OID_P384, 48),
                "P-521" => (OID_P521, 66),
                other => return Err(format!("jwk curve `{other}` is not supported")),
            };
            let (x, y) = (jwk_field(jwk, "x")?, jwk_field(jwk, "y")?);
            if x.len() != len || y.len() != len {
                return Err(format!(
                    "jwk coordinates of a {crv} key must be {len} bytes, found {} and {}",
                    x.len(),
                    y.len()
                ));
            }
            let point = [&[0x04][..], &x, &y].concat();
            let algorithm = sequence(&[tlv(0x06, OID_EC_PUBLIC_KEY), tlv(0x06, oid)]);
            Ok(spki(algorithm, &point))
        }
        Some("RSA") => {
            let (n, e) = (jwk_field(jwk, "n")?, jwk_field(jwk, "e")?);
            let key = sequence(&[unsigned_integer(&n), unsigned_integer(&e)]);
            let algorithm = sequence(&[tlv(0x06, OID_RSA), vec![0x05, 0x00]]);
            Ok(spki(algorithm, &key))
        }
        Some(other) => Err(format!("jwk key type `{other}` is not supported")),
        None => Err("jwk has no `kty`".into()),
    }
}

/// DER SubjectPublicKeyInfo of a certificate given as standard base64 DER
/// (an `x5c` entry).
pub(crate) fn spki_from_certificate(b64: &str) -> KeyResult<Vec<u8>> {
    let der = b64_std_decode(b64).map_err(|e| format!("x5c[0] is {e}"))?;
    let cert = x509_cert::Certificate::from_der(&der)
        .map_err(|e| format!("x5c[0] is not an X.509 certificate: {e}"))?;
    cert.tbs_certificate
        .subject_public_key_info
        .to_der()
        .map_err(|e| format!("x5c[0] public key cannot be encoded: {e}"))
}

/// Verifies a JWS ECDSA signature (raw `r||s`) over `message`.
pub(crate) fn verify(alg: &str, spki_der: &[u8], message: &[u8], sig: &[u8]) -> KeyResult<()> {
    let mismatch = || "signature does not match the payload".to_string();
    match alg {
        "ES256" => {
            let key = p256::ecdsa::VerifyingKey::from_public_key_der(spki_der)
                .map_err(|_| "ES256 needs a P-256 EC key and the signer's key is not one")?;
            check_len(alg, sig, 64)?;
            let sig = p256::ecdsa::Signature::from_slice(sig).map_err(|_| mismatch())?;
            key.verify(message, &sig).map_err(|_| mismatch())
        }
        "ES384" => {
            let key = p384::ecdsa::VerifyingKey::from_public_key_der(spki_der)
                .map_err(|_| "ES384 needs a P-384 EC key and the signer's key is not one")?;
            check_len(alg, sig, 96)?;
            let sig = p384::ecdsa::Signature::from_slice(sig).map_err(|_| mismatch())?;
            key.verify(message, &sig).map_err(|_| mismatch())
        }
        "" => Err("the signature header names no `alg`".into()),
        other => Err(format!(
            "algorithm `{other}` is not supported (ES256 and ES384 are)"
        )),
    }
}

fn check_len(alg: &str, sig: &[u8], expected: usize) -> KeyResult<()> {
    if sig.len() == expected {
        Ok(())
    } else {
        Err(format!(
            "an {alg} signature is {expected} bytes (r||s), found {}",
            sig.len()
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use p256::pkcs8::EncodePublicKey as _;
    use serde_json::json;

    #[test]
    fn jwk_der_matches_the_library_encoding() {
        let key = super::super::jws::tests::test_key();
        let point = key.verifying_key().to_encoded_point(false);
        let jwk = json!({
            "kty": "EC", "crv": "P-256",
            "x": super::super::jws::b64url_encode(point.x().unwrap()),
            "y": super::super::jws::b64url_encode(point.y().unwrap()),
        });
        let expected = key.verifying_key().to_public_key_der().unwrap();
        assert_eq!(spki_from_jwk(&jwk).unwrap(), expected.as_bytes());
    }

    #[test]
    fn libtrust_key_id_of_a_known_jwk() {
        // From a schema1 manifest signed by libtrust; `kid` is libtrust's.
        let jwk = json!({
            "crv": "P-256", "kty": "EC",
            "x": "ReC5c0J9tgXSdUL4_xzEt5RsD8kFt2wWSgJcpAcOQx8",
            "y": "3sBGEqQ3ZMeqPKwQBAadN2toOUEASha18xa0WwsDF-M"
        });
        let der = spki_from_jwk(&jwk).unwrap();
        assert_eq!(
            super::super::jws::key_id(&der),
            "OZ45:U3IG:TDOI:PMBD:NGP2:LDIW:II2U:PSBI:MMCZ:YZUP:TUUO:XPZT"
        );
    }

    #[test]
    fn der_integers_and_long_lengths() {
        assert_eq!(
            unsigned_integer(&[0, 0, 0x80]),
            vec![0x02, 0x02, 0x00, 0x80]
        );
        assert_eq!(unsigned_integer(&[]), vec![0x02, 0x01, 0x00]);
        let long = tlv(0x04, &[7u8; 300]);
        assert_eq!(&long[..4], &[0x04, 0x82, 0x01, 0x2c]);
    }

    #[test]
    fn unsupported_algorithms_say_so() {
        let e = verify("RS256", &[], b"", &[]).unwrap_err();
        assert!(e.contains("`RS256` is not supported"), "{e}");
    }
}
