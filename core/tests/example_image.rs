//! The bundled example image (examples/hello-schema1, made by
//! examples/make-hello-image with the real distribution registry): our
//! digest of its signed schema1 manifest must be the registry's own
//! Docker-Content-Digest, and its signature must verify under the key id
//! the registry put in the JWK.

use std::path::Path;

use tranship::manifest::Manifest;
use tranship::Limits;

#[test]
fn digest_and_signature_match_the_registry() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/hello-schema1");
    let raw = std::fs::read(dir.join("manifest.json")).unwrap();
    let registry_digest = std::fs::read_to_string(dir.join("manifest.digest")).unwrap();

    let m = Manifest::parse(&raw, None, &Limits::default()).unwrap();
    assert_eq!(m.digest().to_string(), registry_digest.trim());

    let body: serde_json::Value = serde_json::from_slice(&raw).unwrap();
    let kid = body["signatures"][0]["header"]["jwk"]["kid"]
        .as_str()
        .unwrap();
    let signers = m.verify_signatures().unwrap();
    assert_eq!(signers.len(), 1);
    assert_eq!(signers[0].key_id, kid);
    assert_eq!(signers[0].alg, "ES256");
}
