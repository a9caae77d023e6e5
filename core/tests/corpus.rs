//! The shared corpus, run in-process against the core crate.

#[path = "../../tests/support/corpus.rs"]
mod corpus;
#[path = "../../tests/support/image_view.rs"]
mod image_view;
#[path = "../../tests/support/schema1_view.rs"]
mod schema1_view;

use corpus::{Case, Outcome};
use serde_json::{json, Value};
use tranship::convert::negotiate::{NegotiateSettings, Negotiation};
use tranship::convert::sign::KeySource;
use tranship::convert::{convert, ConvertOptions, ConvertSettings};
use tranship::layer::{
    compress_file, decompress_file, diff_id_file, CompressOptions, CompressSettings, DiffIdOptions,
    LayerDigests,
};
use tranship::manifest::Manifest;
use tranship::{Address, Algorithm, Digest, Error, LimitSettings, Limits, Platform, Reference};

fn fail(e: Error) -> (String, String) {
    (e.code().to_string(), e.to_string())
}

fn to_value(v: impl serde::Serialize) -> Value {
    serde_json::to_value(v).expect("reports serialise")
}

fn limits(case: &Case) -> Result<Limits, Error> {
    let mut l = LimitSettings::default();
    if let Some(given) = case.input.get("limits").and_then(Value::as_object) {
        for (key, v) in given {
            let n = Some(v.as_i64().expect("limits are numbers"));
            match key.as_str() {
                "max_manifest_bytes" => l.max_manifest_bytes = n,
                "max_config_bytes" => l.max_config_bytes = n,
                "max_layers" => l.max_layers = n,
                "max_children" => l.max_children = n,
                "max_signatures" => l.max_signatures = n,
                "max_json_depth" => l.max_json_depth = n,
                other => panic!("unknown limit `{other}`"),
            }
        }
    }
    Limits::from_settings(&l)
}

fn manifest(case: &Case) -> Result<Manifest, Error> {
    let limits = limits(case)?;
    let path = case.file("file").expect("input.file");
    let bytes = std::fs::read(&path).map_err(|e| Error::io(path.display().to_string(), e))?;
    Manifest::parse(&bytes, case.str("content_type"), &limits)
}

fn platform_arg(case: &Case, key: &str) -> Result<Platform, Error> {
    case.str(key).expect("platform input").parse()
}

/// An object of `key -> value` pairs in the case's input.
fn pairs(case: &Case, key: &str) -> Vec<(String, Value)> {
    let entries = case.input.get(key).and_then(Value::as_object);
    entries
        .into_iter()
        .flatten()
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect()
}

fn convert_case(case: &Case) -> Result<Value, Error> {
    let m = manifest(case)?;
    let config = match case.file("config") {
        Some(path) => Some(read(&path)?),
        None => None,
    };
    let settings = ConvertSettings {
        to: case.str("to").expect("input.to").to_string(),
        config,
        blobs: case.file("blobs"),
        diff_ids: pairs(case, "diff_ids")
            .into_iter()
            .map(|(k, v)| (k, v.as_str().expect("diff_id").to_string()))
            .collect(),
        layer_sizes: pairs(case, "layer_sizes")
            .into_iter()
            .map(|(k, v)| (k, v.as_i64().expect("size")))
            .collect(),
        reencode_config: case.input["reencode_config"] == json!(true),
        name: case.str("name").map(Into::into),
        tag: case.str("tag").map(Into::into),
        unsigned: case.input.get("unsigned").and_then(Value::as_bool) == Some(true),
        signing_key: case.file("signing_key").map(KeySource::File),
        limits: LimitSettings::default(),
    };
    let opts = ConvertOptions::from_settings(&settings)?;
    let c = convert(&m, &opts)?;
    let text = |b: &[u8]| String::from_utf8(b.to_vec()).expect("UTF-8 output");
    let result = json!({
        "manifest": text(c.manifest.raw()),
        "config": c.config.as_deref().map(text),
        "report": to_value(c.report),
    });
    let has_key = case.input.get("signing_key").is_some();
    Ok(schema1_view::convert(
        result.as_object().cloned().unwrap_or_default(),
        has_key,
    ))
}

fn diff_id_case(case: &Case) -> Result<Value, Error> {
    let l = diff_id_file(
        case.file("file").expect("input.file"),
        &DiffIdOptions::default(),
    )?;
    Ok(layer_view(&l))
}

/// `compress` and `decompress` cases: the layer written into a scratch
/// folder, its digests reported as `diff_id` cases report them.
fn codec_case(case: &Case) -> Result<Value, Error> {
    let scratch = image_view::Scratch::new("rust");
    std::fs::create_dir_all(&scratch.0).map_err(|e| Error::io("scratch", e))?;
    let input = case.file("file").expect("input.file");
    let output = scratch.0.join("out");
    let l = if case.op == "compress" {
        let opts = CompressOptions::from_settings(&CompressSettings {
            format: case.str("format").map(String::from),
            level: case.input.get("level").and_then(Value::as_i64),
            threads: case.input.get("threads").and_then(Value::as_u64),
            ..CompressSettings::default()
        })?;
        compress_file(input, &output, &opts)?
    } else {
        decompress_file(input, &output, &DiffIdOptions::default())?
    };
    Ok(layer_view(&l))
}

