//! Which manifests a copy writes: a single image, a child picked from an
//! index by platform, or an index with the children chosen.

use super::CopyOptions;
use crate::digest::Digest;
use crate::error::{Error, Result};
use crate::manifest::Manifest;
use crate::platform::Platform;

/// What will be copied.
pub(super) enum Plan {
    /// One image: the root itself (`manifest: None`) or one child of it.
    Image {
        manifest: Option<Digest>,
        platform: Option<String>,
        reason: String,
    },
    /// The index with these children; `left` are the children it names
    /// that are not copied (kept in the index, which is then sparse at
    /// the destination, unless `strip_missing` drops them).
    Index {
        children: Vec<Digest>,
        platforms: Vec<String>,
        left: Vec<Digest>,
        reason: String,
    },
}

impl Plan {
    /// The platforms chosen and why, for the summary.
    pub(super) fn describe(&self) -> (Vec<String>, String) {
        match self {
            Plan::Image {
                platform, reason, ..
            } => (platform.iter().cloned().collect(), reason.clone()),
            Plan::Index {
                platforms, reason, ..
            } => (platforms.clone(), reason.clone()),
        }
    }
}

/// Chooses what to copy of `root`.
pub(super) fn plan(root: &Manifest, holds_indexes: bool, options: &CopyOptions) -> Result<Plan> {
    let Some(index) = root.as_index() else {
        return Ok(Plan::Image {
            manifest: None,
            platform: None,
            reason: "a single image".into(),
        });
    };
    let text = |p: &Option<Platform>| p.as_ref().map_or("unknown".into(), Platform::to_string);
    if options.all || (options.platforms.is_empty() && holds_indexes) {
        if !holds_indexes {
            return Err(Error::Conversion(
                "the destination holds single images, not an index: give one --platform".into(),
            ));
        }
        return Ok(Plan::Index {
            children: index.manifests.iter().map(|d| d.digest.clone()).collect(),
            platforms: index.manifests.iter().map(|d| text(&d.platform)).collect(),
            left: Vec::new(),
            reason: if options.all {
                "every platform (--all)".into()
            } else {
                "the whole index: the destination holds indexes".into()
            },
        });
    }
    let (wanted, reason) = if options.platforms.is_empty() {
        let host = Platform::host();
        let reason = format!("the host platform {host}: the destination holds single images");
        (vec![host], reason)
    } else {
        (
            options.platforms.clone(),
            "the platforms asked for".to_string(),
        )
    };
    let mut chosen: Vec<(Digest, String)> = Vec::new();
    for want in &wanted {
        let (_, entry) = root.select_platform(want)?;
        if !chosen.iter().any(|(d, _)| d == &entry.digest) {
            chosen.push((entry.digest.clone(), text(&entry.platform)));
        }
    }
    // In the index's order, whatever the order asked in.
    chosen.sort_by_key(|(d, _)| index.manifests.iter().position(|e| &e.digest == d));
    if holds_indexes {
        let left = index
            .manifests
            .iter()
            .map(|d| d.digest.clone())
            .filter(|d| !chosen.iter().any(|(c, _)| c == d))
            .collect();
        let kept = if options.strip_missing {
            "the index is rewritten to name only them (strip-missing)"
        } else {
            "the index is kept as it is (same digest), so the children not copied are missing at the destination"
        };
        return Ok(Plan::Index {
            platforms: chosen.iter().map(|(_, p)| p.clone()).collect(),
            children: chosen.into_iter().map(|(d, _)| d).collect(),
            left,
            reason: format!("{reason}; {kept}"),
        });
    }
    match chosen.len() {
        1 => {
            let (digest, platform) = chosen.remove(0);
            Ok(Plan::Image {
                manifest: Some(digest),
                platform: Some(platform),
                reason,
            })
        }
        n => Err(Error::Conversion(format!(
            "the destination holds single images, but {n} platforms were asked for"
        ))),
    }
}
