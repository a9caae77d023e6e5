//! Walks the shared corpus (`tests/corpus/<op>/<case>.json`) and checks each
//! case against a runner-supplied function. Included by the Rust and CLI
//! corpus runners with `#[path]`, so both read the cases the same way.

use std::path::{Path, PathBuf};

use serde_json::Value;

/// One case of the shared corpus.
pub struct Case {
    /// Path of the case file.
    pub path: PathBuf,
    /// The operation, e.g. `reference`.
    pub op: String,
    /// The `input` object.
    pub input: Value,
}

impl Case {
    /// A string field of the input.
    pub fn str(&self, key: &str) -> Option<&str> {
        self.input.get(key).and_then(Value::as_str)
    }

    /// Resolves a path given in the input relative to the case file.
    pub fn file(&self, key: &str) -> Option<PathBuf> {
        let rel = self.str(key)?;
        Some(self.path.parent()?.join(rel))
    }
}

/// What a runner produced for a case: the result object, or an error code
/// with its message.
pub type Outcome = Result<Value, (String, String)>;

/// The corpus folder, found from the crate's manifest directory.
pub fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/corpus")
        .canonicalize()
        .expect("tests/corpus exists")
}

fn case_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut ops: Vec<_> = std::fs::read_dir(dir)
        .expect("read corpus dir")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_dir())
        .collect();
    ops.sort();
    for op in ops {
        let mut cases: Vec<_> = std::fs::read_dir(&op)
            .expect("read op dir")
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "json"))
            .collect();
        cases.sort();
        out.extend(cases);
    }
    out
}

/// Runs every case through `run`, prints one line per failure and the
/// summary `RUNNER: N passed, M failed` (RUNNER one word), and returns the number passed. Panics
/// (failing the test) when any case fails or none ran.
pub fn run_all(runner: &str, run: impl Fn(&Case) -> Outcome) -> usize {
    let (mut passed, mut failed) = (0usize, 0usize);
    for path in case_files(&corpus_dir()) {
        let text = std::fs::read_to_string(&path).expect("read case");
        let doc: Value = serde_json::from_str(&text)
            .unwrap_or_else(|e| panic!("{}: not JSON: {e}", path.display()));
        let op = doc["op"].as_str().unwrap_or_default().to_string();
        let case = Case {
            path: path.clone(),
            op,
            input: doc["input"].clone(),
        };
        let verdict = match (run(&case), doc.get("expect"), doc.get("error")) {
            (Ok(got), Some(want), None) if &got == want => Ok(()),
            (Ok(got), Some(want), None) => Err(format!("expected {want}\n      got {got}")),
            (Err((code, _)), None, Some(want)) if want.as_str() == Some(code.as_str()) => Ok(()),
            (Err((code, msg)), Some(_), None) => Err(format!("unexpected error[{code}]: {msg}")),
            (Err((code, msg)), None, Some(want)) => {
                Err(format!("expected error {want}, got error[{code}]: {msg}"))
            }
            (Ok(got), None, Some(want)) => Err(format!("expected error {want}, got {got}")),
            _ => Err("a case needs exactly one of `expect` and `error`".into()),
        };
        match verdict {
            Ok(()) => passed += 1,
            Err(why) => {
                failed += 1;
                eprintln!("FAIL {} ({})\n      {why}", path.display(), case.op);
            }
        }
    }
    println!("{runner}: {passed} passed, {failed} failed");
    assert_eq!(failed, 0, "{failed} corpus case(s) failed");
    assert!(passed > 0, "the corpus is empty");
    passed
}
