//! Parses the containers/image manifest fixtures kept beside the checkout
//! in `../shared/fixtures/` (see that folder's README). When the folder is
//! absent the tests say so and pass.
//!
//! Expected digests were computed outside tranship: `sha256sum` of each
//! file, and for signed schema1 the SHA-256 of the JWS payload rebuilt
//! with a separate script (`raw[..formatLength] + formatTail`).

use std::path::{Path, PathBuf};

use tranship::manifest::{DetectedFrom, Manifest};
use tranship::Limits;

/// What a fixture must give.
enum Want {
    /// Parses as `format` with this SHA-256 and these signature results
    /// (`(alg, key_id, verified)`, empty when unsigned).
    Parses {
        format: &'static str,
        digest: &'static str,
        signatures: &'static [(&'static str, &'static str, bool)],
    },
    /// Parses as `format`; digest not checked (conversion outputs).
    Kind(&'static str),
    /// Fails with `code`, and the message mentions `mentions`.
    Fails {
        code: &'static str,
        mentions: &'static str,
    },
}

use Want::{Fails, Kind, Parses};

const fn parses(format: &'static str, digest: &'static str) -> Want {
    Parses {
        format,
        digest,
        signatures: &[],
    }
}

/// libtrust key id of the key that signed `v2s1.manifest.json` (its `kid`).
const V2S1_KEY: &str = "OZ45:U3IG:TDOI:PMBD:NGP2:LDIW:II2U:PSBI:MMCZ:YZUP:TUUO:XPZT";
/// libtrust key id of the key that signed `schema2-to-schema1-by-docker.json`.
const DOCKER_HUB_KEY: &str = "6QVR:5NTY:VIHC:W6IU:XYIN:CTKT:OG5R:XEEG:Z6XJ:2623:YCBP:36MA";

#[rustfmt::skip]
const MANIFESTS: &[(&str, Want)] = &[
    ("non-json.manifest.json", Fails { code: "INVALID_MANIFEST", mentions: "not JSON" }),
    ("oci1.index.everything.json", parses("oci-index", "54a6da8248c7977f602d0d91bcda5247eecb6b40451dd0dfe50ad3c9bba47337")),
    ("oci1.index.zstd-selection.json", parses("oci-index", "2ea9c6220065d09c3a968259aefc4828b8c6dd9705e0aec9412952fabc1b25d8")),
    ("oci1index.json", parses("oci-index", "f2f99b581189a99577e0e8344704b7d00736e554ef748d7e3e3cdc7113c0bf40")),
    ("ocilist-variants.json", parses("oci-index", "65a5c903f49f59eadcdac913a0bf8ad01ecdc341f79ecbe826efeb7dfe244f4a")),
    // The config digest is "": refused, as crane does.
    ("ociv1.artifact.json", Fails { code: "INVALID_MANIFEST", mentions: "config.digest" }),
    ("ociv1.encrypted.manifest.json", parses("oci-manifest", "7e479471e858abc60460326fbd4c65a3c67e3a81ce04696c20280d22daa4ada9")),
    ("ociv1.everything.json", parses("oci-manifest", "06abf9ac6245c106c285facaa0287ea2d37d537b181fc44ec82cd11f92f8fc52")),
    ("ociv1.image.index.json", parses("oci-index", "d59976e8b293d743edfd0d9f985207acd97bcca66cb27506bc6e974af13f729e")),
    ("ociv1.invalid.mediatype.manifest.json", parses("oci-manifest", "37cb608ff77bcaf5de6a6f33f5055ce5357ce5b807af584886773f81e79f2821")),
    ("ociv1.manifest.json", parses("oci-manifest", "bb76e395cb9021fd062b352172ac87ca159b3e84f5a5758a69db824da876cd4f")),
    ("ociv1.nondistributable.gzip.manifest.json", parses("oci-manifest", "18c3b9e3a3a345289edbb70cdec3e58933f69b9c5ec5d6edd08d4a1d468677f8")),
    ("ociv1.nondistributable.manifest.json", parses("oci-manifest", "e90c291b43add9dc30e7e0ce048181aa7a6d257377d142ac735b0720d69301db")),
    ("ociv1.nondistributable.zstd.manifest.json", parses("oci-manifest", "d76927fd59050c01e85f80f1456a7c437537c30bdd775b736cc140ab76742e5b")),
    ("ociv1.uncompressed.manifest.json", parses("oci-manifest", "6190db23be224c28953e8007053ff6cf3b7de83ebd1162bcfc426aff52db2ff8")),
    ("ociv1.zstd.manifest.json", parses("oci-manifest", "474b3a7602a3e91e23bad06a57a6533349076f3e568923962a5d823754c284d7")),
    ("ociv1nomime.artifact.json", Fails { code: "INVALID_MANIFEST", mentions: "config.digest" }),
    ("ociv1nomime.image.index.json", parses("oci-index", "e23eee643694928ed2881e2bce25afd051cb2c8d2f0cbd46fb9f5e8e84ba23eb")),
    ("ociv1nomime.manifest.json", parses("oci-manifest", "f94f91aaa4bfad8e67ef7f5cde3a0e908bd22e758868ca47227e60a8ea623d1c")),
    // Reformatted after signing: formatLength now cuts the payload inside
    // the history array, so the payload is not JSON and nothing verifies.
    ("schema2-to-schema1-by-docker.json", Parses { format: "schema1-signed", digest: "c8a08b90c4899c341695c8b52733faace453cda3c20b2f9ad2c4390eac8eaee4", signatures: &[("ES256", DOCKER_HUB_KEY, false)] }),
    ("schema2list-variants.json", parses("docker-list", "ef242b002798f7f699e06f62396fc96655b7d94cf873e540750da346d0574f3e")),
    ("schema2list.json", parses("docker-list", "6e40af1c2ca008eecf9c4bb03674a3e73af1204e745d06900b7ca75deb94b6af")),
    ("unknown-version.manifest.json", Fails { code: "UNSUPPORTED_MEDIA_TYPE", mentions: "schemaVersion 99999 is not supported" }),
    ("v2list.everything.json", parses("docker-list", "4e2743cdbe56883fab1615414141d62b223371a52386ea24de60326b6b14439a")),
    ("v2list.manifest.json", parses("docker-list", "ae55d2bdfcc9f24b2ac571f0081a64d6e6089b2c5e503ff3b718a646c26cbd3d")),
    ("v2s1-invalid-signatures.manifest.json", Fails { code: "INVALID_MANIFEST", mentions: "signatures: expected an array" }),
    ("v2s1-unsigned.manifest.json", parses("schema1", "7364fea9d84ee548ab67d4c46c6006289800c98de3fbf8c0a97138dfcc23f000")),
    ("v2s1.everything.json", parses("schema1", "c7df6b660bbfca36b1982b6bd656e0cbaf7ec3da06f6160204cd7b4aac6381c7")),
    // Its payload is exactly v2s1-unsigned.manifest.json, hence the same
    // digest; the signature does not verify (checked independently with
    // Python's cryptography too): the fixture was edited after signing.
    ("v2s1.manifest.json", Parses { format: "schema1-signed", digest: "7364fea9d84ee548ab67d4c46c6006289800c98de3fbf8c0a97138dfcc23f000", signatures: &[("ES256", V2S1_KEY, false)] }),
    ("v2s2.everything.json", parses("schema2", "98647f54ad451f9ec107d39fb09339b25c7d565d7b76d0b524609d58b9295754")),
    ("v2s2.manifest.json", parses("schema2", "20bf21ed457b390829cdbeec8795a7bea1626991fda603e0d01b4e7f60427e55")),
    ("v2s2.nondistributable.gzip.manifest.json", parses("schema2", "26e499a9096f21ed957b7241c7030cdee1590a3773c5878fab7b46c8e62b31bc")),
    ("v2s2.nondistributable.manifest.json", parses("schema2", "daa7b79f2a653c7c9f8d517264dcf136112c2597699b38ae85a9143448fd75a5")),
    ("v2s2.uncompressed.manifest.json", parses("schema2", "a0f0dc47597e8c75a04162952c62187eada14be3f4ea3c08f85594d7cd3bcfea")),
    ("v2s2nomime.manifest.json", parses("schema2", "e7648e3307f0760138714bf63f73985c2ead2ed30ec7000378553e8be3d3f207")),
];

/// An image config is not a manifest: no mediaType, no schemaVersion.
const CONFIG: Want = Fails {
    code: "INVALID_MANIFEST",
    mentions: "neither a mediaType nor a schemaVersion",
};

#[rustfmt::skip]
const IMAGES: &[(&str, Want)] = &[
    ("oci1-all-media-types-config.json", CONFIG),
    ("oci1-all-media-types-to-schema2-config.json", CONFIG),
    ("oci1-all-media-types-to-schema2.json", Kind("schema2")),
    ("oci1-all-media-types.json", Kind("oci-manifest")),
    ("oci1-artifact.json", Kind("oci-manifest")),
    ("oci1-config-extra-fields.json", CONFIG),
    ("oci1-config.json", CONFIG),
    ("oci1-extra-config-fields.json", Kind("oci-manifest")),
    ("oci1-invalid-media-type.json", Kind("oci-manifest")),
    ("oci1-to-schema1.json", Parses { format: "schema1-signed", digest: "6feeaff9d4420e29f96881eb712e8762c28615666340222c8e054259f9bc87d4", signatures: &[("ES256", "Q3ZE:RPLV:YRWL:CJGY:3YUV:CVRB:KOZN:DPRO:QZKD:B7KB:4FJ5:XUDM", true)] }),
    ("oci1-to-schema2-config.json", CONFIG),
    ("oci1-to-schema2.json", Kind("schema2")),
    ("oci1.encrypted.json", Kind("oci-manifest")),
    ("oci1.json", Kind("oci-manifest")),
    // Named like a config, but a signed schema1 manifest.
    ("schema1-for-oci-config.json", Parses { format: "schema1-signed", digest: "163ac025575b775d1c0f9bf0bdd0f086883171eb475b5068e7defa4ca9e76516", signatures: &[("ES256", "ORN4:M47W:3KP3:TZRZ:C3UF:5MFQ:INZV:TCMY:LHNV:EYQU:IRGJ:IJLJ", true)] }),
    ("schema1-to-oci1-config.json", CONFIG),
    // containers/image's expected conversion output leaves the config size
    // as -1 (unknown); a real manifest cannot have a negative size.
    ("schema1-to-oci1.json", Fails { code: "INVALID_MANIFEST", mentions: "config.size" }),
    ("schema1-to-schema2-config.json", CONFIG),
    ("schema1-to-schema2.json", Fails { code: "INVALID_MANIFEST", mentions: "config.size" }),
    ("schema1.json", Parses { format: "schema1-signed", digest: "5a26403ca5f91c7f04300e397efc83960afbfe2d2b34314383a53e267a604455", signatures: &[("ES256", "DB2X:GSG2:72H3:AE3R:KCMI:Y77E:W7TF:ERHK:V5HR:JJ2Y:YMS6:HFGJ", true)] }),
    ("schema2-all-media-types-to-oci1.json", Kind("oci-manifest")),
    ("schema2-all-media-types.json", Kind("schema2")),
    ("schema2-config.json", CONFIG),
    ("schema2-invalid-media-type.json", Kind("schema2")),
    ("schema2-to-oci1-config.json", CONFIG),
    ("schema2-to-oci1.json", Kind("oci-manifest")),
    ("schema2-to-schema1-by-docker.json", Parses { format: "schema1-signed", digest: "c8a08b90c4899c341695c8b52733faace453cda3c20b2f9ad2c4390eac8eaee4", signatures: &[("ES256", DOCKER_HUB_KEY, false)] }),
    ("schema2.json", Kind("schema2")),
];

/// `../shared/fixtures/containers-image/<sub>` beside the checkout, if present.
fn fixtures(sub: &str) -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../shared/fixtures/containers-image")
        .join(sub);
    if dir.is_dir() {
        Some(dir)
    } else {
        eprintln!(
            "skipped: ../shared/fixtures not found ({} is absent)",
            dir.display()
        );
        None
    }
}

