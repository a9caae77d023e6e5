//! Docker's v1 image JSON as containers/image types it
//! (`manifest.Schema2V1Image` and `Schema2Config`, copies of Docker's
//! `image.V1Image` and `container.Config`).
//!
//! Every schema1 upconversion decodes the top `v1Compatibility` into these
//! structures: a value of the wrong type fails the conversion, and
//! `docker_version` is read from here. For images made by Docker older
//! than 1.8.3 the config is then *re-encoded* from them: every field
//! without `omitempty` appears (`"Hostname":""`, `"Volumes":null`, ...),
//! in declaration order, and keys the structures do not know are dropped.

use serde_json::value::RawValue;

use super::gotyped::{
    decode_struct, field_index, members, Empty, GoDecode, GoEncode, GoMap, GoSlice, GoStruct,
    GoTime, Kind, StrSlice,
};
use crate::error::Result;

/// `Schema2HealthConfig`.
#[derive(Debug, Clone, Default, PartialEq)]
struct HealthConfig {
    test: GoSlice<String>,
    start_period: i64,
    interval: i64,
    timeout: i64,
    retries: i64,
}

const HEALTH_FIELDS: &[&str] = &["Test", "StartPeriod", "Interval", "Timeout", "Retries"];

impl GoDecode for HealthConfig {
    fn decode(&mut self, raw: &RawValue, path: &str) -> Result<()> {
        decode_struct(raw, path, HEALTH_FIELDS, |i, v, p| match i {
            0 => self.test.decode(v, p),
            1 => self.start_period.decode(v, p),
            2 => self.interval.decode(v, p),
            3 => self.timeout.decode(v, p),
            _ => self.retries.decode(v, p),
        })
    }
}

impl GoEncode for HealthConfig {
    fn encode(&self, out: &mut String) {
        let mut s = GoStruct::default();
        s.omitempty("Test", &self.test)
            .omitempty("StartPeriod", &self.start_period)
            .omitempty("Interval", &self.interval)
            .omitempty("Timeout", &self.timeout)
            .omitempty("Retries", &self.retries);
        out.push_str(&s.finish());
    }
    fn is_empty(&self) -> bool {
        false
    }
}

/// `Schema2Config` (Docker's `container.Config`).
#[derive(Debug, Clone, Default, PartialEq)]
struct ContainerConfig {
    hostname: String,
    domainname: String,
    user: String,
    attach_stdin: bool,
    attach_stdout: bool,
    attach_stderr: bool,
    exposed_ports: GoMap<Empty>,
    tty: bool,
    open_stdin: bool,
    stdin_once: bool,
    env: GoSlice<String>,
    cmd: StrSlice,
    healthcheck: Option<HealthConfig>,
    args_escaped: bool,
    image: String,
    volumes: GoMap<Empty>,
    working_dir: String,
    entrypoint: StrSlice,
    network_disabled: bool,
    mac_address: String,
    on_build: GoSlice<String>,
    labels: GoMap<String>,
    stop_signal: String,
    stop_timeout: Option<i64>,
    shell: StrSlice,
}

const CONFIG_FIELDS: &[&str] = &[
    "Hostname",
    "Domainname",
    "User",
    "AttachStdin",
    "AttachStdout",
    "AttachStderr",
    "ExposedPorts",
    "Tty",
    "OpenStdin",
    "StdinOnce",
    "Env",
    "Cmd",
    "Healthcheck",
    "ArgsEscaped",
    "Image",
    "Volumes",
    "WorkingDir",
    "Entrypoint",
    "NetworkDisabled",
    "MacAddress",
    "OnBuild",
    "Labels",
    "StopSignal",
    "StopTimeout",
    "Shell",
];

impl GoDecode for ContainerConfig {
    fn decode(&mut self, raw: &RawValue, path: &str) -> Result<()> {
        decode_struct(raw, path, CONFIG_FIELDS, |i, v, p| {
            let field: &mut dyn GoDecode = match i {
                0 => &mut self.hostname,
                1 => &mut self.domainname,
                2 => &mut self.user,
                3 => &mut self.attach_stdin,
                4 => &mut self.attach_stdout,
                5 => &mut self.attach_stderr,
                6 => &mut self.exposed_ports,
                7 => &mut self.tty,
                8 => &mut self.open_stdin,
                9 => &mut self.stdin_once,
                10 => &mut self.env,
                11 => &mut self.cmd,
                12 => &mut self.healthcheck,
                13 => &mut self.args_escaped,
                14 => &mut self.image,
                15 => &mut self.volumes,
                16 => &mut self.working_dir,
                17 => &mut self.entrypoint,
                18 => &mut self.network_disabled,
                19 => &mut self.mac_address,
                20 => &mut self.on_build,
                21 => &mut self.labels,
                22 => &mut self.stop_signal,
                23 => &mut self.stop_timeout,
                _ => &mut self.shell,
            };
            field.decode(v, p)
        })
    }
}

