//! The shared corpus, run through the `tranship` command line: each case
//! becomes one invocation with `--json`, and its output is compared.

#[path = "../../tests/support/corpus.rs"]
mod corpus;
#[path = "../../tests/support/image_view.rs"]
mod image_view;
#[path = "../../tests/support/schema1_view.rs"]
mod schema1_view;

use std::process::Command;

use corpus::{Case, Outcome};
use serde_json::Value;

fn path_arg(case: &Case, key: &str) -> String {
    let p = case.file(key).expect("input file");
    p.display().to_string()
}

fn limit_flags(case: &Case) -> Vec<String> {
    let mut flags = Vec::new();
    if let Some(limits) = case.input.get("limits").and_then(Value::as_object) {
        for (key, v) in limits {
            flags.push(format!("--{}", key.replace('_', "-")));
            flags.push(v.to_string());
        }
    }
    flags
}

/// A fresh copy of the case's blob store, so the config the CLI writes
/// lands outside the corpus.
fn blob_store_copy(case: &Case) -> Option<String> {
    let from = case.file("blobs")?;
    let to = blob_copy_dir(case)?;
    let _ = std::fs::remove_dir_all(&to);
    let mut stack = vec![(from, to.clone())];
    while let Some((src, dst)) = stack.pop() {
        std::fs::create_dir_all(&dst).expect("create blob copy");
        for entry in std::fs::read_dir(&src).expect("read blobs") {
            let entry = entry.expect("blob entry");
            let target = dst.join(entry.file_name());
            if entry.path().is_dir() {
                stack.push((entry.path(), target));
            } else {
                std::fs::copy(entry.path(), target).expect("copy blob");
            }
        }
    }
    Some(to.display().to_string())
}

/// Where [`blob_store_copy`] puts the copy for `case`.
fn blob_copy_dir(case: &Case) -> Option<std::path::PathBuf> {
    case.file("blobs")?;
    let name = case.path.file_stem()?.to_string_lossy().into_owned();
    let dir = format!("tranship-cli-corpus-{}-{name}", std::process::id());
    Some(std::env::temp_dir().join(dir))
}

fn convert_flags(case: &Case) -> Vec<String> {
    let mut flags = vec![
        "--to".to_string(),
        case.str("to").expect("input.to").into(),
        "--file".into(),
        path_arg(case, "file"),
    ];
    if case.str("config").is_some() {
        flags.extend(["--config".into(), path_arg(case, "config")]);
    }
    if let Some(dir) = blob_store_copy(case) {
        flags.extend(["--blobs".into(), dir]);
    }
    if case.input["reencode_config"] == Value::Bool(true) {
        flags.push("--reencode-config".into());
    }
    for (key, flag) in [("diff_ids", "--diff-id"), ("layer_sizes", "--layer-size")] {
        for (blob, v) in case
            .input
            .get(key)
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
        {
            let v = v.as_str().map_or_else(|| v.to_string(), str::to_string);
            flags.extend([flag.to_string(), format!("{blob}={v}")]);
        }
    }
    for key in ["name", "tag"] {
        if let Some(v) = case.str(key) {
            flags.push(format!("--{key}={v}"));
        }
    }
    flags.extend(signing_flags(case));
    flags
}

/// The command line for one case: `--json`, the subcommand and its
/// flags, then `--` and the positional values (which may start with `-`).
fn args(case: &Case, scratch: &image_view::Scratch) -> Vec<String> {
    let s = |key: &str| case.str(key).expect("input field").to_string();
    let (command, mut flags, positional): (&[&str], Vec<String>, Vec<String>) =
        match case.op.as_str() {
            "reference" => (&["ref"], vec![], vec![s("reference")]),
            "address" => (&["address"], vec![], vec![s("address")]),
            "digest_parse" => (
                &["digest"],
                vec![format!("--parse={}", s("digest"))],
                vec![],
            ),
            "digest" => {
                let mut flags = vec!["--file".into(), path_arg(case, "file")];
                if let Some(alg) = case.str("algorithm") {
                    flags.extend(["--algorithm".into(), alg.into()]);
                }
                (&["digest"], flags, vec![])
            }
            "manifest" => (
                &["manifest", "inspect"],
                vec!["--file".into(), path_arg(case, "file")],
                vec![],
            ),
            "manifest_verify" => (
                &["manifest", "verify"],
                vec!["--file".into(), path_arg(case, "file")],
                vec![],
            ),
            "platform" => (&["platform", "parse"], vec![], vec![s("platform")]),
            "platform_match" => (&["platform", "match"], vec![], vec![s("want"), s("have")]),
            "platform_select" => (
                &["platform", "select"],
                vec!["--file".into(), path_arg(case, "file")],
                vec![s("platform")],
            ),
            "convert" => (&["convert"], convert_flags(case), vec![]),
            "diff_id" => (&["layer", "diff-id"], vec![], vec![path_arg(case, "file")]),
            "compress" => (
                &["layer", "compress"],
                compress_flags(case, scratch),
                vec![path_arg(case, "file")],
            ),
            "decompress" => (
                &["layer", "decompress"],
                vec!["-o".into(), scratch.0.join("out").display().to_string()],
                vec![path_arg(case, "file")],
            ),
            "negotiate" => (&["negotiate"], negotiate_flags(case), vec![]),
            "copy" => (
                &["copy"],
                copy_flags(case),
                vec![image_view::source(case), scratch.destination()],
            ),
            "check" => (&["check"], vec![], vec![image_view::checked(case)]),
            other => panic!("{}: unknown op `{other}`", case.path.display()),
        };
    if matches!(case.op.as_str(), "digest" | "manifest" | "manifest_verify") {
        if let Some(ct) = case.str("content_type") {
            flags.push(format!("--content-type={ct}"));
        }
        flags.extend(limit_flags(case));
    }
    let mut args = vec!["--json".to_string()];
    args.extend(command.iter().map(|c| c.to_string()));
    args.extend(flags);
    args.push("--".into());
    args.extend(positional);
    args
}

