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

/// The command line for one case: `--json`, the subcommand and its
/// flags, then `--` and the positional values (which may start with `-`).
fn args(case: &Case) -> Vec<String> {
    let s = |key: &str| case.str(key).expect("input field").to_string();
    let (command, mut flags, positional): (&[&str], Vec<String>, Vec<String>) =
        match case.op.as_str() {
            "reference" => (&["ref"], vec![], vec![s("reference")]),
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
