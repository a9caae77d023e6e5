//! The reference grammar of distribution/reference, checked by hand:
//!
//! ```text
//! reference  := name [ ":" tag ] [ "@" digest ]
//! name       := [ registry "/" ] repository
//! registry   := host [ ":" port ]
//! host       := label ( "." label )*  |  "[" [a-fA-F0-9:]+ "]"
//! label      := [a-zA-Z0-9] | [a-zA-Z0-9] [a-zA-Z0-9-]* [a-zA-Z0-9]
//! port       := [0-9]+
//! repository := component ( "/" component )*
//! component  := [a-z0-9]+ ( separator [a-z0-9]+ )*
//! separator  := "." | "_" | "__" | "-"+
//! tag        := [A-Za-z0-9_] [A-Za-z0-9_.-]{0,127}
//! digest     := "sha256:" 64 lowercase hex | "sha512:" 128 lowercase hex
//! ```
//!
//! Each part is checked left to right, so the first problem in the text is
//! the one reported. Reasons name the part and say what was expected;
//! positions count characters of the whole input from 1.

use super::docker_hub;
use crate::digest::Digest;
use crate::error::Error;

/// Longest input looked at. A valid reference is far shorter (a 255-byte
/// name, a 128-byte tag and a sha512 digest), so this only keeps hostile
/// input cheap to refuse.
pub(super) const MAX_INPUT_LEN: usize = 4096;

/// Longest tag allowed.
const MAX_TAG_LEN: usize = 128;

/// A reference split into its parts, each as written: no Docker Hub
/// defaults applied yet.
pub(super) struct Parts<'a> {
    pub(super) registry: Option<&'a str>,
    pub(super) repository: &'a str,
    pub(super) tag: Option<&'a str>,
    pub(super) digest: Option<Digest>,
}

/// Splits and checks `input`; the error is the reason it is refused.
pub(super) fn parse(input: &str) -> Result<Parts<'_>, String> {
    check_whole(input)?;
    let (name_and_tag, digest) = match input.split_once('@') {
        Some((before, after)) => (before, Some(after)),
        None => (input, None),
    };
    let (name, tag) = split_tag(name_and_tag);
    if name.is_empty() {
        let next = if tag.is_some() { ":" } else { "@" };
        return Err(format!("no repository name before `{next}`"));
    }
    let (registry, repository) = docker_hub::split_registry(name);
    let check = Check { input };
    if let Some(registry) = registry {
        check.registry(registry, 0)?;
    }
    let repository_start = registry.map_or(0, |r| r.len() + 1);
    check.repository(repository, repository_start)?;
    if let Some(tag) = tag {
        check.tag(tag, name.len() + 1)?;
    }
    let digest = digest.map(parse_digest).transpose()?;
    Ok(Parts {
        registry,
        repository,
        tag,
        digest,
    })
}

/// Checks a repository path given on its own (no registry, tag or digest).
pub(super) fn check_repository(repository: &str) -> Result<(), String> {
    Check { input: repository }.repository(repository, 0)
}

/// Checks a tag given on its own.
pub(super) fn check_tag(tag: &str) -> Result<(), String> {
    Check { input: tag }.tag(tag, 0)
}

/// Rules about the text as a whole, checked before it is split.
fn check_whole(input: &str) -> Result<(), String> {
    if input.is_empty() {
        return Err(
            "the reference is empty; expected `[registry/]repository[:tag][@digest]`".into(),
        );
    }
    if input.len() > MAX_INPUT_LEN {
        return Err(format!(
            "the reference is {} bytes long; no valid reference is longer than {MAX_INPUT_LEN}",
            input.len()
        ));
    }
    if input.trim() != input {
        return Err("the reference starts or ends with whitespace".into());
    }
    if let Some((scheme, _)) = input.split_once("://") {
        if !scheme.is_empty() && scheme.bytes().all(|b| b.is_ascii_alphabetic()) {
            return Err(format!("a reference has no URL scheme; drop `{scheme}://`"));
        }
    }
    if input.len() == 64
        && input
            .bytes()
            .all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
    {
        return Err(
            "a name of 64 hex characters reads as an image ID, not a repository; \
             add a registry (`docker.io/<name>`) or a tag to use it as a name"
                .into(),
        );
    }
    Ok(())
}

