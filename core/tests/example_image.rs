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

/// Upconverting the registry's schema1 rendering gives back the layers of
/// the schema 2 image it was made from (the config differs: schema1 does
/// not carry it whole), and the result's config is skopeo's (checked by
/// scripts/test-convert and the `s1-signed-registry` corpus case).
#[test]
fn upconversion_gives_back_the_original_layers() {
    use tranship::blobs::BlobStore;
    use tranship::convert::{convert, ConvertOptions, Target};

    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/hello-schema1");
    let raw = std::fs::read(dir.join("manifest.json")).unwrap();
    let m = Manifest::parse(&raw, None, &Limits::default()).unwrap();
    let opts = ConvertOptions::new(Target::Schema2).with_blobs(BlobStore::open(&dir).unwrap());
    let c = convert(&m, &opts).unwrap();
    let original: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("schema2-manifest.json")).unwrap()).unwrap();
    let ours: serde_json::Value = serde_json::from_slice(c.manifest.raw()).unwrap();
    assert_eq!(ours["layers"], original["layers"]);
    assert_eq!(c.report.lost, ["name", "tag", "signatures"]);
}
