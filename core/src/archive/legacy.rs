//! The entries `docker save` wrote before Docker 25, for loaders that
//! predate `manifest.json` (`--legacy`): one folder per layer named by
//! its v1 ID, holding `VERSION`, the v1 `json` and `layer.tar`, and a
//! `repositories` file naming each tag's top layer ID.
//!
//! `layer.tar` is a symbolic link to the layer's blob (`../blobs/…`), so
//! no layer is stored twice. v1 IDs are derived as Docker derives them:
//! from the layer's chain ID (`rootfs.diff_ids` folded from the base),
//! the parent's ID and, for the top layer, the image config; the same
//! image always gets the same IDs.

use serde_json::Value;

use super::destination::blob_name;
use crate::digest::Digest;
use crate::error::{Error, Result};
use crate::manifest::ImageManifest;
use crate::reference::Reference;

/// What a tar entry holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Entry {
    /// A regular file.
    File(Vec<u8>),
    /// A symbolic link to this target.
    Symlink(String),
}

/// One image's legacy entries.
#[derive(Debug)]
pub(super) struct LegacyImage {
    /// `(name, entry)`, in the order they are written.
    pub entries: Vec<(String, Entry)>,
    /// The v1 ID of the top layer, which `repositories` names.
    pub top_id: String,
}

/// The legacy entries of `image`, whose config bytes are `config`.
pub(super) fn entries(image: &ImageManifest, config: &[u8]) -> Result<LegacyImage> {
    let bad = |why: String| Error::Conversion(format!("writing the legacy entries: {why}"));
    let parsed: Value =
        serde_json::from_slice(config).map_err(|e| bad(format!("the config is not JSON: {e}")))?;
    let diff_ids: Vec<Digest> = parsed
        .pointer("/rootfs/diff_ids")
        .and_then(Value::as_array)
        .map(|ids| {
            ids.iter()
                .map(|id| id.as_str().unwrap_or_default().parse())
                .collect::<Result<_>>()
        })
        .transpose()?
        .unwrap_or_default();
    if diff_ids.len() != image.layers.len() {
        return Err(bad(format!(
            "the config lists {} diff_ids but the manifest has {} layers",
            diff_ids.len(),
            image.layers.len()
        )));
    }
    if diff_ids.is_empty() {
        return Err(bad("an image without layers has no v1 layer IDs".into()));
    }
    let os = parsed.get("os").and_then(Value::as_str).unwrap_or("linux");
    let mut entries = Vec::new();
    let mut chain: Option<Digest> = None;
    let mut parent: Option<String> = None;
    for (i, (layer, diff_id)) in image.layers.iter().zip(&diff_ids).enumerate() {
        let chain_id = match &chain {
            None => diff_id.clone(),
            Some(below) => Digest::sha256(format!("{below} {diff_id}").as_bytes()),
        };
        let top = i + 1 == diff_ids.len();
        let mut v1 = if top {
            top_json(&parsed)?
        } else {
            serde_json::Map::from_iter([(
                "created".to_string(),
                Value::from("1970-01-01T00:00:00Z"),
            )])
        };
        // The ID covers the v1 JSON with the chain ID and the parent in it.
        let mut for_id = v1.clone();
        for_id.insert("layer_id".into(), Value::from(chain_id.to_string()));
        if let Some(p) = &parent {
            for_id.insert("parent".into(), Value::from(format!("sha256:{p}")));
        }
        let id = Digest::sha256(&serde_json::to_vec(&for_id).unwrap_or_default())
            .hex()
            .to_string();
        v1.insert("id".into(), Value::from(id.clone()));
        if let Some(p) = &parent {
            v1.insert("parent".into(), Value::from(p.clone()));
        }
        v1.entry("os").or_insert_with(|| Value::from(os));
        let json = serde_json::to_vec(&v1).unwrap_or_default();
        entries.push((format!("{id}/VERSION"), Entry::File(b"1.0".to_vec())));
        entries.push((format!("{id}/json"), Entry::File(json)));
        entries.push((
            format!("{id}/layer.tar"),
            Entry::Symlink(format!("../{}", blob_name(&layer.digest))),
        ));
        chain = Some(chain_id);
        parent = Some(id);
    }
    Ok(LegacyImage {
        entries,
        top_id: parent.unwrap_or_default(),
    })
}

/// The top layer's v1 JSON: the config without `rootfs` and `history`.
fn top_json(config: &Value) -> Result<serde_json::Map<String, Value>> {
    let Value::Object(map) = config else {
        return Err(Error::Conversion(
            "writing the legacy entries: the config is not a JSON object".into(),
        ));
    };
    let mut map = map.clone();
    map.remove("rootfs");
    map.remove("history");
    Ok(map)
}

