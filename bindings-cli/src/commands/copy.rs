//! `tranship copy SOURCE... DESTINATION`

use std::collections::HashMap;
use std::io::IsTerminal;
use std::sync::{Arc, Mutex};

use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};
use serde_json::json;
use tranship::copy::{copy_all, CopyRequest, CopySettings, CopySummary};
use tranship::layer::CompressSettings;
use tranship::progress::{Phase, Progress, ProgressEvent};
use tranship::transport::Address;
use tranship::Result;

use crate::cli::CopyArgs;
use crate::output::{rows, Output};
use crate::remote::block_on;

/// Exit status of a copy stopped by SIGINT or SIGTERM.
const INTERRUPTED: i32 = 130;

/// Copies an image; progress bars on a terminal, newline-delimited JSON
/// events with `--json`, the summary last. SIGINT and SIGTERM stop it
/// with nothing named at the destination.
pub fn run(args: &CopyArgs, out: Output) -> Result<()> {
    let compress = match &args.compress {
        Some(spec) => CompressSettings::parse(spec)?,
        None => CompressSettings {
            format: args.dest_compress_format.clone(),
            level: args.dest_compress_level,
            ..CompressSettings::default()
        },
    };
    let settings = CopySettings {
        platforms: args.platform.clone(),
        all: args.all,
        format: args.format.clone(),
        jobs: Some(args.jobs),
        additional_tags: args.additional_tag.clone(),
        legacy: args.legacy,
        signing_key: args.signing.signing_key.clone(),
        unsigned: args.signing.unsigned,
        strip_missing: args.strip_missing,
        preserve_digests: args.preserve_digests,
        referrers: args.no_referrers.then_some(false),
        compress_format: compress.format,
        compress_level: compress.level,
    };
    let mut request = CopyRequest::for_sources(&args.sources, &args.destination, &settings)?;
    let registries: Vec<&str> = request
        .sources()
        .chain([&request.destination])
        .filter_map(|a| match a {
            Address::Registry(r) => Some(r.registry()),
            _ => None,
        })
        .collect();
    let client = args.registry.client_for(&registries)?;
    let bars = (!args.quiet && !out.json && std::io::stderr().is_terminal()).then(Bars::new);
    request.options.progress = match (&bars, out.json && !args.quiet) {
        (Some(bars), _) => Some(Arc::new(bars.clone()) as Arc<dyn Progress>),
        (None, true) => Some(Arc::new(json_event) as Arc<dyn Progress>),
        (None, false) => None,
    };
    let finished = block_on(async {
        tokio::select! {
            done = copy_all(&request, &client) => done.map(Some),
            () = interrupted() => Ok(None),
        }
    });
    if let Some(bars) = &bars {
        bars.clear();
    }
    let Some(summaries) = finished? else {
        eprintln!("error[INTERRUPTED]: the copy was stopped; nothing was named at the destination");
        std::process::exit(INTERRUPTED);
    };
    for summary in &summaries {
        if !out.json {
            for warning in &summary.warnings {
                eprintln!("warning: {warning}");
            }
        }
        if !args.quiet || out.json {
            out.emit("copy", summary, || text(summary));
        }
    }
    Ok(())
}

/// Resolves when SIGINT or SIGTERM arrives.
async fn interrupted() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = term.recv() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}

/// One JSON line per blob event, on standard output.
fn json_event(event: &ProgressEvent) {
    let line = json!({
        "kind": "progress",
        "direction": event.direction.as_str(),
        "digest": event.digest.to_string(),
        "phase": event.phase.as_str(),
        "done": event.done,
        "total": event.total,
    });
    println!("{line}");
}

