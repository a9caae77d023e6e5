//! The `fsLayers` and `history` of a schema1 manifest built from an image
//! config's history, as distribution's `configManifestBuilder.Build`
//! builds them (`docs/formats.md`, "Schema 2 and OCI to schema 1").

use serde_json::value::RawValue;
use sha2::{Digest as _, Sha256, Sha384};

use super::config::{HistoryEntry, ImageConfig};
use crate::descriptor::Descriptor;
use crate::error::{Error, Result};
use crate::gotime::GO_ZERO_TIME;
use crate::json::go_decode::object_entries;
use crate::json::{go_sorted_map, write_go_string, GoObject};
use crate::layer::EMPTY_LAYER_DIGEST;

/// The two arrays of the result, top entry first.
#[derive(Debug)]
pub(super) struct Built {
    /// `fsLayers[i].blobSum`.
    pub blob_sums: Vec<String>,
    /// `history[i].v1Compatibility`.
    pub v1_compatibility: Vec<String>,
}

/// Pairs the history entries with the layers and writes each entry's
/// v1 JSON; `config` is the config's exact bytes.
pub(super) fn build(img: &ImageConfig, layers: &[Descriptor], config: &[u8]) -> Result<Built> {
    let (history, base_layer) = check(img, layers)?;
    let count = history.len();
    let mut blob_sums = Vec::with_capacity(count);
    let mut v1_compatibility = Vec::with_capacity(count);
    let mut layers = layers.iter();
    let mut parent = String::new();
    for (i, entry) in history.iter().enumerate() {
        // `check` made sure every non-empty entry has a layer.
        let layer = (!entry.empty_layer).then(|| layers.next()).flatten();
        let blob_sum = layer.map_or(EMPTY_LAYER_DIGEST.to_string(), |l| l.digest.to_string());
        let hex = blob_sum.split_once(':').map_or("", |(_, hex)| hex);
        if i + 1 == count {
            let mut hasher = Sha256::new();
            hasher.update(format!("{hex} {parent} "));
            hasher.update(config);
            let id = hex_of(&hasher.finalize());
            v1_compatibility.push(top_entry(config, &id, &parent, entry.empty_layer)?);
        } else {
            let id = hex_of(&Sha256::digest(format!("{hex} {parent}")));
            if i == 0 && !base_layer.is_empty() {
                // Windows: the base layer's parent stands for the OS image.
                parent = hex_of(&Sha384::digest(base_layer)[..32]);
            }
            v1_compatibility.push(entry_v1(entry, &id, &parent)?);
            parent = id;
        }
        blob_sums.push(blob_sum);
    }
    blob_sums.reverse();
    v1_compatibility.reverse();
    Ok(Built {
        blob_sums,
        v1_compatibility,
    })
}

/// The history entries and `rootfs.base_layer`, once the config is known
/// to describe exactly the manifest's layers.
fn check<'a>(img: &'a ImageConfig, layers: &[Descriptor]) -> Result<(&'a [HistoryEntry], &'a str)> {
    let refuse = |why: String| Err(Error::Conversion(why));
    let history = img.history.as_deref().unwrap_or_default();
    if history.is_empty() {
        return refuse(
            "the config has no `history`; schema1 needs one history entry per v1 layer".into(),
        );
    }
    let Some(rootfs) = &img.rootfs else {
        return refuse("the config has no `rootfs`; its diff_ids must list the layers".into());
    };
    let diff_ids = rootfs.diff_ids.as_ref().map_or(0, Vec::len);
    if diff_ids != layers.len() {
        return refuse(format!(
            "the config's rootfs.diff_ids lists {diff_ids} layers but the manifest has {}",
            layers.len()
        ));
    }
    let non_empty = history.iter().filter(|h| !h.empty_layer).count();
    if non_empty != layers.len() {
        let lost = if non_empty < layers.len() {
            "; distribution would silently drop the extra layers"
        } else {
            ""
        };
        return refuse(format!(
            "the config's history has {non_empty} entries that are not `empty_layer` but the manifest has {} layers; each layer needs exactly one{lost}",
            layers.len()
        ));
    }
    Ok((history, &rootfs.base_layer))
}

/// A non-top entry: distribution's `v1Compatibility` struct.
fn entry_v1(entry: &HistoryEntry, id: &str, parent: &str) -> Result<String> {
    let mut cmd = String::from("{\"Cmd\":[");
    write_go_string(&mut cmd, &entry.created_by);
    cmd.push_str("]}");
    let mut v1 = GoObject::new();
    v1.string("id", id);
    if !parent.is_empty() {
        v1.string("parent", parent);
    }
    if !entry.comment.is_empty() {
        v1.string("comment", &entry.comment);
    }
    v1.string("created", entry.created.as_deref().unwrap_or(GO_ZERO_TIME))
        .raw("container_config", &cmd)?;
    if !entry.author.is_empty() {
        v1.string("author", &entry.author);
    }
    if entry.empty_layer {
        v1.raw("throwaway", "true")?;
    }
    Ok(v1.finish())
}