/// Splits `name[:tag]`: the tag starts after the last `:` that follows the
/// last `/` (an earlier `:` belongs to a registry port).
fn split_tag(name_and_tag: &str) -> (&str, Option<&str>) {
    let last_slash = name_and_tag.rfind('/').map_or(0, |i| i + 1);
    match name_and_tag[last_slash..].rfind(':') {
        Some(i) => {
            let colon = last_slash + i;
            (&name_and_tag[..colon], Some(&name_and_tag[colon + 1..]))
        }
        None => (name_and_tag, None),
    }
}

/// Splits a registry into its host (an IPv6 host keeps its brackets) and
/// what follows it: empty, or `:port` when well formed.
pub(super) fn split_host(registry: &str) -> (&str, &str) {
    let host_end = if registry.starts_with('[') {
        registry.find(']').map_or(registry.len(), |i| i + 1)
    } else {
        registry.find(':').unwrap_or(registry.len())
    };
    registry.split_at(host_end)
}

fn parse_digest(text: &str) -> Result<Digest, String> {
    if text.is_empty() {
        return Err("the digest after `@` is empty; expected `sha256:<64 hex>`".into());
    }
    text.parse().map_err(|err| match err {
        Error::InvalidDigest { reason, .. } => format!("digest `{text}` is invalid: {reason}"),
        other => format!("digest `{text}` is invalid: {other}"),
    })
}

/// Checks the parts of one input, each given with its byte offset in it,
/// and quotes character positions of that input in reasons.
struct Check<'a> {
    input: &'a str,
}

