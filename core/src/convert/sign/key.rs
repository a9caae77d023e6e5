//! Reading P-256 private keys from PEM (PKCS#8 or SEC1) and JWK files.

use data_encoding::BASE64;
use p256::ecdsa::SigningKey;
use p256::pkcs8::DecodePrivateKey as _;
use p256::SecretKey;
use serde_json::Value;

use crate::error::{Error, Result};
use crate::manifest::jws::{b64url_decode, b64url_encode};

fn invalid(why: impl Into<String>) -> Error {
    Error::InvalidKey(why.into())
}

/// Reads a PEM or JWK key file, told apart by its first character.
pub(super) fn read(bytes: &[u8]) -> Result<SigningKey> {
    let text = std::str::from_utf8(bytes)
        .map_err(|_| invalid("a key file must be PEM or JWK text; this one is binary"))?
        .trim_start_matches('\u{feff}')
        .trim();
    if text.starts_with('{') {
        from_jwk(text)
    } else if text.contains("-----BEGIN ") {
        from_pem(text)
    } else {
        Err(invalid(
            "expected a PEM key (`-----BEGIN PRIVATE KEY-----` or `-----BEGIN EC PRIVATE KEY-----`) or a JWK object",
        ))
    }
}

/// One PEM block: its label and decoded body. Header lines (`Name:
/// value`, as libtrust writes `keyID:`) before the base64 are skipped.
fn pem_blocks(text: &str) -> Result<Vec<(String, Vec<u8>)>> {
    let mut blocks = Vec::new();
    let mut lines = text.lines().map(str::trim);
    while let Some(line) = lines.next() {
        let Some(label) = line
            .strip_prefix("-----BEGIN ")
            .and_then(|l| l.strip_suffix("-----"))
        else {
            continue;
        };
        let end = format!("-----END {label}-----");
        let mut body = String::new();
        let mut closed = false;
        for line in lines.by_ref() {
            if line == end {
                closed = true;
                break;
            }
            if !line.contains(':') {
                body.push_str(line);
            }
        }
        if !closed {
            return Err(invalid(format!(
                "the PEM block `{label}` has no `{end}` line"
            )));
        }
        let der = BASE64
            .decode(body.as_bytes())
            .map_err(|e| invalid(format!("the PEM block `{label}` is not base64: {e}")))?;
        blocks.push((label.to_string(), der));
    }
    Ok(blocks)
}

fn from_pem(text: &str) -> Result<SigningKey> {
    let blocks = pem_blocks(text)?;
    let mut seen = Vec::new();
    for (label, der) in &blocks {
        let key =
            match label.as_str() {
                "PRIVATE KEY" => SecretKey::from_pkcs8_der(der).map_err(|_| {
                    invalid("the PKCS#8 key is not a P-256 EC key; schema1 signing uses ES256")
                })?,
                "EC PRIVATE KEY" => SecretKey::from_sec1_der(der).map_err(|_| {
                    invalid("the SEC1 EC key is not on curve P-256; schema1 signing uses ES256")
                })?,
                "RSA PRIVATE KEY" => {
                    return Err(invalid("an RSA key cannot sign ES256; give a P-256 EC key"))
                }
                "ENCRYPTED PRIVATE KEY" => return Err(invalid(
                    "the key is encrypted; decrypt it first (`openssl pkcs8 -in KEY -out PLAIN`)",
                )),
                "EC PARAMETERS" => continue,
                other => {
                    seen.push(other.to_string());
                    continue;
                }
            };
        return Ok(SigningKey::from(key));
    }
    Err(invalid(if seen.is_empty() {
        "the PEM text has no key block".to_string()
    } else {
        format!(
            "expected a `PRIVATE KEY` or `EC PRIVATE KEY` block, found {}",
            seen.join(", ")
        )
    }))
}