fn layer_view(l: &LayerDigests) -> Value {
    json!({
        "diff_id": l.diff_id.to_string(),
        "digest": l.compressed.to_string(),
        "compression": l.compression.as_str(),
        "size": l.compressed_size,
        "uncompressed_size": l.uncompressed_size,
    })
}

fn run(case: &Case) -> Outcome {
    let out = match case.op.as_str() {
        "reference" => case
            .str("reference")
            .expect("input.reference")
            .parse::<Reference>()
            .map(|r| to_value(r.report())),
        "address" => case
            .str("address")
            .expect("input.address")
            .parse::<Address>()
            .map(|a| to_value(a.report())),
        "digest_parse" => case
            .str("digest")
            .expect("input.digest")
            .parse::<Digest>()
            .map(|d| json!({"algorithm": d.algorithm().as_str(), "hex": d.hex()})),
        "digest" => manifest(case).and_then(|m| {
            let alg: Algorithm = case.str("algorithm").unwrap_or("sha256").parse()?;
            Ok(json!({"digest": m.digest_with(alg).to_string()}))
        }),
        "manifest" => manifest(case).map(|m| to_value(m.report())),
        "manifest_verify" => manifest(case)
            .and_then(|m| m.verify_signatures())
            .map(|s| json!({"signatures": to_value(s)})),
        "platform" => platform_arg(case, "platform").map(|p| to_value(p.report())),
        "platform_match" => platform_arg(case, "want").and_then(|want| {
            let have = platform_arg(case, "have")?;
            Ok(json!({"matches": want.matches(&have)}))
        }),
        "platform_select" => manifest(case).and_then(|m| {
            let want = platform_arg(case, "platform")?;
            let (i, d) = m.select_platform(&want)?;
            Ok(json!({
                "index": i,
                "digest": d.digest.to_string(),
                "platform": d.platform.as_ref().map(ToString::to_string),
            }))
        }),
        "convert" => convert_case(case),
        "diff_id" => diff_id_case(case),
        "compress" | "decompress" => codec_case(case),
        "negotiate" => negotiate_case(case),
        "copy" => copy_case(case),
        "check" => check_case(case),
        other => panic!("{}: unknown op `{other}`", case.path.display()),
    };
    out.map_err(fail)
}

fn read(path: &std::path::Path) -> Result<Vec<u8>, Error> {
    std::fs::read(path).map_err(|e| Error::io(path.display().to_string(), e))
}

/// `negotiate` cases: the stored `file`, a `config` and a `blobs` store.
fn negotiate_case(case: &Case) -> Result<Value, Error> {
    let stored = manifest(case)?;
    let mut contents = Vec::new();
    if let Some(path) = case.file("config") {
        contents.push(read(&path)?);
    }
    if let Some(dir) = case.file("blobs") {
        for entry in std::fs::read_dir(dir.join("blobs/sha256")).expect("blob store") {
            contents.push(read(&entry.expect("blob").path())?);
        }
    }
    let settings = NegotiateSettings {
        accept: image_view::strings(case, "accept"),
        by_digest: case.input["by_digest"].as_bool().unwrap_or(false),
        name: case.str("name").unwrap_or_default().into(),
        tag: case.str("tag").unwrap_or_default().into(),
        contents,
        unsigned: case.input.get("unsigned").and_then(Value::as_bool) == Some(true),
        signing_key: case.file("signing_key").map(KeySource::File),
    };
    let served = Negotiation::from_settings(settings)?.serve(&stored)?;
    let result = to_value(&served).as_object().cloned().unwrap_or_default();
    let has_key = case.input.get("signing_key").is_some();
    Ok(schema1_view::negotiate(result, &served.bytes, has_key))
}

/// Runs `work` on a runtime of its own.
fn block_on<T>(work: impl std::future::Future<Output = T>) -> T {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime")
        .block_on(work)
}

/// `copy` cases: the source layout copied into a fresh one.
fn copy_case(case: &Case) -> Result<Value, Error> {
    use tranship::copy::{copy, CopyRequest, CopySettings};
    let scratch = image_view::Scratch::new("rust");
    let settings = CopySettings {
        platforms: image_view::strings(case, "platforms"),
        all: image_view::flag(case, "all"),
        format: case.str("format").map(String::from),
        strip_missing: image_view::flag(case, "strip_missing"),
        preserve_digests: image_view::flag(case, "preserve_digests"),
        referrers: image_view::optional_flag(case, "referrers"),
        compress_format: case.str("compress_format").map(String::from),
        compress_level: case.input.get("compress_level").and_then(Value::as_i64),
        ..CopySettings::default()
    };
    let request =
        CopyRequest::from_settings(&image_view::source(case), &scratch.destination(), &settings)?;
    let client = tranship::registry::Client::new(Default::default());
    let summary = block_on(copy(&request, &client))?;
    Ok(image_view::copy_summary(&to_value(summary)))
}

/// `check` cases: a layout checked.
fn check_case(case: &Case) -> Result<Value, Error> {
    use tranship::check::{check, CheckRequest, CheckSettings};
    let request =
        CheckRequest::from_settings(&image_view::checked(case), &CheckSettings::default())?;
    let client = tranship::registry::Client::new(Default::default());
    let report = block_on(check(&request, &client))?;
    Ok(image_view::check_report(to_value(report)))
}

#[test]
fn shared_corpus() {
    corpus::run_all("rust", run);
}