impl Check<'_> {
    /// The 1-based character position of byte `offset` of the input.
    fn position(&self, offset: usize) -> usize {
        self.input
            .get(..offset)
            .map_or(offset, |before| before.chars().count())
            + 1
    }

    fn registry(&self, registry: &str, start: usize) -> Result<(), String> {
        let (host, rest) = split_host(registry);
        if host.is_empty() {
            return Err(format!("registry `{registry}` has no host before `:`"));
        }
        if host.starts_with('[') {
            self.ipv6_host(host, start)?;
        } else {
            self.domain_name(host, start)?;
        }
        match rest.strip_prefix(':') {
            Some(port) => self.port(registry, port, start + host.len() + 1),
            None if rest.is_empty() => Ok(()),
            None => Err(format!(
                "registry `{registry}`: expected `:port` or `/` after `{host}`, found `{rest}`"
            )),
        }
    }

    fn domain_name(&self, host: &str, start: usize) -> Result<(), String> {
        let mut label_start = start;
        for label in host.split('.') {
            if label.is_empty() {
                return Err(format!(
                    "registry host `{host}` has an empty label at position {} \
                     (a leading, trailing or doubled `.`)",
                    self.position(label_start)
                ));
            }
            if let Some((i, c)) = label
                .char_indices()
                .find(|&(_, c)| !(c.is_ascii_alphanumeric() || c == '-'))
            {
                return Err(format!(
                    "`{c}` at position {} is not allowed in registry host `{host}` \
                     (letters, digits, `-` and `.` only)",
                    self.position(label_start + i)
                ));
            }
            if label.starts_with('-') || label.ends_with('-') {
                return Err(format!(
                    "registry host `{host}`: label `{label}` must start and end with a letter or digit"
                ));
            }
            label_start += label.len() + 1;
        }
        Ok(())
    }

    fn ipv6_host(&self, host: &str, start: usize) -> Result<(), String> {
        let Some(address) = host.strip_prefix('[').and_then(|h| h.strip_suffix(']')) else {
            return Err(format!("registry host `{host}` has no closing `]`"));
        };
        if address.is_empty() {
            return Err("registry host `[]` is an empty IPv6 address".into());
        }
        match address
            .char_indices()
            .find(|&(_, c)| !(c.is_ascii_hexdigit() || c == ':'))
        {
            Some((i, c)) => Err(format!(
                "`{c}` at position {} is not allowed in IPv6 registry host `{host}` \
                 (hex digits and `:` only; zones and embedded IPv4 are not supported)",
                self.position(start + 1 + i)
            )),
            None => Ok(()),
        }
    }

    fn port(&self, registry: &str, port: &str, start: usize) -> Result<(), String> {
        if port.is_empty() {
            return Err(format!("registry `{registry}` has an empty port after `:`"));
        }
        match port.char_indices().find(|(_, c)| !c.is_ascii_digit()) {
            Some((i, c)) => Err(format!(
                "registry `{registry}`: port `{port}` must be digits, found `{c}` at position {}",
                self.position(start + i)
            )),
            None => Ok(()),
        }
    }

    fn repository(&self, repository: &str, start: usize) -> Result<(), String> {
        if repository.is_empty() {
            return Err("the repository name after the registry is empty".into());
        }
        if let Some(component) = repository
            .split('/')
            .find(|c| c.contains(|c: char| c.is_ascii_uppercase()))
        {
            return Err(format!(
                "repository name must be lowercase, found `{component}`"
            ));
        }
        let last = repository.split('/').count() - 1;
        let mut component_start = start;
        for (index, component) in repository.split('/').enumerate() {
            if component.is_empty() {
                let place = match index {
                    0 => "starts with `/`",
                    i if i == last => "ends with `/`",
                    _ => "has `//`",
                };
                return Err(format!(
                    "repository `{repository}` {place}: empty path component at position {}",
                    self.position(component_start)
                ));
            }
            self.path_component(repository, component, component_start)?;
            component_start += component.len() + 1;
        }
        Ok(())
    }

    fn path_component(
        &self,
        repository: &str,
        component: &str,
        start: usize,
    ) -> Result<(), String> {
        if let Some((i, c)) = component
            .char_indices()
            .find(|&(_, c)| !(c.is_ascii_lowercase() || c.is_ascii_digit() || is_separator(c)))
        {
            let hint = match c {
                ':' => "; a tag follows the last `:` and cannot contain `:`",
                '[' => "; a registry is only read before a `/`",
                _ => "",
            };
            return Err(format!(
                "`{c}` at position {} is not allowed in repository name `{repository}` \
                 (lowercase letters, digits, `/` and separators `.`, `_`, `__`, `-`){hint}",
                self.position(start + i)
            ));
        }
        self.separators(component, start)
    }

    /// Checks the runs of separator characters inside one component.
    fn separators(&self, component: &str, start: usize) -> Result<(), String> {
        let bytes = component.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            if !is_separator(char::from(bytes[i])) {
                i += 1;
                continue;
            }
            let run_start = i;
            while i < bytes.len() && is_separator(char::from(bytes[i])) {
                i += 1;
            }
            let run = &component[run_start..i];
            let position = self.position(start + run_start);
            if run_start == 0 {
                return Err(format!(
                    "path component `{component}` starts with separator `{run}` at position \
                     {position}; components start with a lowercase letter or digit"
                ));
            }
            if i == bytes.len() {
                return Err(format!(
                    "path component `{component}` ends with separator `{run}` at position \
                     {position}; components end with a lowercase letter or digit"
                ));
            }
            if !matches!(run, "." | "_" | "__") && !run.bytes().all(|b| b == b'-') {
                return Err(format!(
                    "separator `{run}` at position {position} in path component `{component}` \
                     is not allowed; use `.`, `_`, `__` or one or more `-`"
                ));
            }
        }
        Ok(())
    }

    fn tag(&self, tag: &str, start: usize) -> Result<(), String> {
        let Some(first) = tag.chars().next() else {
            return Err("the tag after `:` is empty".into());
        };
        if !is_tag_char(first) || first == '.' || first == '-' {
            return Err(format!(
                "tag `{tag}` must start with a letter, digit or `_`, found `{first}`"
            ));
        }
        if let Some((i, c)) = tag.char_indices().find(|&(_, c)| !is_tag_char(c)) {
            return Err(format!(
                "`{c}` at position {} is not allowed in tag `{tag}` \
                 (letters, digits, `_`, `.` and `-` only)",
                self.position(start + i)
            ));
        }
        if tag.len() > MAX_TAG_LEN {
            return Err(format!(
                "tag is {} characters long; at most {MAX_TAG_LEN} are allowed",
                tag.len()
            ));
        }
        Ok(())
    }
}

fn is_separator(c: char) -> bool {
    matches!(c, '.' | '_' | '-')
}