/// Digests, comma-separated.
fn join(digests: &[tranship::Digest]) -> String {
    digests
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

fn text(s: &CopySummary) -> String {
    let mut lines = vec![
        ("Copied", format!("{} -> {}", s.source, s.destination)),
        ("Digest", s.destination_digest.to_string()),
        ("Media type", s.media_type.clone()),
    ];
    if s.destination_digest != s.source_digest {
        lines.push(("Source digest", s.source_digest.to_string()));
    }
    if !s.platforms.is_empty() {
        lines.push((
            "Platforms",
            format!("{} ({})", s.platforms.join(", "), s.platform_reason),
        ));
    }
    if !s.sparse.is_empty() {
        lines.push((
            "Sparse",
            format!(
                "the index is kept; {} of its children not copied: {}",
                s.sparse.len(),
                join(&s.sparse)
            ),
        ));
    }
    if !s.stripped.is_empty() {
        lines.push((
            "Stripped",
            format!(
                "{} children not copied, dropped from the index ({} -> {}): {}",
                s.stripped.len(),
                s.source_digest,
                s.destination_digest,
                join(&s.stripped)
            ),
        ));
    }
    let count = |outcome: &str| s.blobs.iter().filter(|b| b.outcome == outcome).count();
    lines.push((
        "Blobs",
        format!(
            "{} copied ({} bytes), {} already there, {} mounted",
            count("copied"),
            s.bytes_copied,
            count("existed"),
            count("mounted")
        ),
    ));
    if !s.referrers.is_empty() {
        let tags = s.referrers.iter().filter(|r| r.tag.is_some()).count();
        lines.push((
            "Referrers",
            format!(
                "{} copied ({} by subject, {tags} by cosign tag)",
                s.referrers.len(),
                s.referrers.len() - tags
            ),
        ));
    }
    let mut text = rows(&lines);
    for r in &s.referrers {
        let what = r.artifact_type.as_deref().unwrap_or("no artifact type");
        let found = r
            .tag
            .as_deref()
            .map_or(String::new(), |t| format!(", tag {t}"));
        text.push_str(&format!(
            "  {} ({what}{found}) -> {}\n",
            r.digest, r.subject
        ));
    }
    for r in &s.recompressed {
        text.push_str(&format!(
            "Recompressed to {}: {} -> {} ({} -> {} bytes, diff_id {})\n",
            r.compression, r.source, r.digest, r.source_size, r.size, r.diff_id
        ));
    }
    for c in &s.conversions {
        text.push_str(&format!(
            "Converted {} -> {}: {} -> {}\n",
            c.source_format, c.result_format, c.source_digest, c.result_digest
        ));
        if let (Some(old), Some(new)) = (&c.source_config_digest, &c.result_config_digest) {
            if old != new {
                text.push_str(&format!("  config {old} -> {new}\n"));
            }
        }
        if !c.lost.is_empty() {
            text.push_str(&format!("  lost: {}\n", c.lost.join(", ")));
        }
    }
    text
}

/// One bar per blob in flight plus a total, on standard error.
#[derive(Clone)]
struct Bars {
    multi: MultiProgress,
    total: ProgressBar,
    blobs: Arc<Mutex<HashMap<String, ProgressBar>>>,
}

impl Bars {
    fn new() -> Bars {
        let multi = MultiProgress::with_draw_target(ProgressDrawTarget::stderr());
        let total = multi.add(ProgressBar::new(0));
        if let Ok(style) = ProgressStyle::with_template("{spinner} blobs {pos}/{len} {msg}") {
            total.set_style(style);
        }
        Bars {
            multi,
            total,
            blobs: Arc::default(),
        }
    }

    fn clear(&self) {
        self.total.finish_and_clear();
        let _ = self.multi.clear();
    }
}

impl Progress for Bars {
    fn on_event(&self, event: &ProgressEvent) {
        let Ok(mut blobs) = self.blobs.lock() else {
            return;
        };
        let key = event.digest.to_string();
        match event.phase {
            Phase::Started | Phase::Transferring | Phase::Resumed => {
                if !blobs.contains_key(&key) {
                    self.total.inc_length(1);
                }
                let bar = blobs.entry(key.clone()).or_insert_with(|| {
                    let bar = self.multi.add(ProgressBar::new(event.total.unwrap_or(0)));
                    let template = "  {msg} [{bar:30}] {bytes}/{total_bytes} {bytes_per_sec}";
                    if let Ok(style) = ProgressStyle::with_template(template) {
                        bar.set_style(style.progress_chars("=> "));
                    }
                    bar.set_message(key.chars().take(19).collect::<String>());
                    bar
                });
                if let Some(total) = event.total {
                    bar.set_length(total);
                }
                bar.set_position(event.done);
            }
            Phase::Finished | Phase::Exists | Phase::Mounted => {
                if let Some(bar) = blobs.remove(&key) {
                    bar.finish_and_clear();
                    self.multi.remove(&bar);
                } else {
                    self.total.inc_length(1);
                }
                self.total.inc(1);
            }
        }
    }
}