/// `copy` cases: quiet, with the platforms and choices the case gives.
/// `layer compress` into the scratch folder, with the case's format,
/// level and threads.
fn compress_flags(case: &Case, scratch: &image_view::Scratch) -> Vec<String> {
    let mut flags = vec!["-o".into(), scratch.0.join("out").display().to_string()];
    if let Some(format) = case.str("format") {
        flags.push(format!("--format={format}"));
    }
    for key in ["level", "threads"] {
        if let Some(n) = case.input.get(key) {
            flags.push(format!("--{key}={n}"));
        }
    }
    flags
}

fn copy_flags(case: &Case) -> Vec<String> {
    let mut flags = vec!["-q".to_string()];
    if let Some(format) = case.str("compress_format") {
        flags.push(format!("--dest-compress-format={format}"));
    }
    if let Some(level) = case.input.get("compress_level") {
        flags.push(format!("--dest-compress-level={level}"));
    }
    for platform in image_view::strings(case, "platforms") {
        flags.push(format!("--platform={platform}"));
    }
    if let Some(format) = case.str("format") {
        flags.push(format!("--format={format}"));
    }
    for (key, flag) in [
        ("all", "--all"),
        ("strip_missing", "--strip-missing"),
        ("preserve_digests", "--preserve-digests"),
    ] {
        if image_view::flag(case, key) {
            flags.push(flag.into());
        }
    }
    if image_view::optional_flag(case, "referrers") == Some(false) {
        flags.push("--no-referrers".into());
    }
    flags
}

/// `--unsigned` or `--signing-key FILE` as the case asks.
fn signing_flags(case: &Case) -> Vec<String> {
    let mut flags = Vec::new();
    if case.input.get("unsigned").and_then(Value::as_bool) == Some(true) {
        flags.push("--unsigned".into());
    }
    if let Some(key) = case.file("signing_key") {
        flags.extend(["--signing-key".into(), key.display().to_string()]);
    }
    flags
}

/// `negotiate` cases: one `--accept` per header value.
fn negotiate_flags(case: &Case) -> Vec<String> {
    let mut flags = vec!["--file".into(), path_arg(case, "file")];
    for value in case.input["accept"].as_array().into_iter().flatten() {
        flags.push(format!(
            "--accept={}",
            value.as_str().expect("accept strings")
        ));
    }
    if case.input["by_digest"].as_bool() == Some(true) {
        flags.push("--by-digest".into());
    }
    for key in ["config", "blobs"] {
        if case.file(key).is_some() {
            flags.extend([format!("--{key}"), path_arg(case, key)]);
        }
    }
    for key in ["name", "tag"] {
        flags.push(format!("--{key}={}", case.str(key).expect("name and tag")));
    }
    flags.extend(signing_flags(case));
    flags
}

/// Signed schema1 results are compared by payload and verification.
fn schema1_view(case: &Case, value: Value) -> Value {
    let has_key = case.input.get("signing_key").is_some();
    let Value::Object(mut map) = value else {
        return value;
    };
    match case.op.as_str() {
        "convert" => schema1_view::convert(map, has_key),
        "negotiate" => {
            map.remove("size");
            let body = map.remove("body");
            let body = body.as_ref().and_then(Value::as_str).unwrap_or_default();
            schema1_view::negotiate(map, body.as_bytes(), has_key)
        }
        _ => Value::Object(map),
    }
}

fn run(case: &Case) -> Outcome {
    let scratch = image_view::Scratch::new("cli");
    if matches!(case.op.as_str(), "compress" | "decompress") {
        std::fs::create_dir_all(&scratch.0).expect("scratch folder");
    }
    let out = Command::new(env!("CARGO_BIN_EXE_tranship"))
        .args(args(case, &scratch))
        .output()
        .expect("run tranship");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let mut value: Value = serde_json::from_str(stdout.trim()).unwrap_or_else(|e| {
        panic!(
            "{}: output is not JSON ({e}): {stdout}",
            case.path.display()
        )
    });
    let kind = value["kind"].as_str().unwrap_or_default().to_string();
    if let Value::Object(map) = &mut value {
        map.remove("kind");
    }
    if let Some(dir) = blob_copy_dir(case) {
        let _ = std::fs::remove_dir_all(dir);
    }
    match (out.status.code(), kind.as_str()) {
        // `layer diff-id` lists one object per file; the case has one.
        (Some(0), "layer_compress" | "layer_decompress") => {
            if let Value::Object(map) = &mut value {
                map.remove("file");
            }
            Ok(value)
        }
        (Some(0), "layer_diff_id") => {
            let mut layer = value["layers"][0].take();
            if let Value::Object(map) = &mut layer {
                map.remove("file");
            }
            Ok(layer)
        }
        (Some(0), "copy") => Ok(image_view::copy_summary(&value)),
        // An incomplete image is reported, with exit status 1.
        (Some(0 | 1), "check") => Ok(image_view::check_report(value)),
        (Some(0), _) => Ok(schema1_view(case, value)),
        (Some(1), "error") => Err((
            value["code"].as_str().unwrap_or_default().to_string(),
            value["message"].as_str().unwrap_or_default().to_string(),
        )),
        (status, _) => panic!("{}: exit status {status:?}: {stdout}", case.path.display()),
    }
}

#[test]
fn shared_corpus() {
    corpus::run_all("cli", run);
}
