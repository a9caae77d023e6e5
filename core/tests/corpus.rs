//! The shared corpus, run in-process against the core crate.

#[path = "../../tests/support/corpus.rs"]
mod corpus;

use corpus::{Case, Outcome};
use serde_json::{json, Value};
use tranship::manifest::Manifest;
use tranship::{Algorithm, Digest, Error, Limits, Platform, Reference};

fn fail(e: Error) -> (String, String) {
    (e.code().to_string(), e.to_string())
}

fn to_value(v: impl serde::Serialize) -> Value {
    serde_json::to_value(v).expect("reports serialise")
}

fn limits(case: &Case) -> Limits {
    let mut l = Limits::default();
    let Some(given) = case.input.get("limits").and_then(Value::as_object) else {
        return l;
    };
    for (key, v) in given {
        let n = v.as_u64().expect("limits are numbers");
        match key.as_str() {
            "max_manifest_bytes" => l.max_manifest_bytes = n,
            "max_config_bytes" => l.max_config_bytes = n,
            "max_layers" => l.max_layers = n,
            "max_children" => l.max_children = n,
            "max_json_depth" => l.max_json_depth = n,
            other => panic!("unknown limit `{other}`"),
        }
    }
    l
}

fn manifest(case: &Case) -> Result<Manifest, Error> {
    let path = case.file("file").expect("input.file");
    let bytes = std::fs::read(&path).map_err(|e| Error::io(path.display().to_string(), e))?;
    Manifest::parse(&bytes, case.str("content_type"), &limits(case))
}

fn platform_arg(case: &Case, key: &str) -> Result<Platform, Error> {
    case.str(key).expect("platform input").parse()
}

fn run(case: &Case) -> Outcome {
    let out = match case.op.as_str() {
        "reference" => case
            .str("reference")
            .expect("input.reference")
            .parse::<Reference>()
            .map(|r| to_value(r.report())),
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
        other => panic!("{}: unknown op `{other}`", case.path.display()),
    };
    out.map_err(fail)
}

#[test]
fn shared_corpus() {
    corpus::run_all("rust", run);
}
