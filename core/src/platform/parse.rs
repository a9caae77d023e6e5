//! The text form `os[(os_version)]/arch[/variant]`.

use super::Platform;
use crate::error::{Error, Result};

/// Longest platform text accepted, in bytes, measured on the normalised
/// text (normalising may lengthen it: `arm` becomes `arm/v7`), so that
/// whatever parses also prints as text that parses again.
const MAX_LEN: usize = 256;

/// Longest input looked at before normalising, in bytes: a bound on work.
const MAX_INPUT_LEN: usize = 4 * MAX_LEN;

/// How much of a rejected input the error repeats, in characters.
const SHOWN_CHARS: usize = 80;

const EXPECTED: &str = "expected `os[(os_version)]/arch[/variant]`";

/// Parses and normalises platform text.
pub(super) fn parse(input: &str) -> Result<Platform> {
    let fail = |reason: String| Error::InvalidPlatform {
        input: shown(input),
        reason,
    };
    if input.len() > MAX_INPUT_LEN {
        return Err(fail(format!(
            "is {} bytes long; at most {MAX_LEN} are accepted",
            input.len()
        )));
    }
    if input.is_empty() {
        return Err(fail(format!("is empty; {EXPECTED}")));
    }

    let parts: Vec<&str> = input.split('/').collect();
    let (os_part, arch, variant) = match parts.as_slice() {
        [os_part] => {
            check_os_part(os_part).map_err(fail)?;
            return Err(fail(format!(
                "the architecture is missing (no host default is assumed); {EXPECTED}"
            )));
        }
        [os_part, arch] => (*os_part, *arch, None),
        [os_part, arch, variant] => (*os_part, *arch, Some(*variant)),
        _ => {
            return Err(fail(format!(
                "has {} `/`-separated parts, at most 3 are allowed; {EXPECTED}",
                parts.len()
            )))
        }
    };

    let (os, os_version) = check_os_part(os_part).map_err(fail)?;
    check_component("architecture", arch).map_err(fail)?;
    if let Some(variant) = variant {
        check_component("variant", variant).map_err(fail)?;
    }

    let platform = Platform {
        architecture: arch.to_string(),
        os: os.to_string(),
        os_version: os_version.map(str::to_string),
        variant: variant.map(str::to_string),
        ..Platform::default()
    };
    let platform = platform.normalized();
    let text_len = platform.to_string().len();
    if text_len > MAX_LEN {
        return Err(fail(format!(
            "is {text_len} bytes long once normalised; at most {MAX_LEN} are accepted"
        )));
    }
    Ok(platform)
}

/// Splits `os[(os_version)]` and checks both halves.
fn check_os_part(part: &str) -> Result<(&str, Option<&str>), String> {
    let (os, version) = match part.split_once('(') {
        None => {
            if part.contains(')') {
                return Err(format!("the os `{part}` has a `)` without a `(`"));
            }
            (part, None)
        }
        Some((os, rest)) => {
            let Some(version) = rest.strip_suffix(')') else {
                return Err(if rest.contains(')') {
                    format!("the os `{part}` has text after its `)`")
                } else {
                    format!("the os `{part}` has a `(` without a `)`")
                });
            };
            if version.contains('(') || version.contains(')') {
                return Err(format!("the os `{part}` has unbalanced parentheses"));
            }
            (os, Some(version))
        }
    };
    check_component("os", os)?;
    if let Some(version) = version {
        if version.is_empty() {
            return Err(format!(
                "the os version in `{part}` is empty; drop the parentheses or fill them"
            ));
        }
        if version.contains('+') {
            return Err(format!(
                "the os version `{version}` names os features (`+feature`), which are not supported"
            ));
        }
        check_chars("os version", version)?;
    }
    Ok((os, version))
}

/// Checks that an os, architecture or variant is non-empty and well formed.
fn check_component(what: &str, value: &str) -> Result<(), String> {
    if value.is_empty() {
        return Err(format!("the {what} is empty; {EXPECTED}"));
    }
    check_chars(what, value)
}

/// Checks that `value` holds only `[A-Za-z0-9_.-]`.
fn check_chars(what: &str, value: &str) -> Result<(), String> {
    match value
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-')))
    {
        None => Ok(()),
        Some(c) => Err(format!(
            "the {what} `{value}` contains {c:?}; only ASCII letters, digits, `_`, `.` and `-` are allowed"
        )),
    }
}

