//! `tranship manifest inspect|verify`

use std::path::Path;

use serde_json::{json, Value};
use tranship::manifest::Manifest;
use tranship::{LimitSettings, Limits, Result};

use crate::cli::{LimitArgs, ManifestCommand};
use crate::input::read_document;
use crate::output::{rows, Output};

impl LimitArgs {
    /// The flags given, as the core's limit settings.
    pub fn settings(&self) -> LimitSettings {
        LimitSettings {
            max_manifest_bytes: self.max_manifest_bytes,
            max_config_bytes: None,
            max_layers: self.max_layers,
            max_children: self.max_children,
            max_json_depth: self.max_json_depth,
            max_signatures: self.max_signatures,
        }
    }

    /// The core limits, defaults overridden by the flags given.
    pub fn limits(&self) -> Result<Limits> {
        Limits::from_settings(&self.settings())
    }
}

/// Reads and parses the manifest document at `path`.
pub fn load(path: &Path, content_type: Option<&str>, limits: &LimitArgs) -> Result<Manifest> {
    let limits = limits.limits()?;
    let bytes = read_document(path, limits.max_manifest_bytes)?;
    Manifest::parse(&bytes, content_type, &limits)
}

/// Runs one `manifest` subcommand.
pub fn run(cmd: ManifestCommand, out: Output) -> Result<()> {
    match cmd {
        ManifestCommand::Inspect(args) => {
            let m = load(&args.file, args.content_type.as_deref(), &args.limits)?;
            let report = serde_json::to_value(m.report()).unwrap_or(Value::Null);
            out.emit("manifest", &report, || describe(&report));
        }
        ManifestCommand::Get(args) => crate::commands::manifest_get::run(&args, out)?,
        ManifestCommand::Verify(args) => {
            let m = load(&args.file, args.content_type.as_deref(), &args.limits)?;
            let signers = m.verify_signatures()?;
            let report = json!({ "signatures": signers });
            out.emit("manifest_verify", &report, || {
                report["signatures"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .map(|s| format!("verified: {} key {}\n", text(&s["alg"]), text(&s["key_id"])))
                    .collect()
            });
        }
    }
    Ok(())
}

fn text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => "-".into(),
        other => other.to_string(),
    }
}

fn descriptor_line(d: &Value) -> String {
    let mut line = format!("  {}", text(&d["digest"]));
    if !d["size"].is_null() {
        line += &format!("  {} bytes", text(&d["size"]));
    }
    if let Some(p) = d.get("platform").filter(|p| !p.is_null()) {
        line += &format!("  {}", text(p));
    }
    if !d["media_type"].is_null() {
        line += &format!("  {}", text(&d["media_type"]));
    }
    line + "\n"
}

/// Renders an inspection report for people.
fn describe(r: &Value) -> String {
    describe_with(Vec::new(), r)
}

/// Renders an inspection report for people, `extra` rows first.
pub fn describe_with(extra: Vec<(&str, String)>, r: &Value) -> String {
    let mut head = extra;
    head.extend([
        ("Format", text(&r["format"])),
        ("Media type", text(&r["media_type"])),
        ("Detected from", text(&r["detected_from"])),
        ("Digest", text(&r["digest"])),
        ("Size", format!("{} bytes", text(&r["size"]))),
    ]);
    if let Some(s1) = r.get("schema1").filter(|v| !v.is_null()) {
        let name = format!("{}:{}", text(&s1["name"]), text(&s1["tag"]));
        head.push(("Name", name));
        head.push(("Architecture", text(&s1["architecture"])));
    }
    for key in ["artifact_type", "subject"] {
        if let Some(v) = r.get(key).filter(|v| !v.is_null()) {
            let label = if key == "subject" {
                "Subject"
            } else {
                "Artifact type"
            };
            let value = v.get("digest").map(text).unwrap_or_else(|| text(v));
            head.push((label, value));
        }
    }
    let mut s = rows(&head);
    if let Some(c) = r.get("config").filter(|v| !v.is_null()) {
        s += "Config:\n";
        s += &descriptor_line(c);
    }
    for (key, label) in [("layers", "Layers"), ("manifests", "Manifests")] {
        let items = r[key].as_array().map(Vec::as_slice).unwrap_or_default();
        if !items.is_empty() {
            s += &format!("{label} ({}):\n", items.len());
            items.iter().for_each(|d| s += &descriptor_line(d));
        }
    }
    let sigs = r["signatures"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default();
    if !sigs.is_empty() {
        s += "Signatures:\n";
        for sig in sigs {
            let ok = if sig["verified"] == json!(true) {
                "verified"
            } else {
                "NOT verified"
            };
            s += &format!("  {} {} {ok}\n", text(&sig["alg"]), text(&sig["key_id"]));
        }
    }
    s
}
