//! Matching a requested platform against candidates, and choosing an
//! index entry.

use super::Platform;
use crate::descriptor::Descriptor;
use crate::error::{Error, Result};

/// How well a candidate's variant fits the request; higher is better.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Quality {
    /// The request names no variant and the candidate has another one
    /// than the architecture's default (e.g. `arm64/v9` for `arm64`).
    AnyVariant,
    /// Equal only by a default variant (`arm64` and `arm64/v8`).
    DefaultVariant,
    /// The normalised variants are identical.
    Exact,
}

/// How `candidate` fits `want` (already normalised), or `None` when it
/// does not match.
pub(super) fn quality(want: &Platform, candidate: &Platform) -> Option<Quality> {
    let have = candidate.normalized();
    if want.os != have.os || want.architecture != have.architecture {
        return None;
    }
    if let Some(wanted) = &want.os_version {
        let version = have.os_version.as_deref()?;
        let extends = version
            .strip_prefix(wanted.as_str())
            .is_some_and(|rest| rest.is_empty() || rest.starts_with('.'));
        if !extends {
            return None;
        }
    }
    let default = default_variant(&want.architecture);
    let want_variant = want.variant.as_deref().or(default);
    let have_variant = have.variant.as_deref().or(default);
    if want.variant == have.variant {
        Some(Quality::Exact)
    } else if want_variant == have_variant {
        Some(Quality::DefaultVariant)
    } else if want.variant.is_none() {
        Some(Quality::AnyVariant)
    } else {
        None
    }
}

/// The variant an architecture has when none is written, where a
/// normalised platform can still lack it.
fn default_variant(architecture: &str) -> Option<&'static str> {
    match architecture {
        "arm64" => Some("v8"),
        _ => None,
    }
}

