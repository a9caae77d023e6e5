//! An image config re-encoded as an OCI image config the way
//! containers/image does it when converting Docker to OCI
//! (`json.Unmarshal` into image-spec's `v1.Image`, then `json.Marshal`):
//! Docker-only fields (`container_config`, `docker_version`, `Hostname`,
//! ...) are dropped and the rest is written in the struct's order.
//!
//! The structs are those of image-spec 1.1.0-rc1/rc2, which skopeo 1.9
//! (the reference here) is built with: the platform fields come in the
//! order architecture, variant, os, os.version, os.features, and the
//! config has no `ArgsEscaped` (image-spec 1.1.0 final added it and moved
//! `variant` after `os.features`).

use serde_json::value::RawValue;

use super::gotyped::{
    decode_struct, field_index, members, Empty, GoDecode, GoEncode, GoMap, GoSlice, GoStruct,
    GoTime, Json, Kind,
};
use crate::error::{Error, Result};

#[derive(Debug, Clone, Default)]
struct ImageConfig {
    user: String,
    exposed_ports: GoMap<Empty>,
    env: GoSlice<String>,
    entrypoint: GoSlice<String>,
    cmd: GoSlice<String>,
    volumes: GoMap<Empty>,
    working_dir: String,
    labels: GoMap<String>,
    stop_signal: String,
}

const CONFIG_FIELDS: &[&str] = &[
    "User",
    "ExposedPorts",
    "Env",
    "Entrypoint",
    "Cmd",
    "Volumes",
    "WorkingDir",
    "Labels",
    "StopSignal",
];

impl GoDecode for ImageConfig {
    fn decode(&mut self, raw: &RawValue, path: &str) -> Result<()> {
        decode_struct(raw, path, CONFIG_FIELDS, |i, v, p| {
            let field: &mut dyn GoDecode = match i {
                0 => &mut self.user,
                1 => &mut self.exposed_ports,
                2 => &mut self.env,
                3 => &mut self.entrypoint,
                4 => &mut self.cmd,
                5 => &mut self.volumes,
                6 => &mut self.working_dir,
                7 => &mut self.labels,
                _ => &mut self.stop_signal,
            };
            field.decode(v, p)
        })
    }
}

impl ImageConfig {
    fn encode(&self) -> String {
        let mut s = GoStruct::default();
        s.omitempty("User", &self.user)
            .omitempty("ExposedPorts", &self.exposed_ports)
            .omitempty("Env", &self.env)
            .omitempty("Entrypoint", &self.entrypoint)
            .omitempty("Cmd", &self.cmd)
            .omitempty("Volumes", &self.volumes)
            .omitempty("WorkingDir", &self.working_dir)
            .omitempty("Labels", &self.labels)
            .omitempty("StopSignal", &self.stop_signal);
        s.finish()
    }
}

#[derive(Debug, Clone, Default)]
struct RootFs {
    kind: String,
    diff_ids: GoSlice<String>,
}

#[derive(Debug, Clone, Default)]
struct History {
    created: Option<GoTime>,
    created_by: String,
    author: String,
    comment: String,
    empty_layer: bool,
}

impl GoDecode for History {
    fn decode(&mut self, raw: &RawValue, path: &str) -> Result<()> {
        let names = ["created", "created_by", "author", "comment", "empty_layer"];
        decode_struct(raw, path, &names, |i, v, p| {
            let field: &mut dyn GoDecode = match i {
                0 => &mut self.created,
                1 => &mut self.created_by,
                2 => &mut self.author,
                3 => &mut self.comment,
                _ => &mut self.empty_layer,
            };
            field.decode(v, p)
        })
    }
}

impl GoEncode for History {
    fn encode(&self, out: &mut String) {
        let mut s = GoStruct::default();
        s.omitempty("created", &self.created)
            .omitempty("created_by", &self.created_by)
            .omitempty("author", &self.author)
            .omitempty("comment", &self.comment)
            .omitempty("empty_layer", &self.empty_layer);
        out.push_str(&s.finish());
    }
    fn is_empty(&self) -> bool {
        false
    }
}

const IMAGE_FIELDS: &[&str] = &[
    "created",
    "author",
    "architecture",
    "variant",
    "os",
    "os.version",
    "os.features",
    "config",
    "rootfs",
    "history",
];

