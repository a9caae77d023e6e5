//! The image config of an upconverted schema1 image, byte for byte as
//! containers/image's `Schema1.ToSchema2Config` writes it (`docs/formats.md`,
//! "Schema 1 to schema 2"), so its digest is the image ID skopeo gives.

use serde_json::value::RawValue;

use super::gotyped::{members, GoStruct};
use super::schema1_history::Entry;
use super::v1_image::{version_less_than, V1Image};
use crate::digest::Digest;
use crate::error::{Error, Result};
use crate::json::go_sorted_map;

/// Keys of the top entry that a schema 2 config does not keep.
const DROPPED: &[&str] = &["id", "parent", "parent_id", "layer_id", "throwaway", "Size"];

/// The config text, and the config fields it had to drop (old images'
/// keys unknown to Docker's v1 image structure), as report phrases.
pub(crate) struct Schema2Config {
    pub(crate) text: String,
    pub(crate) lost: Vec<String>,
}

/// Builds the config from the history `entries` (top first, as
/// [`super::schema1_history::read`] returns them) and the diff_ids of the
/// non-throwaway layers, base first.
pub(crate) fn build(entries: &[Entry<'_>], diff_ids: &[Digest]) -> Result<Schema2Config> {
    let Some(top) = entries.first() else {
        return Err(Error::InvalidManifest("the image has no history".into()));
    };
    let invalid = |reason: Error| {
        let reason = reason.to_string();
        let reason = reason.strip_prefix("invalid JSON: ").unwrap_or(&reason);
        Error::InvalidManifest(format!("history[{}].v1Compatibility: {reason}", top.index))
    };
    let raw: &RawValue = serde_json::from_str(top.v1_compatibility)
        .map_err(|e| invalid(Error::InvalidJson(e.to_string())))?;
    let image = V1Image::decode(raw).map_err(invalid)?;
    let version = image.docker_version();
    // Images made before Docker 1.8.3 are re-encoded through the typed
    // structure, which adds the fields that lack `omitempty`.
    let old = !version.is_empty() && version_less_than(version, "1.8.3");
    let mut lost = Vec::new();
    let reencoded;
    let config: &str = if old {
        lost = V1Image::unknown_keys(raw)?
            .into_iter()
            .map(|k| format!("config.{k}"))
            .collect();
        reencoded = image.encode();
        &reencoded
    } else {
        top.v1_compatibility
    };
    let top_members = members(config, "").map_err(invalid)?;
    let history = history(entries);
    let rootfs = rootfs(diff_ids);
    let kept = top_members
        .0
        .iter()
        .filter(|(k, _)| !DROPPED.contains(&k.as_str()))
        .map(|(k, v)| (k.as_str(), v.get()));
    let text =
        go_sorted_map(kept.chain([("rootfs", rootfs.as_str()), ("history", history.as_str())]))
            .map_err(invalid)?;
    Ok(Schema2Config { text, lost })
}

/// `json.Marshal([]Schema2History)`: one item per entry, base first.
fn history(entries: &[Entry<'_>]) -> String {
    let items: Vec<String> = entries
        .iter()
        .rev()
        .map(|e| {
            let mut item = GoStruct::default();
            item.field("created", &e.created)
                .omitempty("author", &e.author)
                .omitempty("created_by", &e.created_by())
                .omitempty("comment", &e.comment)
                .omitempty("empty_layer", &e.throwaway);
            item.finish()
        })
        .collect();
    format!("[{}]", items.join(","))
}

/// `json.Marshal(Schema2RootFS)`; `diff_ids` is `omitempty`.
fn rootfs(diff_ids: &[Digest]) -> String {
    if diff_ids.is_empty() {
        return r#"{"type":"layers"}"#.to_string();
    }
    let ids: Vec<String> = diff_ids.iter().map(|d| format!("\"{d}\"")).collect();
    format!(r#"{{"type":"layers","diff_ids":[{}]}}"#, ids.join(","))
}