fn from_jwk(text: &str) -> Result<SigningKey> {
    let jwk: Value =
        serde_json::from_str(text).map_err(|e| invalid(format!("the JWK is not JSON: {e}")))?;
    let field = |name: &str| jwk.get(name).and_then(Value::as_str);
    match field("kty") {
        Some("EC") => {}
        Some(other) => {
            return Err(invalid(format!(
                "a JWK of type `{other}` cannot sign ES256; give an `EC` P-256 key"
            )))
        }
        None => return Err(invalid("the JWK has no `kty`")),
    }
    match field("crv") {
        Some("P-256") => {}
        other => {
            return Err(invalid(format!(
                "the JWK's curve is {}; schema1 signing uses ES256 on P-256",
                other.map_or("missing".into(), |c| format!("`{c}`"))
            )))
        }
    }
    let d = field("d").ok_or_else(|| {
        invalid("the JWK is a public key (no `d`); signing needs the private key")
    })?;
    let d = b64url_decode(d).map_err(|e| invalid(format!("the JWK's `d` is {e}")))?;
    let key = SigningKey::from_slice(&d)
        .map_err(|_| invalid("the JWK's `d` is not a valid P-256 private scalar"))?;
    let point = key.verifying_key().to_encoded_point(false);
    for (name, coordinate) in [("x", point.x()), ("y", point.y())] {
        let ours = b64url_encode(coordinate.map_or(&[][..], |c| &c[..]));
        if field(name).is_some_and(|given| given != ours) {
            return Err(invalid(format!(
                "the JWK's `{name}` does not belong to its private key `d`"
            )));
        }
    }
    Ok(key)
}

#[cfg(test)]
mod tests {
    use super::*;
    use p256::pkcs8::{EncodePrivateKey as _, LineEnding};

    fn key() -> SigningKey {
        crate::manifest::jws::tests::test_key()
    }

    #[test]
    fn reads_pkcs8_sec1_and_jwk() {
        let secret = SecretKey::from(key().as_nonzero_scalar());
        let pkcs8 = secret.to_pkcs8_pem(LineEnding::LF).unwrap();
        assert_eq!(read(pkcs8.as_bytes()).unwrap(), key());
        let sec1 = secret.to_sec1_der().unwrap();
        let pem = format!(
            "-----BEGIN EC PARAMETERS-----\nBggqhkjOPQMBBw==\n-----END EC PARAMETERS-----\n-----BEGIN EC PRIVATE KEY-----\nkeyID: AAAA:BBBB\n\n{}\n-----END EC PRIVATE KEY-----\n",
            BASE64.encode(&sec1)
        );
        assert_eq!(read(pem.as_bytes()).unwrap(), key());
        let point = key().verifying_key().to_encoded_point(false);
        let jwk = serde_json::json!({
            "kty": "EC", "crv": "P-256", "kid": "ignored",
            "d": b64url_encode(&key().to_bytes()),
            "x": b64url_encode(point.x().unwrap()),
            "y": b64url_encode(point.y().unwrap()),
        });
        assert_eq!(read(jwk.to_string().as_bytes()).unwrap(), key());
    }

    #[test]
    fn refuses_other_keys_clearly() {
        let cases: &[(&str, &str)] = &[
            (r#"{"kty":"RSA","n":"AQAB"}"#, "type `RSA`"),
            (r#"{"kty":"EC","crv":"P-384","d":"AA"}"#, "`P-384`"),
            (
                r#"{"kty":"EC","crv":"P-256","x":"AA","y":"AA"}"#,
                "public key",
            ),
            (
                "-----BEGIN RSA PRIVATE KEY-----\nAA==\n-----END RSA PRIVATE KEY-----",
                "RSA",
            ),
            (
                "-----BEGIN PUBLIC KEY-----\nAA==\n-----END PUBLIC KEY-----",
                "found PUBLIC KEY",
            ),
            ("-----BEGIN PRIVATE KEY-----\nAA==\n", "no `-----END"),
            ("hello", "expected a PEM key"),
        ];
        for (text, says) in cases {
            let e = read(text.as_bytes()).unwrap_err();
            assert_eq!(e.code(), "INVALID_KEY");
            assert!(e.to_string().contains(says), "{text}: {e}");
        }
    }
}