fn is_tag_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reason(input: &str) -> String {
        match parse(input) {
            Ok(_) => panic!("{input} parsed"),
            Err(reason) => reason,
        }
    }

    #[test]
    fn tag_follows_the_last_colon_after_the_last_slash() {
        assert_eq!(split_tag("a:1/b"), ("a:1/b", None));
        assert_eq!(split_tag("a:1/b:2"), ("a:1/b", Some("2")));
        assert_eq!(split_tag("a:b:c"), ("a:b", Some("c")));
        assert_eq!(split_tag("[::1]:5000/a"), ("[::1]:5000/a", None));
    }

    #[test]
    fn hosts_split_from_ports() {
        assert_eq!(split_host("a.b:5000"), ("a.b", ":5000"));
        assert_eq!(split_host("[::1]:5000"), ("[::1]", ":5000"));
        assert_eq!(split_host("[::1"), ("[::1", ""));
        assert_eq!(split_host("localhost"), ("localhost", ""));
    }

    #[test]
    fn separators() {
        for ok in ["a.b", "a_b", "a__b", "a-b", "a---b", "a.b-c_d__e", "0"] {
            assert!(parse(ok).is_ok(), "{ok}");
        }
        assert!(reason("a___b").contains("separator `___` at position 2"));
        assert!(reason("dock..er").contains("separator `..`"));
        assert!(reason("dock_.er").contains("separator `_.`"));
        assert!(reason("dock-.er").contains("separator `-.`"));
        assert!(reason("-docker/a").contains("starts with separator `-`"));
        assert!(reason("a/docker-").contains("ends with separator `-` at position 9"));
        assert!(reason("____/____").contains("starts with separator `____`"));
    }

    #[test]
    fn empty_path_components_say_where() {
        assert!(reason("docker///docker").contains("has `//`"));
        assert!(reason("docker/").contains("ends with `/`"));
        assert!(reason("/docker").contains("starts with `/`"));
        assert!(reason("localhost/").contains("repository name after the registry is empty"));
    }

    #[test]
    fn registry_problems_name_the_host_or_port() {
        assert!(reason("https:/github.com/a").contains("empty port"));
        assert!(reason("https://github.com/a").contains("drop `https://`"));
        assert!(reason("-docker.io/a").contains("label `-docker`"));
        assert!(reason("a..b/c").contains("empty label at position 3"));
        assert!(reason("foo_bar.com:8080/a").contains("`_` at position 4"));
        assert!(reason("fc00::1:5000/a").contains("port `:1:5000` must be digits"));
        assert!(reason("localhost:abc/a").contains("found `a` at position 11"));
        assert!(reason("[fe80::1%eth0]:5000/a").contains("`%` at position 9"));
        assert!(reason("[2001:db8::192.0.2.33]/a").contains("`.` at position"));
        assert!(reason("[::1/a").contains("no closing `]`"));
        assert!(reason("[::1]x/a").contains("found `x`"));
        assert!(reason("[]:5000/a").contains("empty IPv6"));
        assert!(reason("[]/a").contains("`[` at position 1 is not allowed in repository"));
    }

    #[test]
    fn tags() {
        assert!(parse(&format!("a:{}", "t".repeat(128))).is_ok());
        assert!(reason(&format!("a:{}", "t".repeat(129))).contains("129 characters"));
        assert!(reason("a:-x").contains("tag `-x` must start with a letter, digit or `_`"));
        assert!(reason("a:.x").contains("must start"));
        assert!(reason("a:").contains("tag after `:` is empty"));
        assert!(reason("a:b+c").contains("`+` at position 4"));
        assert!(parse("a:_X.y-Z").is_ok());
    }

    #[test]
    fn positions_count_characters() {
        assert!(reason("a/é").contains("`é` at position 3"));
        assert!(reason("a:é").contains("must start"));
        assert!(reason("a:xé").contains("`é` at position 4"));
    }

    #[test]
    fn digests() {
        assert!(reason("a@").contains("digest after `@` is empty"));
        let bad = reason("a@md5:abc");
        assert!(
            bad.contains("digest `md5:abc` is invalid: unknown algorithm"),
            "{bad}"
        );
        assert!(reason(&format!("a@sha256:{}", "F".repeat(64))).contains("lowercase hex"));
        assert!(reason("@sha256:abc").contains("no repository name before `@`"));
        assert!(reason(":tag").contains("no repository name before `:`"));
    }

    #[test]
    fn whole_input_rules() {
        assert!(reason("").contains("empty"));
        assert!(reason(" alpine").contains("whitespace"));
        assert!(reason("alpine\n").contains("whitespace"));
        assert!(reason(&"a".repeat(MAX_INPUT_LEN + 1)).contains("4097 bytes"));
    }
}
