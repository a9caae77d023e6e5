//! `tranship negotiate`: what a registry serves for a stored manifest.

use std::path::{Path, PathBuf};

use serde_json::{json, Value};
use tranship::convert::negotiate::{negotiate, ContentSource, Request, Served};
use tranship::{Digest, Error, Limits, Result};

use crate::cli::NegotiateArgs;
use crate::commands::convert::report_rows;
use crate::commands::manifest::load;
use crate::input::read_document;
use crate::output::{rows, write_file, Output};

/// Configs, child manifests and blobs from `--config` and `--blobs`.
struct FileSource {
    /// The `--config` file and its digest.
    config: Option<(Digest, Vec<u8>)>,
    /// The `--blobs` directory.
    blobs: Option<PathBuf>,
}

impl FileSource {
    /// Where a blob would be: `DIR/blobs/ALG/HEX` (an OCI layout) or
    /// `DIR/ALG/HEX`.
    fn path(&self, digest: &Digest) -> Option<PathBuf> {
        let dir = self.blobs.as_ref()?;
        let alg = digest.algorithm().as_str();
        [dir.join("blobs"), dir.clone()]
            .into_iter()
            .map(|base| base.join(alg).join(digest.hex()))
            .find(|p| p.is_file())
    }

    fn read(&self, digest: &Digest, max: u64) -> Result<Option<Vec<u8>>> {
        self.path(digest)
            .map(|p| read_document(&p, max))
            .transpose()
    }
}

impl ContentSource for FileSource {
    fn config(&self, digest: &Digest) -> Result<Option<Vec<u8>>> {
        match &self.config {
            Some((d, bytes)) if d == digest => Ok(Some(bytes.clone())),
            _ => self.read(digest, Limits::default().max_config_bytes),
        }
    }

    fn manifest(&self, digest: &Digest) -> Result<Option<Vec<u8>>> {
        self.read(digest, Limits::default().max_manifest_bytes)
    }

    fn has_blob(&self, digest: &Digest) -> Result<bool> {
        Ok(self.path(digest).is_some())
    }
}

/// Prints what the registry sends: the headers, and the body to `-o`.
pub fn run(args: &NegotiateArgs, out: Output) -> Result<()> {
    let stored = load(
        &args.file,
        args.content_type.as_deref(),
        &Default::default(),
    )?;
    let config = match &args.config {
        Some(path) => {
            let bytes = read_document(path, Limits::default().max_config_bytes)?;
            Some((Digest::sha256(&bytes), bytes))
        }
        None => None,
    };
    if let Some(dir) = &args.blobs {
        if !dir.is_dir() {
            return Err(Error::io(
                format!("reading blob store {}", dir.display()),
                std::io::Error::new(std::io::ErrorKind::NotFound, "not a directory"),
            ));
        }
    }
    let source = FileSource {
        config,
        blobs: args.blobs.clone(),
    };
    let request = Request {
        accept: args.accept.clone(),
        by_digest: args.by_digest,
        name: args.name.clone(),
        tag: args.tag.clone(),
    };
    let served = negotiate(&stored, &request, &source, &args.signing.signing()?)?;
    let to_stdout = args.output.as_deref() == Some(Path::new("-"));
    if let Some(path) = &args.output {
        write_file(path, &served.bytes)?;
    }
    if out.json {
        let mut value = serde_json::to_value(&served).unwrap_or(Value::Null);
        if let Value::Object(map) = &mut value {
            map.insert("size".into(), json!(served.bytes.len()));
            let body = String::from_utf8_lossy(&served.bytes).into_owned();
            map.insert("body".into(), Value::String(body));
        }
        out.emit("negotiate", &value, String::new);
    } else if to_stdout {
        eprint!("{}", headers(&served));
    } else {
        print!("{}", headers(&served));
    }
    Ok(())
}

/// The response headers and what happened, for people.
fn headers(s: &Served) -> String {
    let mut head = vec![
        ("Content-Type", s.content_type.to_string()),
        ("Content-Length", s.bytes.len().to_string()),
        ("Docker-Content-Digest", s.digest.to_string()),
        ("Etag", s.etag.clone()),
    ];
    if let Some(selected) = &s.selected {
        head.push(("Selected", format!("{selected} (linux/amd64 of the list)")));
    }
    if s.needs_empty_layer {
        head.push((
            "Needs empty layer",
            format!(
                "store {} (the empty gzip layer) first",
                tranship::layer::EMPTY_LAYER_DIGEST
            ),
        ));
    }
    if let Some(report) = &s.report {
        head.extend(report_rows(report));
    }
    rows(&head)
}
