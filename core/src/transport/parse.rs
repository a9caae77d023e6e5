//! Parsing addresses: the transport prefix, paths (with Windows drive
//! letters), OCI image names and `docker-archive` tags and indexes.

use std::path::PathBuf;

use super::{Address, ArchiveImage};
use crate::error::Error;
use crate::reference::Reference;

/// Transports skopeo knows that tranship does not read.
const UNSUPPORTED: &[&str] = &[
    "dir",
    "containers-storage",
    "docker-daemon",
    "ostree",
    "sif",
    "tarball",
];

/// What every "unknown transport" message lists.
const EXPECTED: &str = "expected docker://REF (or a bare REF), oci:DIR[:NAME], \
                        oci-archive:FILE[:NAME] or docker-archive:FILE[:REF|:@INDEX]";

/// The largest `@INDEX` accepted: no archive holds more images, and every
/// binding's integer type holds it.
const MAX_INDEX: usize = u32::MAX as usize;

/// Inputs longer than this are shortened when quoted in errors.
const MAX_SHOWN: usize = 256;

pub(super) fn parse(input: &str) -> Result<Address, Error> {
    let invalid = |reason: String| Error::InvalidAddress {
        input: shown(input),
        reason,
    };
    if let Some(reference) = input.strip_prefix("docker://") {
        if reference.is_empty() {
            return Err(invalid(
                "nothing follows `docker://`; expected docker://REF".into(),
            ));
        }
        return reference.parse().map(Address::Registry);
    }
    let Some((transport, rest)) = input.split_once(':') else {
        return input.parse().map(Address::Registry);
    };
    match transport {
        "docker" => {
            let example = match rest {
                "" => "REF".to_string(),
                r if r.starts_with('/') => "REF".to_string(),
                r => shown(r),
            };
            Err(invalid(format!(
                "`docker:` must be followed by `//`; expected docker://{example}"
            )))
        }
        "oci" => {
            let (dir, name) = path_and_name(rest, "oci:DIR[:NAME]").map_err(invalid)?;
            Ok(Address::OciLayout { dir, name })
        }
        "oci-archive" => {
            let (file, name) = path_and_name(rest, "oci-archive:FILE[:NAME]").map_err(invalid)?;
            Ok(Address::OciArchive { file, name })
        }
        "docker-archive" => docker_archive(input, rest),
        t if UNSUPPORTED.contains(&t) => Err(invalid(format!(
            "the `{t}:` transport is not supported; {EXPECTED}"
        ))),
        // `scheme://` never begins a reference (a port is digits, a tag
        // has no `/`): name it as the transport it looks like.
        t if rest.starts_with("//") && is_transport_name(t) => {
            Err(invalid(format!("unknown transport `{t}:`; {EXPECTED}")))
        }
        _ => input.parse().map(Address::Registry),
    }
}

/// `docker-archive:FILE[:REF|:@INDEX]`; `rest` follows the transport.
fn docker_archive(input: &str, rest: &str) -> Result<Address, Error> {
    let invalid = |reason: String| Error::InvalidAddress {
        input: shown(input),
        reason,
    };
    let form = "docker-archive:FILE[:REF|:@INDEX]";
    let (file, image) = split_path(rest, form).map_err(invalid)?;
    let image = match image {
        None => ArchiveImage::Unspecified,
        Some("") => {
            return Err(invalid(format!(
                "nothing follows the `:` after the file; expected {form}"
            )))
        }
        Some(text) => match text.strip_prefix('@') {
            Some(index) => ArchiveImage::Index(archive_index(index).map_err(invalid)?),
            None => ArchiveImage::Tagged(archive_tag(text).map_err(|e| match e {
                ArchiveTagError::Reference(e) => e,
                ArchiveTagError::Digest(reason) => invalid(reason),
            })?),
        },
    };
    Ok(Address::DockerArchive { file, image })
}

/// The `N` of `@N`: decimal digits, at most [`MAX_INDEX`].
fn archive_index(text: &str) -> Result<usize, String> {
    let expected =
        "expected @N, N a non-negative whole number counting the archive's images from 0";
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!("`@{text}` is not an image index; {expected}"));
    }
    match text.parse::<usize>() {
        Ok(i) if i <= MAX_INDEX => Ok(i),
        _ => Err(format!(
            "image index `@{}` is too large; at most @{MAX_INDEX} is allowed",
            shown(text)
        )),
    }
}