/// Chooses the entry of an index or manifest list for `want`.
///
/// Among the entries whose platform matches (see [`Platform::matches`]),
/// the one with exactly the requested variant wins, then one equal by a
/// default variant (`arm64` for `arm64/v8`), then any other; among equals
/// the first listed. Entries without a platform never match.
///
/// Returns the entry's position and the entry, or `PLATFORM_NOT_FOUND`
/// listing every entry's platform (normalised, `unknown` when absent).
///
/// ```
/// use tranship::{platform, Descriptor, Platform};
///
/// let entries: Vec<Descriptor> = serde_json::from_str(r#"[
///   {"mediaType": "application/vnd.oci.image.manifest.v1+json", "size": 1,
///    "digest": "sha256:1111111111111111111111111111111111111111111111111111111111111111",
///    "platform": {"os": "linux", "architecture": "arm64"}},
///   {"mediaType": "application/vnd.oci.image.manifest.v1+json", "size": 1,
///    "digest": "sha256:2222222222222222222222222222222222222222222222222222222222222222",
///    "platform": {"os": "linux", "architecture": "arm64", "variant": "v8"}}
/// ]"#).unwrap();
///
/// let want: Platform = "linux/arm64/v8".parse().unwrap();
/// let (index, _) = platform::select(&entries, &want).unwrap();
/// assert_eq!(index, 1);
///
/// let want: Platform = "linux/amd64".parse().unwrap();
/// let err = platform::select(&entries, &want).unwrap_err();
/// assert_eq!(err.code(), "PLATFORM_NOT_FOUND");
/// assert!(err.to_string().ends_with("linux/arm64, linux/arm64/v8"));
/// ```
pub fn select<'a>(entries: &'a [Descriptor], want: &Platform) -> Result<(usize, &'a Descriptor)> {
    let want = want.normalized();
    let mut best: Option<(Quality, usize, &'a Descriptor)> = None;
    for (index, entry) in entries.iter().enumerate() {
        let Some(platform) = &entry.platform else {
            continue;
        };
        let Some(q) = quality(&want, platform) else {
            continue;
        };
        if best.is_none_or(|(best_q, _, _)| q > best_q) {
            best = Some((q, index, entry));
            if q == Quality::Exact {
                break;
            }
        }
    }
    match best {
        Some((_, index, entry)) => Ok((index, entry)),
        None => Err(Error::PlatformNotFound {
            wanted: want.to_string(),
            available: available(entries),
        }),
    }
}

/// The entries' platforms as text, comma-separated.
fn available(entries: &[Descriptor]) -> String {
    if entries.is_empty() {
        return "no entries".to_string();
    }
    entries
        .iter()
        .map(|entry| match &entry.platform {
            Some(platform) => platform.to_string(),
            None => "unknown".to_string(),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> Platform {
        match s.parse() {
            Ok(p) => p,
            Err(e) => panic!("{s}: {e}"),
        }
    }

    fn m(want: &str, have: &str) -> bool {
        p(want).matches(&p(have))
    }

    #[test]
    fn os_and_arch_must_be_equal() {
        assert!(m("linux/amd64", "Linux/x86_64"));
        assert!(!m("linux/amd64", "windows/amd64"));
        assert!(!m("linux/amd64", "linux/arm64"));
        assert!(!m("linux/amd64", "linux/386"));
        assert!(m("darwin/arm64", "macos/aarch64"));
    }

    #[test]
    fn variants() {
        assert!(m("linux/arm64/v8", "linux/arm64"));
        assert!(m("linux/arm64", "linux/arm64/v8"));
        assert!(m("linux/arm64/v8", "linux/aarch64/8"));
        assert!(!m("linux/arm64/v8", "linux/arm64/v9"));
        assert!(m("linux/arm64", "linux/arm64/v9"));
        assert!(m("linux/amd64/v1", "linux/amd64"));
        assert!(m("linux/amd64", "linux/amd64/v3"));
        assert!(!m("linux/amd64/v3", "linux/amd64"));
        assert!(m("linux/arm", "linux/arm/v7"));
        assert!(!m("linux/arm/v7", "linux/arm/v6"));
        assert!(!m("linux/arm/v6", "linux/arm/v7"));
        assert!(!m("linux/arm", "linux/arm/v6"));
        assert!(m("linux/arm/v6", "linux/armel"));
    }

    #[test]
    fn os_version() {
        assert!(m("windows/amd64", "windows(10.0.17763.1040)/amd64"));
        assert!(m(
            "windows(10.0.17763)/amd64",
            "windows(10.0.17763.1040)/amd64"
        ));
        assert!(m(
            "windows(10.0.17763.1040)/amd64",
            "windows(10.0.17763.1040)/amd64"
        ));
        assert!(!m(
            "windows(10.0.1776)/amd64",
            "windows(10.0.17763.1040)/amd64"
        ));
        assert!(!m(
            "windows(10.0.20348)/amd64",
            "windows(10.0.17763.1040)/amd64"
        ));
        assert!(!m("windows(10.0.17763)/amd64", "windows/amd64"));
    }

    #[test]
    fn raw_candidates_are_normalised() {
        let have = Platform {
            os: "Linux".into(),
            architecture: "ARM".into(),
            variant: Some(String::new()),
            ..Platform::default()
        };
        assert!(p("linux/arm/v7").matches(&have));
        let want = Platform {
            os: "linux".into(),
            architecture: "aarch64".into(),
            ..Platform::default()
        };
        assert!(want.matches(&p("linux/arm64/v8")));
    }

    fn entries(json: &str) -> Vec<Descriptor> {
        match serde_json::from_str(json) {
            Ok(v) => v,
            Err(e) => panic!("bad test JSON: {e}"),
        }
    }

    fn entry(digit: char, platform: &str) -> String {
        let hex: String = std::iter::repeat_n(digit, 64).collect();
        format!(
            r#"{{"mediaType":"application/vnd.oci.image.manifest.v1+json","size":1,"digest":"sha256:{hex}"{platform}}}"#
        )
    }

    fn list() -> Vec<Descriptor> {
        let items = [
            entry('0', ""),
            entry('1', r#","platform":{"os":"linux","architecture":"amd64"}"#),
            entry('2', r#","platform":{"os":"linux","architecture":"arm64"}"#),
            entry(
                '3',
                r#","platform":{"os":"linux","architecture":"arm64","variant":"v8"}"#,
            ),
            entry(
                '4',
                r#","platform":{"os":"linux","architecture":"arm64","variant":"v9"}"#,
            ),
            entry(
                '5',
                r#","platform":{"os":"linux","architecture":"arm","variant":"v7"}"#,
            ),
            entry('6', r#","platform":{"os":"linux","architecture":"arm"}"#),
            entry(
                '7',
                r#","platform":{"os":"unknown","architecture":"unknown"}"#,
            ),
        ];
        entries(&format!("[{}]", items.join(",")))
    }

    fn chosen(want: &str) -> Result<usize> {
        select(&list(), &p(want)).map(|(i, _)| i)
    }

    #[test]
    fn select_prefers_exact_variant_then_first() {
        assert_eq!(chosen("linux/amd64").ok(), Some(1));
        assert_eq!(chosen("linux/arm64/v8").ok(), Some(3));
        assert_eq!(chosen("linux/arm64").ok(), Some(2));
        assert_eq!(chosen("linux/arm64/v9").ok(), Some(4));
        assert_eq!(chosen("linux/arm").ok(), Some(5));
        assert_eq!(chosen("linux/arm/v7").ok(), Some(5));
    }

    #[test]
    fn select_ranks_default_variant_over_any() {
        let list = entries(&format!(
            "[{},{}]",
            entry(
                'a',
                r#","platform":{"os":"linux","architecture":"arm64","variant":"v9"}"#
            ),
            entry(
                'b',
                r#","platform":{"os":"linux","architecture":"arm64","variant":"v8"}"#
            ),
        ));
        let chosen = select(&list, &p("linux/arm64")).map(|(i, _)| i);
        assert_eq!(chosen.ok(), Some(1));
        let chosen = select(&list, &p("linux/amd64")).map(|(i, _)| i);
        assert!(chosen.is_err());
    }

    #[test]
    fn select_reports_what_is_available() {
        let err = match chosen("linux/s390x") {
            Err(e) => e,
            Ok(i) => panic!("chose {i}"),
        };
        assert_eq!(err.code(), "PLATFORM_NOT_FOUND");
        match err {
            Error::PlatformNotFound { wanted, available } => {
                assert_eq!(wanted, "linux/s390x");
                assert_eq!(
                    available,
                    "unknown, linux/amd64, linux/arm64, linux/arm64/v8, linux/arm64/v9, \
                     linux/arm/v7, linux/arm/v7, unknown/unknown"
                );
            }
            other => panic!("wrong error: {other}"),
        }
        let err = select(&[], &p("linux/amd64")).err().map(|e| e.to_string());
        assert_eq!(
            err.as_deref(),
            Some("no manifest for platform linux/amd64; the index offers: no entries")
        );
    }
}