impl GoEncode for ContainerConfig {
    fn encode(&self, out: &mut String) {
        let mut s = GoStruct::default();
        s.field("Hostname", &self.hostname)
            .field("Domainname", &self.domainname)
            .field("User", &self.user)
            .field("AttachStdin", &self.attach_stdin)
            .field("AttachStdout", &self.attach_stdout)
            .field("AttachStderr", &self.attach_stderr)
            .omitempty("ExposedPorts", &self.exposed_ports)
            .field("Tty", &self.tty)
            .field("OpenStdin", &self.open_stdin)
            .field("StdinOnce", &self.stdin_once)
            .field("Env", &self.env)
            .field("Cmd", &self.cmd)
            .omitempty("Healthcheck", &self.healthcheck)
            .omitempty("ArgsEscaped", &self.args_escaped)
            .field("Image", &self.image)
            .field("Volumes", &self.volumes)
            .field("WorkingDir", &self.working_dir)
            .field("Entrypoint", &self.entrypoint)
            .omitempty("NetworkDisabled", &self.network_disabled)
            .omitempty("MacAddress", &self.mac_address)
            .field("OnBuild", &self.on_build)
            .field("Labels", &self.labels)
            .omitempty("StopSignal", &self.stop_signal)
            .omitempty("StopTimeout", &self.stop_timeout)
            .omitempty("Shell", &self.shell);
        out.push_str(&s.finish());
    }
    fn is_empty(&self) -> bool {
        false
    }
}

/// `Schema2V1Image` (Docker's `image.V1Image`).
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct V1Image {
    id: String,
    parent: String,
    comment: String,
    created: GoTime,
    container: String,
    container_config: ContainerConfig,
    docker_version: String,
    author: String,
    config: Option<ContainerConfig>,
    architecture: String,
    variant: String,
    os: String,
    size: i64,
}

const IMAGE_FIELDS: &[&str] = &[
    "id",
    "parent",
    "comment",
    "created",
    "container",
    "container_config",
    "docker_version",
    "author",
    "config",
    "architecture",
    "variant",
    "os",
    "Size",
];

impl V1Image {
    /// Decodes a `v1Compatibility` object as Go's `json.Unmarshal` into
    /// `Schema2V1Image` does; fails where Go reports a type error.
    pub(crate) fn decode(raw: &RawValue) -> Result<V1Image> {
        let mut image = V1Image::default();
        decode_struct(raw, "", IMAGE_FIELDS, |i, v, p| {
            let field: &mut dyn GoDecode = match i {
                0 => &mut image.id,
                1 => &mut image.parent,
                2 => &mut image.comment,
                3 => &mut image.created,
                4 => &mut image.container,
                5 => &mut image.container_config,
                6 => &mut image.docker_version,
                7 => &mut image.author,
                8 => &mut image.config,
                9 => &mut image.architecture,
                10 => &mut image.variant,
                11 => &mut image.os,
                _ => &mut image.size,
            };
            field.decode(v, p)
        })?;
        Ok(image)
    }

    /// The keys of `raw` (a `v1Compatibility` object) that the structure
    /// does not know, and so a re-encoding drops: top-level keys, and
    /// keys of its `config` and `container_config` objects as
    /// `config.KEY` and `container_config.KEY`.
    pub(crate) fn unknown_keys(raw: &RawValue) -> Result<Vec<String>> {
        let mut unknown = Vec::new();
        for (key, value) in members(raw.get(), "")?.0 {
            match field_index(IMAGE_FIELDS, &key) {
                None => unknown.push(key),
                Some(i @ (5 | 8)) if Kind::of(value) == Kind::Object => {
                    for (inner, _) in members(value.get(), &key)?.0 {
                        if field_index(CONFIG_FIELDS, &inner).is_none() {
                            unknown.push(format!("{}.{inner}", IMAGE_FIELDS[i]));
                        }
                    }
                }
                Some(_) => {}
            }
        }
        unknown.sort();
        unknown.dedup();
        Ok(unknown)
    }

    /// The `docker_version` the image was made with (empty when absent).
    pub(crate) fn docker_version(&self) -> &str {
        &self.docker_version
    }