enum ArchiveTagError {
    Reference(Error),
    Digest(String),
}

/// A `docker-archive` image name: a reference without a digest, tagged
/// `latest` when no tag is given.
fn archive_tag(text: &str) -> Result<Reference, ArchiveTagError> {
    let reference: Reference = text.parse().map_err(ArchiveTagError::Reference)?;
    if reference.digest().is_some() {
        return Err(ArchiveTagError::Digest(format!(
            "`{}` carries a digest, but an archive names its images by tag only; \
             expected NAME[:TAG] or @INDEX",
            shown(text)
        )));
    }
    Ok(reference)
}

/// `PATH[:NAME]` of `oci:` and `oci-archive:`: an empty name means none.
fn path_and_name(rest: &str, form: &str) -> Result<(PathBuf, Option<String>), String> {
    let (path, name) = split_path(rest, form)?;
    let name = name.filter(|n| !n.is_empty());
    if let Some(name) = name {
        check_image_name(name)?;
    }
    Ok((path, name.map(str::to_string)))
}

/// Splits `PATH[:REST]` at the first `:` after a leading drive letter
/// (`C:\` or `C:/`, which stays part of the path); the path must not be
/// empty.
fn split_path<'a>(rest: &'a str, form: &str) -> Result<(PathBuf, Option<&'a str>), String> {
    let b = rest.as_bytes();
    let has_drive =
        b.len() >= 3 && b[0].is_ascii_alphabetic() && b[1] == b':' && matches!(b[2], b'\\' | b'/');
    let start = if has_drive { 2 } else { 0 };
    let (path, after) = match rest[start..].find(':') {
        Some(i) => (&rest[..start + i], Some(&rest[start + i + 1..])),
        None => (rest, None),
    };
    if path.is_empty() {
        return Err(format!("the path is empty; expected {form}"));
    }
    Ok((PathBuf::from(path), after))
}

/// An OCI image name as containers/image accepts it: components of
/// `[A-Za-z0-9]+` joined by one of `-._:@+` or by `--`, and components
/// joined by `/`.
fn check_image_name(name: &str) -> Result<(), String> {
    name.split('/')
        .try_for_each(check_component)
        .map_err(|why| {
            format!(
                "image name `{}` {why}; expected letters and digits, joined by one of \
             `-._:@+` or `--`, in parts joined by `/`",
                shown(name)
            )
        })
}

/// One `/`-separated part of an OCI image name.
fn check_component(part: &str) -> Result<(), String> {
    let b = part.as_bytes();
    let is_separator = |c: u8| b"-._:@+".contains(&c);
    let mut i = 0;
    loop {
        let run = i;
        while i < b.len() && b[i].is_ascii_alphanumeric() {
            i += 1;
        }
        if i == run {
            return Err(match (run, b.get(i)) {
                (_, None) if run == 0 => "has an empty part".into(),
                (0, _) => "has a part that does not start with a letter or digit".into(),
                _ => "has a part that does not end with a letter or digit".into(),
            });
        }
        if i == b.len() {
            return Ok(());
        }
        let sep = i;
        while i < b.len() && is_separator(b[i]) {
            i += 1;
        }
        if i == sep {
            let c = part[i..].chars().next().unwrap_or_default();
            return Err(format!("contains `{}`", c.escape_debug()));
        }
        let separator = &part[sep..i];
        if separator.len() > 1 && separator != "--" {
            return Err(format!("has the separator `{separator}`"));
        }
    }
}

/// Whether `t` could be a transport's name: a letter, then letters,
/// digits and `-`.
fn is_transport_name(t: &str) -> bool {
    t.starts_with(|c: char| c.is_ascii_alphabetic())
        && t.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
}

/// The input as quoted in errors: whole, or its first 64 characters and
/// `…` when it is very long.
fn shown(input: &str) -> String {
    if input.len() <= MAX_SHOWN {
        return input.to_string();
    }
    let mut text: String = input.chars().take(64).collect();
    text.push('…');
    text
}