/// The input as repeated in an error, cut short when long.
fn shown(input: &str) -> String {
    match input.char_indices().nth(SHOWN_CHARS) {
        None => input.to_string(),
        Some((end, _)) => format!("{}…", &input[..end]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(s: &str) -> String {
        match parse(s) {
            Ok(p) => p.to_string(),
            Err(e) => panic!("{s:?} failed: {e}"),
        }
    }

    fn reason(s: &str) -> String {
        match parse(s) {
            Ok(p) => panic!("{s:?} parsed as {p}"),
            Err(Error::InvalidPlatform { reason, .. }) => reason,
            Err(e) => panic!("{s:?} gave the wrong error: {e}"),
        }
    }

    #[test]
    fn accepts_the_usual_forms() {
        assert_eq!(ok("linux/amd64"), "linux/amd64");
        assert_eq!(ok("linux/arm64/v8"), "linux/arm64/v8");
        assert_eq!(ok("linux/arm64"), "linux/arm64");
        assert_eq!(ok("linux/arm"), "linux/arm/v7");
        assert_eq!(ok("linux/arm/6"), "linux/arm/v6");
        assert_eq!(ok("windows(10.0.17763)/amd64"), "windows(10.0.17763)/amd64");
        assert_eq!(ok("MacOS/AArch64"), "darwin/arm64");
        assert_eq!(ok("linux/i386"), "linux/386");
        assert_eq!(ok("linux/x86_64/v1"), "linux/amd64");
    }

    #[test]
    fn keeps_os_version_case() {
        let p = parse("Windows(10.0.17763.1040)/AMD64").ok();
        assert_eq!(
            p.and_then(|p| p.os_version),
            Some("10.0.17763.1040".to_string())
        );
    }

    #[test]
    fn names_the_faulty_part() {
        assert!(reason("").contains("empty"));
        assert!(reason("linux").contains("architecture is missing"));
        assert!(reason("linux/").contains("architecture is empty"));
        assert!(reason("/amd64").contains("os is empty"));
        assert!(reason("linux/arm/").contains("variant is empty"));
        assert!(reason("a/b/c/d").contains("4 `/`-separated parts"));
        assert!(reason("windows(10.0/amd64").contains("without a `)`"));
        assert!(reason("windows)/amd64").contains("without a `(`"));
        assert!(reason("windows(1)x/amd64").contains("after its `)`"));
        assert!(reason("windows((1))/amd64").contains("unbalanced"));
        assert!(reason("windows()/amd64").contains("os version"));
        assert!(reason("windows(10.0+win32k)/amd64").contains("os features"));
        assert!(reason("linux/amd 64").contains("architecture"));
        assert!(reason("linux/arm/v*").contains("variant"));
        assert!(reason("li:nux/amd64").contains("the os"));
        assert!(reason("linux(a b)/amd64").contains("os version"));
        assert!(reason("bad(/amd64").contains("without a `)`"));
    }

    #[test]
    fn never_panics_and_caps_length() {
        let long = format!("{}/amd64", "a".repeat(MAX_LEN));
        assert!(reason(&long).contains("at most 256"));
        let huge = "a".repeat(MAX_INPUT_LEN + 1);
        assert!(reason(&huge).contains("at most 256"));
        for s in [
            "é/é", "()/x", "(", ")", "/", "//", "///", "a(é/b", "\u{0}/a", "a/b/ü",
        ] {
            assert!(parse(s).is_err(), "{s:?}");
        }
        let long_multibyte = "é".repeat(200);
        if let Err(Error::InvalidPlatform { input, .. }) = parse(&long_multibyte) {
            assert!(input.ends_with('…'));
            assert_eq!(input.chars().count(), SHOWN_CHARS + 1);
        } else {
            panic!("expected INVALID_PLATFORM");
        }
    }

    /// Found by fuzzing: 254 bytes ending in `/arm` normalise to
    /// `…/arm/v7`, which must be refused rather than printed as text
    /// that would not parse again.
    #[test]
    fn the_limit_applies_to_the_normalised_text() {
        let os = "s".repeat(MAX_LEN - "/arm".len());
        assert!(reason(&format!("{os}/arm")).contains("once normalised"));
        let fits = format!("{}/arm", "s".repeat(MAX_LEN - "/arm/v7".len()));
        let p: Platform = fits.parse().unwrap();
        assert_eq!(p.to_string().len(), MAX_LEN);
        assert_eq!(p.to_string().parse::<Platform>().unwrap(), p);
    }
}