    /// The structure re-encoded as Go's `json.Marshal(&s1)` writes it.
    pub(crate) fn encode(&self) -> String {
        let mut s = GoStruct::default();
        s.omitempty("id", &self.id)
            .omitempty("parent", &self.parent)
            .omitempty("comment", &self.comment)
            .field("created", &self.created)
            .omitempty("container", &self.container)
            .field("container_config", &self.container_config)
            .omitempty("docker_version", &self.docker_version)
            .omitempty("author", &self.author)
            .omitempty("config", &self.config)
            .omitempty("architecture", &self.architecture)
            .omitempty("variant", &self.variant)
            .omitempty("os", &self.os)
            .omitempty("Size", &self.size);
        s.finish()
    }
}

/// Docker's `versions.LessThan(v, other)`: dot-separated parts compared as
/// integers, a part that is not one counting as 0 (Go's `strconv.Atoi`
/// result with its error ignored).
pub(crate) fn version_less_than(v: &str, other: &str) -> bool {
    if v == other {
        return false;
    }
    let (a, b): (Vec<&str>, Vec<&str>) = (v.split('.').collect(), other.split('.').collect());
    for i in 0..a.len().max(b.len()) {
        let x = a.get(i).map_or(0, |p| go_atoi(p));
        let y = b.get(i).map_or(0, |p| go_atoi(p));
        if x != y {
            return x < y;
        }
    }
    false
}

/// `strconv.Atoi` with the error ignored: an optional sign and decimal
/// digits; anything else is 0; out of range saturates.
fn go_atoi(s: &str) -> i64 {
    let (negative, digits) = match s.as_bytes().first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return 0;
    }
    let magnitude = digits.bytes().try_fold(0i64, |n, d| {
        n.checked_mul(10)?.checked_add(i64::from(d - b'0'))
    });
    match (magnitude, negative) {
        (Some(n), true) => -n,
        (Some(n), false) => n,
        (None, true) => i64::MIN,
        (None, false) => i64::MAX,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode(text: &str) -> Result<V1Image> {
        V1Image::decode(&RawValue::from_string(text.to_string()).unwrap())
    }

    #[test]
    fn versions_compare_as_docker_does() {
        assert!(version_less_than("1.8.2", "1.8.3"));
        assert!(version_less_than("1.8.3-rc1", "1.8.3"));
        assert!(version_less_than("1.8", "1.8.3"));
        assert!(!version_less_than("1.8.3", "1.8.3"));
        assert!(!version_less_than("1.10.0", "1.8.3"));
        assert!(version_less_than("abc", "1.8.3"));
        assert!(!version_less_than("99999999999999999999", "1.8.3"));
        assert!(version_less_than("-1.9", "1.8.3"));
    }

    #[test]
    fn re_encodes_every_field_in_declaration_order() {
        let image = decode(
            r#"{"id":"x","unknown":1,"created":"2015-01-02T03:04:05.10Z","config":{"Cmd":"sh","Labels":{"b":"1","a":null}},"Size":0}"#,
        )
        .unwrap();
        assert_eq!(
            image.encode(),
            concat!(
                r#"{"id":"x","created":"2015-01-02T03:04:05.1Z","container_config":{"Hostname":"","Domainname":"","User":"","#,
                r#""AttachStdin":false,"AttachStdout":false,"AttachStderr":false,"Tty":false,"OpenStdin":false,"StdinOnce":false,"#,
                r#""Env":null,"Cmd":null,"Image":"","Volumes":null,"WorkingDir":"","Entrypoint":null,"OnBuild":null,"Labels":null},"#,
                r#""config":{"Hostname":"","Domainname":"","User":"","AttachStdin":false,"AttachStdout":false,"AttachStderr":false,"#,
                r#""Tty":false,"OpenStdin":false,"StdinOnce":false,"Env":null,"Cmd":["sh"],"Image":"","Volumes":null,"WorkingDir":"","#,
                r#""Entrypoint":null,"OnBuild":null,"Labels":{"a":"","b":"1"}}}"#
            )
        );
    }

    #[test]
    fn repeated_keys_merge_into_structs() {
        let image = decode(r#"{"config":{"User":"a"},"CONFIG":{"Tty":true},"created":"2015-01-02T03:04:05Z","created":null}"#)
            .unwrap();
        let text = image.encode();
        assert!(
            text.contains(r#""User":"a""#) && text.contains(r#""Tty":true"#),
            "{text}"
        );
        assert!(
            text.contains(r#""created":"2015-01-02T03:04:05Z""#),
            "{text}"
        );
    }

    #[test]
    fn wrong_types_fail() {
        let err = decode(r#"{"Size":"12"}"#).unwrap_err();
        assert!(err.to_string().contains("Size"), "{err}");
        assert!(decode(r#"{"config":{"Env":"A=1"}}"#).is_err());
        assert!(decode(r#"{"created":"yesterday"}"#).is_err());
    }
}
