//! Converts the containers/image conversion fixtures kept beside the
//! checkout in `../shared/fixtures/containers-image/image/` (see that
//! folder's README) and compares the results with that library's expected
//! outputs. When the folder is absent the tests say so and pass.
//!
//! How the comparison is made, and why:
//! - The fixtures are pretty-printed, so results are compared as JSON
//!   values (after parsing both with serde_json), not as bytes.
//! - The layer blobs are not included: the diff_ids in the expected
//!   configs and the sizes in the expected manifests are fed in as given.
//! - `schema1-to-*.json` describe the new config with `"size": -1` and a
//!   placeholder digest (`sha256:aaaa…`), which tranship's manifest parser
//!   refuses; those two fields are checked against the config we made
//!   instead (its length and SHA-256).
//! - The expected OCI configs (`*-to-oci1-config.json`) come from a newer
//!   containers/image built with image-spec 1.1.0, whose config struct
//!   keeps `ArgsEscaped`; skopeo 1.9, the reference program here, uses
//!   image-spec 1.1.0-rc, which drops it. tranship follows skopeo 1.9, so
//!   `config.ArgsEscaped` is removed from those expected values; for the
//!   same reason the config digest and size of `schema2-to-oci1.json`
//!   (computed from the newer bytes) are checked against ours instead.

use std::path::PathBuf;

use serde_json::Value;
use tranship::convert::{convert, Conversion, ConvertOptions, Target};
use tranship::manifest::Manifest;
use tranship::{Digest, Limits};

fn fixtures() -> Option<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../shared/fixtures/containers-image/image");
    if dir.is_dir() {
        Some(dir)
    } else {
        eprintln!(
            "skipped: {} is absent (the containers/image fixtures live beside the checkout)",
            dir.display()
        );
        None
    }
}