/// The OCI image config containers/image writes for the Docker config
/// `config`, and the fields it dropped as report phrases
/// (`config.container_config`, `config.config.Hostname`, ...). Fails with
/// `INVALID_JSON` (naming the field) where Go's decoder fails.
pub(crate) fn reencode(config: &[u8]) -> Result<(String, Vec<String>)> {
    let text = std::str::from_utf8(config)
        .map_err(|e| Error::InvalidJson(format!("the config is not UTF-8: {e}")))?;
    let raw: &RawValue =
        serde_json::from_str(text).map_err(|e| Error::InvalidJson(format!("the config: {e}")))?;
    let mut created: Option<GoTime> = None;
    let [mut author, mut architecture, mut variant, mut os, mut os_version]: [String; 5] =
        Default::default();
    let mut os_features = GoSlice::<String>::default();
    let mut image_config = ImageConfig::default();
    let mut rootfs = RootFs::default();
    let mut history = GoSlice::<History>::default();
    decode_struct(raw, "config", IMAGE_FIELDS, |i, v, p| {
        let field: &mut dyn GoDecode = match i {
            0 => &mut created,
            1 => &mut author,
            2 => &mut architecture,
            3 => &mut variant,
            4 => &mut os,
            5 => &mut os_version,
            6 => &mut os_features,
            7 => &mut image_config,
            9 => &mut history,
            _ => {
                return decode_struct(v, p, &["type", "diff_ids"], |j, w, q| match j {
                    0 => rootfs.kind.decode(w, q),
                    _ => rootfs.diff_ids.decode(w, q),
                })
            }
        };
        field.decode(v, p)
    })?;
    let mut rootfs_text = GoStruct::default();
    rootfs_text
        .field("type", &rootfs.kind)
        .field("diff_ids", &rootfs.diff_ids);
    let mut out = GoStruct::default();
    out.omitempty("created", &created)
        .omitempty("author", &author)
        .field("architecture", &architecture)
        .omitempty("variant", &variant)
        .field("os", &os)
        .omitempty("os.version", &os_version)
        .omitempty("os.features", &os_features)
        .field("config", &Json(&image_config.encode()))
        .field("rootfs", &Json(&rootfs_text.finish()))
        .omitempty("history", &history);
    Ok((out.finish(), dropped(raw)?))
}

/// Keys of the config (and of its `config` object) that `v1.Image` does
/// not know.
fn dropped(raw: &RawValue) -> Result<Vec<String>> {
    let mut lost = Vec::new();
    for (key, value) in members(raw.get(), "config")?.0 {
        match field_index(IMAGE_FIELDS, &key) {
            None => lost.push(format!("config.{key}")),
            Some(7) if Kind::of(value) == Kind::Object => {
                for (inner, _) in members(value.get(), "config.config")?.0 {
                    if field_index(CONFIG_FIELDS, &inner).is_none() {
                        lost.push(format!("config.config.{inner}"));
                    }
                }
            }
            Some(_) => {}
        }
    }
    lost.sort();
    lost.dedup();
    Ok(lost)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_oci_fields_in_struct_order_and_drops_the_rest() {
        let docker = br#"{"os":"linux","architecture":"amd64","docker_version":"20.10","config":{"Hostname":"h","Cmd":["sh"],"ArgsEscaped":true},"rootfs":{"type":"layers","diff_ids":[]},"created":"2020-01-02T03:04:05.000Z","history":[{"created_by":"a<b","created":null}]}"#;
        let (text, lost) = reencode(docker).unwrap();
        assert_eq!(
            text,
            r#"{"created":"2020-01-02T03:04:05Z","architecture":"amd64","os":"linux","config":{"Cmd":["sh"]},"rootfs":{"type":"layers","diff_ids":[]},"history":[{"created_by":"a\u003cb"}]}"#
        );
        assert_eq!(
            lost,
            [
                "config.config.ArgsEscaped",
                "config.config.Hostname",
                "config.docker_version"
            ]
        );
    }

    #[test]
    fn an_empty_config_still_has_its_required_fields() {
        let (text, _) = reencode(b"{}").unwrap();
        assert_eq!(
            text,
            r#"{"architecture":"","os":"","config":{},"rootfs":{"type":"","diff_ids":null}}"#
        );
        assert_eq!(
            reencode(br#"{"config":[]}"#).unwrap_err().code(),
            "INVALID_JSON"
        );
    }
}
