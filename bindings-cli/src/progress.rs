//! A progress bar for blob downloads, drawn on standard error only when
//! it is a terminal (indicatif).

use std::io::IsTerminal;
use std::sync::Arc;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use tranship::progress::{Phase, Progress, ProgressEvent};

/// A bar for one blob of `total` bytes (when known), or `None` when
/// standard error is not a terminal.
pub fn blob_bar(total: Option<u64>) -> Option<ProgressBar> {
    if !std::io::stderr().is_terminal() {
        return None;
    }
    let bar = ProgressBar::with_draw_target(total, ProgressDrawTarget::stderr());
    let template = if total.is_some() {
        "{spinner} {msg} [{bar:30}] {bytes}/{total_bytes} {bytes_per_sec} {eta}"
    } else {
        "{spinner} {msg} {bytes} {bytes_per_sec}"
    };
    if let Ok(style) = ProgressStyle::with_template(template) {
        bar.set_style(style.progress_chars("=> "));
    }
    Some(bar)
}

/// A progress sink that moves `bar`.
pub fn sink(bar: &ProgressBar) -> Arc<dyn Progress> {
    let bar = bar.clone();
    Arc::new(move |event: &ProgressEvent| match event.phase {
        Phase::Started => bar.set_message(short(&event.digest.to_string())),
        Phase::Transferring | Phase::Resumed => bar.set_position(event.done),
        Phase::Finished | Phase::Exists | Phase::Mounted => bar.finish_and_clear(),
    })
}

/// `sha256:0123456789ab`: enough of a digest to tell it apart.
fn short(digest: &str) -> String {
    digest.chars().take(19).collect()
}