fn read(dir: &std::path::Path, name: &str) -> Vec<u8> {
    std::fs::read(dir.join(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn value(bytes: &[u8]) -> Value {
    serde_json::from_slice(bytes).expect("JSON")
}

fn manifest(dir: &std::path::Path, name: &str) -> Manifest {
    Manifest::parse(&read(dir, name), None, &Limits::default()).expect(name)
}

fn without_args_escaped(mut config: Value) -> Value {
    if let Some(c) = config.get_mut("config").and_then(Value::as_object_mut) {
        c.remove("ArgsEscaped");
    }
    config
}

/// Sets the expected config descriptor's size and digest to those of the
/// config we made (the fixtures carry placeholders).
fn with_config_of(mut expected: Value, c: &Conversion) -> Value {
    let config = c.config.as_deref().expect("a new config");
    expected["config"]["size"] = Value::from(config.len());
    expected["config"]["digest"] = Value::from(Digest::sha256(config).to_string());
    expected
}

/// schema1.json with the diff_ids and layer sizes of the expected output.
fn schema1_options(dir: &std::path::Path, target: Target) -> ConvertOptions {
    let config = value(&read(dir, "schema1-to-schema2-config.json"));
    let layers = value(&read(dir, "schema1-to-schema2.json"));
    let mut opts = ConvertOptions::new(target);
    let diff_ids = config["rootfs"]["diff_ids"].as_array().expect("diff_ids");
    for (layer, diff_id) in layers["layers"]
        .as_array()
        .expect("layers")
        .iter()
        .zip(diff_ids)
    {
        let blob: Digest = layer["digest"]
            .as_str()
            .expect("digest")
            .parse()
            .expect("digest");
        let diff_id: Digest = diff_id.as_str().expect("diff_id").parse().expect("diff_id");
        let size = layer["size"].as_u64().expect("size");
        opts = opts
            .with_diff_id(blob.clone(), diff_id)
            .with_layer_size(blob, size);
    }
    opts
}

#[test]
fn schema1_to_schema2() {
    let Some(dir) = fixtures() else { return };
    let c = convert(
        &manifest(&dir, "schema1.json"),
        &schema1_options(&dir, Target::Schema2),
    )
    .expect("converts");
    let config = c.config.as_deref().expect("config");
    assert_eq!(
        value(config),
        value(&read(&dir, "schema1-to-schema2-config.json"))
    );
    let expected = with_config_of(value(&read(&dir, "schema1-to-schema2.json")), &c);
    assert_eq!(value(c.manifest.raw()), expected);
    assert_eq!(c.report.result_config_digest, Some(Digest::sha256(config)));
}

#[test]
fn schema1_to_oci_reencoded_as_containers_image_does() {
    let Some(dir) = fixtures() else { return };
    let opts = schema1_options(&dir, Target::Oci).with_reencode_oci_config(true);
    let c = convert(&manifest(&dir, "schema1.json"), &opts).expect("converts");
    let expected_config = without_args_escaped(value(&read(&dir, "schema1-to-oci1-config.json")));
    assert_eq!(value(c.config.as_deref().expect("config")), expected_config);
    let expected = with_config_of(value(&read(&dir, "schema1-to-oci1.json")), &c);
    assert_eq!(value(c.manifest.raw()), expected);
}

#[test]
fn schema2_to_oci() {
    let Some(dir) = fixtures() else { return };
    let config = read(&dir, "schema2-config.json");
    let opts = ConvertOptions::new(Target::Oci)
        .with_config(config.clone())
        .with_reencode_oci_config(true);
    let c = convert(&manifest(&dir, "schema2.json"), &opts).expect("converts");
    let expected_config = without_args_escaped(value(&read(&dir, "schema2-to-oci1-config.json")));
    assert_eq!(value(c.config.as_deref().expect("config")), expected_config);
    let expected = with_config_of(value(&read(&dir, "schema2-to-oci1.json")), &c);
    assert_eq!(value(c.manifest.raw()), expected);

    // By default the config bytes, and so the image ID, are kept.
    let kept = convert(
        &manifest(&dir, "schema2.json"),
        &ConvertOptions::new(Target::Oci),
    )
    .expect("converts");
    assert!(kept.config.is_none());
    assert_eq!(
        kept.report.result_config_digest,
        Some(Digest::sha256(&config))
    );
}

#[test]
fn schema2_all_media_types_to_oci() {
    let Some(dir) = fixtures() else { return };
    let c = convert(
        &manifest(&dir, "schema2-all-media-types.json"),
        &ConvertOptions::new(Target::Oci),
    )
    .expect("converts");
    let mut expected = value(&read(&dir, "schema2-all-media-types-to-oci1.json"));
    // The fixture's config descriptor is that of a re-encoded config;
    // without re-encoding the source's descriptor is kept.
    let source = value(&read(&dir, "schema2-all-media-types.json"));
    expected["config"]["size"] = source["config"]["size"].clone();
    expected["config"]["digest"] = source["config"]["digest"].clone();
    assert_eq!(value(c.manifest.raw()), expected);
}

#[test]
fn oci_to_schema2() {
    let Some(dir) = fixtures() else { return };
    for (source, expected) in [
        ("oci1.json", "oci1-to-schema2.json"),
        (
            "oci1-all-media-types.json",
            "oci1-all-media-types-to-schema2.json",
        ),
    ] {
        let result = convert(
            &manifest(&dir, source),
            &ConvertOptions::new(Target::Schema2),
        );
        if source == "oci1-all-media-types.json" {
            // It has a zstd layer, which containers/image's test converts
            // by recompressing; tranship refuses.
            assert_eq!(result.expect_err(source).code(), "CONVERSION");
            continue;
        }
        let c = result.expect(source);
        assert_eq!(
            value(c.manifest.raw()),
            value(&read(&dir, expected)),
            "{source}"
        );
        assert!(c.report.lost.contains(&"config.annotations".to_string()));
        assert!(c.report.lost.contains(&"layers.annotations".to_string()));
    }
}

#[test]
fn refusals() {
    let Some(dir) = fixtures() else { return };
    for (name, target, code) in [
        ("oci1-artifact.json", Target::Schema2, "CONVERSION"),
        (
            "oci1-invalid-media-type.json",
            Target::Schema2,
            "UNSUPPORTED_MEDIA_TYPE",
        ),
        (
            "schema2-invalid-media-type.json",
            Target::Oci,
            "UNSUPPORTED_MEDIA_TYPE",
        ),
    ] {
        let err = convert(&manifest(&dir, name), &ConvertOptions::new(target)).expect_err(name);
        assert_eq!(err.code(), code, "{name}: {err}");
    }
}