/// The top entry: distribution's `MakeV1ConfigFromConfig`, the config as
/// a Go map of raw values without `rootfs` and `history`, plus `id`,
/// `parent` and `throwaway`.
fn top_entry(config: &[u8], id: &str, parent: &str, throwaway: bool) -> Result<String> {
    let text = std::str::from_utf8(config)
        .map_err(|e| Error::Conversion(format!("the config is not UTF-8 text: {e}")))?;
    let raw: &RawValue = serde_json::from_str(text)
        .map_err(|e| Error::Conversion(format!("the config is not JSON: {e}")))?;
    let entries = object_entries(raw, "the config")
        .map_err(Error::Conversion)?
        .unwrap_or_default();
    let quoted = |s: &str| {
        let mut out = String::new();
        write_go_string(&mut out, s);
        out
    };
    let mut map: Vec<(String, String)> = entries
        .into_iter()
        .filter(|(key, _)| key != "rootfs" && key != "history")
        .map(|(key, value)| (key, value.get().to_string()))
        .collect();
    map.push(("id".into(), quoted(id)));
    if !parent.is_empty() {
        map.push(("parent".into(), quoted(parent)));
    }
    if throwaway {
        map.push(("throwaway".into(), "true".into()));
    }
    go_sorted_map(map)
}

fn hex_of(bytes: &[u8]) -> String {
    data_encoding::HEXLOWER.encode(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::limits::Limits;

    fn layer(n: u8) -> Descriptor {
        serde_json::from_value(serde_json::json!({
            "mediaType": "application/vnd.docker.image.rootfs.diff.tar.gzip",
            "size": 1,
            "digest": format!("sha256:{}", hex_of(&[n; 32])),
        }))
        .unwrap()
    }

    fn built(config: &str, layers: &[Descriptor]) -> Result<Built> {
        let img = ImageConfig::parse(config.as_bytes(), &Limits::default())?;
        build(&img, layers, config.as_bytes())
    }

    #[test]
    fn ids_chain_from_the_base() {
        let config =
            r#"{"rootfs":{"diff_ids":["a"]},"history":[{"created_by":"a"},{"empty_layer":true}]}"#;
        let b = built(config, &[layer(1)]).unwrap();
        let base_id = hex_of(&Sha256::digest(format!("{} ", hex_of(&[1; 32]))));
        assert_eq!(
            b.blob_sums,
            [EMPTY_LAYER_DIGEST.to_string(), layer(1).digest.to_string()]
        );
        assert_eq!(
            b.v1_compatibility[1],
            format!(
                r#"{{"id":"{base_id}","created":"0001-01-01T00:00:00Z","container_config":{{"Cmd":["a"]}}}}"#
            )
        );
        assert!(
            b.v1_compatibility[0].ends_with(&format!(r#""parent":"{base_id}","throwaway":true}}"#))
        );
    }

    #[test]
    fn windows_base_layer_names_the_base_parent() {
        let config = r#"{"rootfs":{"diff_ids":["a","b"],"base_layer":"X"},"history":[{},{}]}"#;
        let b = built(config, &[layer(1), layer(2)]).unwrap();
        let want = hex_of(&Sha384::digest(b"X")[..32]);
        assert!(b.v1_compatibility[1].contains(&format!(r#""parent":"{want}""#)));
    }

    #[test]
    fn mismatches_are_refused() {
        let two = [layer(1), layer(2)];
        for (config, says) in [
            (
                r#"{"rootfs":{"diff_ids":["a","b"]},"history":[]}"#,
                "no `history`",
            ),
            (r#"{"history":[{}]}"#, "no `rootfs`"),
            (
                r#"{"rootfs":{"diff_ids":["a"]},"history":[{},{}]}"#,
                "lists 1 layers",
            ),
            (
                r#"{"rootfs":{"diff_ids":["a","b"]},"history":[{}]}"#,
                "silently drop",
            ),
            (
                r#"{"rootfs":{"diff_ids":["a","b"]},"history":[{},{},{}]}"#,
                "has 3 entries",
            ),
        ] {
            let e = built(config, &two).unwrap_err();
            assert_eq!(e.code(), "CONVERSION");
            assert!(e.to_string().contains(says), "{config}: {e}");
        }
    }
}