/// Checks one fixture; returns a description of what is wrong, if anything.
fn check(dir: &Path, name: &str, want: &Want) -> Option<String> {
    let bytes = match std::fs::read(dir.join(name)) {
        Ok(bytes) => bytes,
        Err(e) => return Some(format!("cannot read: {e}")),
    };
    let parsed = Manifest::parse(&bytes, None, &Limits::default());
    match (want, parsed) {
        (Fails { code, mentions }, Err(e)) => {
            let text = e.to_string();
            (e.code() != *code || !text.contains(mentions)).then(|| {
                format!(
                    "expected {code} mentioning `{mentions}`, got {}: {text}",
                    e.code()
                )
            })
        }
        (Fails { code, .. }, Ok(m)) => Some(format!("expected {code}, parsed as {}", m.format())),
        (_, Err(e)) => Some(format!("expected to parse, got {}: {e}", e.code())),
        (Kind(format), Ok(m)) => check_parsed(&bytes, &m, format, None, &[]),
        (
            Parses {
                format,
                digest,
                signatures,
            },
            Ok(m),
        ) => check_parsed(&bytes, &m, format, Some(digest), signatures),
    }
}

fn check_parsed(
    bytes: &[u8],
    m: &Manifest,
    format: &str,
    digest: Option<&str>,
    signatures: &[(&str, &str, bool)],
) -> Option<String> {
    let report = m.report();
    if report.format.as_str() != format {
        return Some(format!("expected {format}, parsed as {}", report.format));
    }
    if let Some(digest) = digest {
        let found = m.digest().to_string();
        if found != format!("sha256:{digest}") {
            return Some(format!("digest sha256:{digest} expected, found {found}"));
        }
    }
    let found: Vec<(String, Option<String>, bool)> = report
        .signatures
        .iter()
        .map(|s| (s.alg.clone(), s.key_id.clone(), s.verified))
        .collect();
    let wanted: Vec<(String, Option<String>, bool)> = signatures
        .iter()
        .map(|(alg, key, ok)| (alg.to_string(), Some(key.to_string()), *ok))
        .collect();
    if (digest.is_some() || !signatures.is_empty()) && found != wanted {
        return Some(format!("signatures {wanted:?} expected, found {found:?}"));
    }
    let all_verified = !found.is_empty() && found.iter().all(|s| s.2);
    match m.verify_signatures() {
        Ok(_) if !all_verified => return Some("verify_signatures passed unexpectedly".into()),
        Err(e) if all_verified => return Some(format!("verify_signatures failed: {e}")),
        Err(e) if e.code() != "INVALID_SIGNATURE" => return Some(format!("wrong error: {e}")),
        _ => {}
    }
    // Given its own media type as Content-Type, the body must agree.
    match Manifest::parse(bytes, Some(m.media_type().as_str()), &Limits::default()) {
        Ok(again) if again.detected_from() == DetectedFrom::ContentType => {
            (again.digest() != m.digest() || again.format() != m.format())
                .then(|| "parsing with its Content-Type gives another result".into())
        }
        Ok(_) => Some("its own Content-Type was not used".into()),
        Err(e) => Some(format!("rejected with its own Content-Type: {e}")),
    }
}

/// Runs the table over a folder: every file must be in the table and
/// every table entry must hold.
fn run(sub: &str, table: &[(&str, Want)]) {
    let Some(dir) = fixtures(sub) else {
        return;
    };
    let mut problems = Vec::new();
    let mut files: Vec<String> = std::fs::read_dir(&dir)
        .expect("readable fixtures folder")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    files.sort();
    for file in &files {
        if !table.iter().any(|(name, _)| name == file) {
            problems.push(format!("{sub}/{file}: not in the table; add it"));
        }
    }
    for (name, want) in table {
        if let Some(problem) = check(&dir, name, want) {
            problems.push(format!("{sub}/{name}: {problem}"));
        }
    }
    assert!(problems.is_empty(), "\n{}", problems.join("\n"));
    eprintln!("{sub}: {} fixtures checked", table.len());
}

#[test]
fn containers_image_manifest_fixtures() {
    run("manifest", MANIFESTS);
}

#[test]
fn containers_image_conversion_fixtures() {
    run("image", IMAGES);
}