/// The `repositories` file: each tag's repository and tag, naming the top
/// layer ID of its image, as `docker save` writes it.
pub(super) fn repositories(images: &[(Vec<Reference>, String)]) -> Vec<u8> {
    let mut repos = serde_json::Map::new();
    for (tags, top_id) in images {
        for tag in tags {
            let name = super::destination::docker_name(tag);
            let tags = repos
                .entry(name)
                .or_insert_with(|| Value::Object(serde_json::Map::new()));
            if let Value::Object(tags) = tags {
                tags.insert(
                    tag.tag().unwrap_or("latest").to_string(),
                    Value::from(top_id.clone()),
                );
            }
        }
    }
    serde_json::to_vec(&Value::Object(repos)).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::manifest::Manifest;

    fn image(layers: usize) -> (Manifest, Vec<u8>) {
        let diff_ids: Vec<String> = (0..layers)
            .map(|i| format!("\"{}\"", Digest::sha256(&[i as u8])))
            .collect();
        let config = format!(
            r#"{{"architecture":"amd64","os":"linux","config":{{"Cmd":["sh"]}},"rootfs":{{"type":"layers","diff_ids":[{}]}},"history":[]}}"#,
            diff_ids.join(",")
        );
        let layers: Vec<String> = (0..layers)
            .map(|i| {
                format!(
                    r#"{{"mediaType":"application/vnd.docker.image.rootfs.diff.tar.gzip","size":1,"digest":"{}"}}"#,
                    Digest::sha256(&[100 + i as u8])
                )
            })
            .collect();
        let manifest = format!(
            r#"{{"schemaVersion":2,"mediaType":"application/vnd.docker.distribution.manifest.v2+json","config":{{"mediaType":"application/vnd.docker.container.image.v1+json","size":{},"digest":"{}"}},"layers":[{}]}}"#,
            config.len(),
            Digest::sha256(config.as_bytes()),
            layers.join(",")
        );
        let m = Manifest::parse(manifest.as_bytes(), None, &Default::default()).unwrap();
        (m, config.into_bytes())
    }

    fn json(legacy: &LegacyImage, id: &str) -> Value {
        let name = format!("{id}/json");
        let (_, Entry::File(bytes)) = legacy.entries.iter().find(|(n, _)| *n == name).unwrap()
        else {
            panic!("{name} is not a file")
        };
        serde_json::from_slice(bytes).unwrap()
    }

    #[test]
    fn layers_chain_to_the_top_which_carries_the_config() {
        let (m, config) = image(3);
        let legacy = entries(m.as_image().unwrap(), &config).unwrap();
        assert_eq!(legacy.entries.len(), 9);
        let top = json(&legacy, &legacy.top_id);
        assert_eq!(top["config"]["Cmd"][0], "sh");
        assert!(top.get("rootfs").is_none() && top.get("history").is_none());
        // Walk the parents down to the base: three distinct IDs.
        let mut seen = vec![legacy.top_id.clone()];
        let mut current = top;
        while let Some(parent) = current.get("parent").and_then(Value::as_str) {
            seen.push(parent.to_string());
            current = json(&legacy, parent);
        }
        assert_eq!(seen.len(), 3);
        let link = format!("{}/layer.tar", seen[2]);
        let base_layer = &m.as_image().unwrap().layers[0].digest;
        assert!(legacy.entries.contains(&(
            link,
            Entry::Symlink(format!("../{}", blob_name(base_layer)))
        )));
        // The same image, the same IDs.
        assert_eq!(
            entries(m.as_image().unwrap(), &config).unwrap().top_id,
            legacy.top_id
        );
    }

    #[test]
    fn mismatched_configs_are_refused() {
        let (m, _) = image(2);
        let (_, other) = image(3);
        let err = entries(m.as_image().unwrap(), &other).unwrap_err();
        assert_eq!(err.code(), "CONVERSION");
        assert!(err.to_string().contains("3 diff_ids"), "{err}");
    }

    #[test]
    fn repositories_name_top_ids_by_tag() {
        let tags = vec![
            "team/app:v1".parse().unwrap(),
            "team/app:v2".parse().unwrap(),
        ];
        let out: Value = serde_json::from_slice(&repositories(&[(tags, "abc".into())])).unwrap();
        assert_eq!(out["team/app"]["v1"], "abc");
        assert_eq!(out["team/app"]["v2"], "abc");
    }
}
