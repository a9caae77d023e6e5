//! Unit tests of manifest parsing across kinds, and of the signed corpus
//! samples (which these tests also regenerate, see `data/README.md`).

use std::path::{Path, PathBuf};

use super::jws::tests::{sign_pretty, test_key, TestSigner};
use super::*;
use p384::pkcs8::DecodePrivateKey as _;

fn data_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/corpus/manifest/data")
}

fn read(name: &str) -> Vec<u8> {
    std::fs::read(data_dir().join(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn parse(bytes: &[u8], ct: Option<&str>) -> Result<Manifest> {
    Manifest::parse(bytes, ct, &Limits::default())
}

/// The signing time written into every signed corpus sample.
const SIGNING_TIME: &str = "2024-01-02T03:04:05Z";

/// Every signed corpus sample: its file name and how it is made from
/// `schema1-unsigned.json`.
fn signed_samples() -> Vec<(&'static str, Vec<u8>)> {
    let unsigned = read("schema1-unsigned.json");
    let pem = String::from_utf8(read("keys/es384-test-key.pem")).expect("pem");
    let p384_key = p384::ecdsa::SigningKey::from_pkcs8_pem(&pem).expect("P-384 key");
    let cert = read("keys/es384-test-cert.der");
    let jwk = || TestSigner::Jwk(test_key());
    let x5c = || TestSigner::X5c(p384_key.clone(), cert.clone());
    let signed = sign_pretty(&unsigned, &[jwk()], SIGNING_TIME);
    let text = String::from_utf8(signed.clone()).expect("utf-8");
    let tampered = text.replacen("\"tag\": \"latest\"", "\"tag\": \"hacked\"", 1);
    let rs256 = text.replacen("\"alg\": \"ES256\"", "\"alg\": \"RS256\"", 1);
    // One more space of indent: formatLength now ends the payload early.
    let reformatted = text.replacen("{\n   \"schemaVersion\"", "{\n    \"schemaVersion\"", 1);
    vec![
        ("schema1-signed.json", signed),
        (
            "schema1-signed-es384-x5c.json",
            sign_pretty(&unsigned, &[x5c()], SIGNING_TIME),
        ),
        (
            "schema1-signed-two-keys.json",
            sign_pretty(&unsigned, &[jwk(), x5c()], SIGNING_TIME),
        ),
        ("schema1-signed-tampered.json", tampered.into_bytes()),
        ("schema1-signed-rs256.json", rs256.into_bytes()),
        ("schema1-signed-reformatted.json", reformatted.into_bytes()),
    ]
}

/// The committed signed samples are exactly what the signer makes (RFC
/// 6979 signatures are deterministic). Set `TRANSHIP_REGENERATE_CORPUS=1`
/// to rewrite them.
#[test]
fn signed_corpus_samples_are_reproducible() {
    let regenerate = std::env::var_os("TRANSHIP_REGENERATE_CORPUS").is_some();
    for (name, bytes) in signed_samples() {
        let path = data_dir().join(name);
        if regenerate {
            std::fs::write(&path, &bytes).expect("write sample");
        }
        let committed = std::fs::read(&path).unwrap_or_default();
        assert!(
            committed == bytes,
            "{name} differs from what the signer makes"
        );
    }
}

#[test]
fn signed_schema1_digest_is_the_payload_digest() {
    let unsigned = read("schema1-unsigned.json");
    for (name, bytes) in signed_samples() {
        let m = parse(&bytes, None).unwrap();
        assert_eq!(m.format(), ManifestFormat::Schema1Signed, "{name}");
        assert_eq!(m.detected_from(), DetectedFrom::Content);
        if !name.contains("tampered") && !name.contains("reformatted") {
            assert_eq!(m.payload(), &unsigned[..], "{name}");
            assert_eq!(m.digest(), Digest::sha256(&unsigned), "{name}");
        }
        assert_ne!(m.digest(), Digest::sha256(&bytes));
    }
}

#[test]
fn signatures_verify_or_say_why_not() {
    for (name, bytes) in signed_samples() {
        let m = parse(&bytes, None).unwrap();
        let report = m.report();
        let result = m.verify_signatures();
        match name {
            "schema1-signed-tampered.json" => {
                assert!(!report.signatures[0].verified);
                let e = result.unwrap_err();
                assert_eq!(e.code(), "INVALID_SIGNATURE");
                assert!(e.to_string().contains("does not match the payload"), "{e}");
            }
            "schema1-signed-reformatted.json" => {
                assert!(!report.signatures[0].verified);
                let e = result.unwrap_err();
                assert!(e.to_string().contains("payload"), "{e}");
                assert!(e.to_string().contains("is not JSON"), "{e}");
            }
            "schema1-signed-rs256.json" => {
                assert!(!report.signatures[0].verified);
                assert!(report.signatures[0].key_id.is_some());
                let e = result.unwrap_err();
                assert!(e.to_string().contains("`RS256` is not supported"), "{e}");
            }
            _ => {
                let signers = result.unwrap();
                assert!(report.signatures.iter().all(|s| s.verified), "{name}");
                assert_eq!(signers.len(), report.signatures.len());
            }
        }
    }
}

#[test]
fn unsigned_manifests_have_no_signatures_to_verify() {
    let m = parse(&read("schema1-unsigned.json"), None).unwrap();
    assert_eq!(m.format(), ManifestFormat::Schema1);
    assert_eq!(
        m.verify_signatures().unwrap_err().code(),
        "INVALID_SIGNATURE"
    );
    let m = parse(br#"{"schemaVersion":2,"manifests":[]}"#, None).unwrap();
    let e = m.verify_signatures().unwrap_err();
    assert!(e.to_string().contains("oci-index"), "{e}");
}

#[test]
fn limits_are_enforced() {
    let bytes = read("schema1-unsigned.json");
    let small = Limits {
        max_manifest_bytes: 10,
        ..Limits::default()
    };
    let e = Manifest::parse(&bytes, None, &small).unwrap_err();
    assert_eq!(e.code(), "LIMIT_EXCEEDED");
    let one_layer = Limits {
        max_layers: 1,
        ..Limits::default()
    };
    let e = Manifest::parse(&bytes, None, &one_layer).unwrap_err();
    assert!(e.to_string().contains("number of layers"), "{e}");
    let deep = format!(
        r#"{{"schemaVersion":2,"x":{}1{}}}"#,
        "[".repeat(70),
        "]".repeat(70)
    );
    assert_eq!(
        parse(deep.as_bytes(), None).unwrap_err().code(),
        "LIMIT_EXCEEDED"
    );
}

#[test]
fn non_json_names_the_position() {
    let e = parse(b"{\"schemaVersion\": 2,\n  oops}", None).unwrap_err();
    assert_eq!(e.code(), "INVALID_MANIFEST");
    assert!(e.to_string().contains("not JSON"), "{e}");
    assert!(e.to_string().contains("line 2 column 3"), "{e}");
}

#[test]
fn unknown_fields_are_kept() {
    let body = format!(
        r#"{{"schemaVersion":2,"config":{{"mediaType":"{}","digest":"{}","size":2,"x-c":1}},"layers":null,"x-top":[true]}}"#,
        MediaType::OciConfig,
        Digest::sha256(b"{}")
    );
    let m = parse(body.as_bytes(), None).unwrap();
    let image = m.as_image().unwrap();
    assert!(image.layers.is_empty());
    assert_eq!(image.extra["x-top"], serde_json::json!([true]));
    assert_eq!(image.config.extra["x-c"], serde_json::json!(1));
    assert_eq!(m.raw(), body.as_bytes());
}

/// Every sample, cut short at every length and with bytes replaced, must
/// give a result or an error, never a panic.
#[test]
fn truncated_and_garbled_samples_never_panic() {
    let mut samples: Vec<Vec<u8>> = signed_samples().into_iter().map(|(_, b)| b).collect();
    if let Ok(dir) = std::fs::read_dir(data_dir()) {
        for entry in dir.flatten() {
            if entry.path().extension().is_some_and(|e| e == "json") {
                samples.push(std::fs::read(entry.path()).unwrap());
            }
        }
    }
    // Signature checks are slow in debug builds: run them once per input.
    let exercise = |bytes: &[u8]| {
        if let Ok(m) = parse(bytes, None) {
            let _ = m.report();
        }
        let _ = parse(bytes, Some(MediaType::DockerSchema1Signed.as_str()));
    };
    for sample in &samples {
        for end in 0..sample.len() {
            exercise(&sample[..end]);
        }
        let step = (sample.len() / 100).max(1);
        for at in (0..sample.len()).step_by(step) {
            for junk in [b'"', b'}', b'0', b'\\', 0xff] {
                let mut garbled = sample.clone();
                garbled[at] = junk;
                exercise(&garbled);
            }
        }
    }
}
