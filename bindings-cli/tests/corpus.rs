//! The shared corpus, run through the `tranship` command line: each case
//! becomes one invocation with `--json`, and its output is compared.

#[path = "../../tests/support/corpus.rs"]
mod corpus;

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

/// The command line for one case.
fn args(case: &Case) -> Vec<String> {
    let s = |key: &str| case.str(key).expect("input field").to_string();
    let mut args: Vec<String> = match case.op.as_str() {
        "reference" => vec!["ref".into(), s("reference")],
        "digest" => {
            let mut a = vec!["digest".into(), "--file".into(), path_arg(case, "file")];
            if let Some(alg) = case.str("algorithm") {
                a.extend(["--algorithm".into(), alg.into()]);
            }
            a
        }
        "manifest" | "manifest_verify" => {
            let sub = if case.op == "manifest" {
                "inspect"
            } else {
                "verify"
            };
            vec![
                "manifest".into(),
                sub.into(),
                "--file".into(),
                path_arg(case, "file"),
            ]
        }
        "platform" => vec!["platform".into(), "parse".into(), s("platform")],
        "platform_match" => vec!["platform".into(), "match".into(), s("want"), s("have")],
        "platform_select" => vec![
            "platform".into(),
            "select".into(),
            "--file".into(),
            path_arg(case, "file"),
            s("platform"),
        ],
        "digest_parse" => vec!["digest".into(), "--parse".into(), s("digest")],
        other => panic!("{}: unknown op `{other}`", case.path.display()),
    };
    if matches!(case.op.as_str(), "digest" | "manifest" | "manifest_verify") {
        if let Some(ct) = case.str("content_type") {
            args.extend(["--content-type".into(), ct.into()]);
        }
        args.extend(limit_flags(case));
    }
    args.push("--json".into());
    args
}

fn run(case: &Case) -> Outcome {
    let out = Command::new(env!("CARGO_BIN_EXE_tranship"))
        .args(args(case))
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
    match (out.status.code(), kind.as_str()) {
        (Some(0), _) => Ok(value),
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
