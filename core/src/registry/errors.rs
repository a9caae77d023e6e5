//! Registry error answers mapped to [`Error`] variants, messages kept.
//!
//! A registry answers errors with a JSON body
//! `{"errors":[{"code":"MANIFEST_UNKNOWN","message":"...","detail":...}]}`;
//! HEAD answers and some proxies send none, and then the HTTP status and
//! what was asked for decide.

use reqwest::header::HeaderMap;
use reqwest::StatusCode;
use serde::Deserialize;

use crate::error::Error;

/// What a request was about, to name a bare 404.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Subject {
    /// A manifest, by tag or digest.
    Manifest,
    /// A blob or an upload.
    Blob,
    /// A repository (tags, referrers) or the registry itself.
    Repository,
}

#[derive(Deserialize)]
struct Body {
    #[serde(default)]
    errors: Vec<Item>,
}

#[derive(Deserialize)]
struct Item {
    #[serde(default)]
    code: String,
    #[serde(default)]
    message: String,
    #[serde(default)]
    detail: Option<serde_json::Value>,
}

/// Headers that registries use to describe rate limits.
const RATE_LIMIT_HEADERS: &[&str] = &[
    "ratelimit-limit",
    "ratelimit-remaining",
    "ratelimit-reset",
    "x-ratelimit-limit",
    "x-ratelimit-remaining",
    "x-ratelimit-reset",
    "docker-ratelimit-source",
    "retry-after",
];

/// The error for an unexpected answer: `what` names the request (e.g.
/// `GET manifest alpine:3`); `body` may be empty.
pub(crate) fn from_response(
    status: StatusCode,
    headers: &HeaderMap,
    body: &[u8],
    subject: Subject,
    what: &str,
) -> Error {
    let first = serde_json::from_slice::<Body>(body)
        .ok()
        .and_then(|b| b.errors.into_iter().next());
    let (code, message) = match first {
        Some(mut item) => {
            if item.code == "UNKNOWN" {
                if let Some(upstream) = upstream_code(item.detail.as_ref()) {
                    item.code = upstream;
                }
            }
            let mut message = if item.message.is_empty() {
                item.code.to_lowercase().replace('_', " ")
            } else {
                item.message
            };
            if let Some(detail) = item.detail.filter(|d| !d.is_null()) {
                message.push_str(&format!(" ({detail})"));
            }
            (item.code, format!("{message} [{what}]"))
        }
        None => (String::new(), bare_message(status, body, what)),
    };
    match code.as_str() {
        "MANIFEST_UNKNOWN" => return Error::ManifestUnknown { message },
        "BLOB_UNKNOWN" => return Error::BlobUnknown { message },
        "NAME_UNKNOWN" => return Error::NameUnknown { message },
        "UNAUTHORIZED" => return Error::Unauthorized { message },
        "DENIED" => return Error::Denied { message },
        "TOOMANYREQUESTS" | "TOO_MANY_REQUESTS" => {
            return too_many_requests(message, headers);
        }
        _ => {}
    }
    match (status.as_u16(), subject) {
        (401, _) if code.is_empty() => Error::Unauthorized { message },
        (403, _) if code.is_empty() => Error::Denied { message },
        (429, _) => too_many_requests(message, headers),
        (404, Subject::Manifest) if code.is_empty() => Error::ManifestUnknown { message },
        (404, Subject::Blob) if code.is_empty() => Error::BlobUnknown { message },
        (404, Subject::Repository) if code.is_empty() => Error::NameUnknown { message },
        (status, _) => Error::Registry {
            registry_code: if code.is_empty() {
                format!("HTTP_{status}")
            } else {
                code
            },
            status,
            message,
        },
    }
}

/// The code of the upstream's error a pull-through cache wraps in an
/// `UNKNOWN` answer (distribution's proxy mode puts the upstream's whole
/// error body in `detail`): an upstream's `MANIFEST_UNKNOWN` is the
/// proxy's too.
fn upstream_code(detail: Option<&serde_json::Value>) -> Option<String> {
    let body = Body::deserialize(detail?).ok()?;
    let code = body.errors.into_iter().next()?.code;
    (!code.is_empty() && code != "UNKNOWN").then_some(code)
}

fn too_many_requests(message: String, headers: &HeaderMap) -> Error {
    let rate_limit = RATE_LIMIT_HEADERS
        .iter()
        .filter_map(|name| {
            let value = headers.get(*name)?.to_str().ok()?;
            Some(format!("{name}: {value}"))
        })
        .collect();
    Error::TooManyRequests {
        message,
        rate_limit,
    }
}

/// A message for an answer without a registry error body: the status and
/// the start of whatever text came with it.
fn bare_message(status: StatusCode, body: &[u8], what: &str) -> String {
    let text = String::from_utf8_lossy(body);
    let text: String = text.trim().chars().take(200).collect();
    let reason = status.canonical_reason().unwrap_or("unexpected status");
    if text.is_empty() {
        format!("HTTP {} {reason} [{what}]", status.as_u16())
    } else {
        format!("HTTP {} {reason}: {text} [{what}]", status.as_u16())
    }
}

/// A network error with its whole chain of causes, one line.
pub(crate) fn describe(err: &reqwest::Error) -> String {
    let mut text = err.to_string();
    let mut source = std::error::Error::source(err);
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

/// The `NETWORK` error for a failed exchange.
pub(crate) fn network(what: &str, err: &reqwest::Error) -> Error {
    Error::Network {
        context: what.to_string(),
        message: describe(err),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map(status: u16, body: &str, subject: Subject) -> Error {
        let status = StatusCode::from_u16(status).unwrap();
        from_response(status, &HeaderMap::new(), body.as_bytes(), subject, "GET x")
    }

    #[test]
    fn registry_codes_win_and_keep_the_message() {
        let body = r#"{"errors":[{"code":"MANIFEST_UNKNOWN","message":"manifest unknown","detail":{"Tag":"nope"}}]}"#;
        let err = map(404, body, Subject::Blob);
        assert_eq!(err.code(), "MANIFEST_UNKNOWN");
        assert!(err
            .to_string()
            .contains(r#"manifest unknown ({"Tag":"nope"})"#));
        let denied = r#"{"errors":[{"code":"DENIED","message":"requested access to the resource is denied"}]}"#;
        assert_eq!(map(403, denied, Subject::Blob).code(), "DENIED");
        let other = r#"{"errors":[{"code":"MANIFEST_INVALID","message":"manifest invalid"}]}"#;
        let err = map(400, other, Subject::Manifest);
        assert_eq!(err.code(), "REGISTRY");
        assert!(err.to_string().contains("MANIFEST_INVALID"));
    }

    #[test]
    fn a_proxy_passes_on_its_upstream_code() {
        // distribution in pull-through mode, when the upstream lacks a manifest.
        let proxied = r#"{"errors":[{"code":"UNKNOWN","message":"unknown error","detail":{"errors":[{"code":"MANIFEST_UNKNOWN","message":"manifest unknown"}]}}]}"#;
        assert_eq!(
            map(500, proxied, Subject::Manifest).code(),
            "MANIFEST_UNKNOWN"
        );
        let unknown = r#"{"errors":[{"code":"UNKNOWN","message":"boom","detail":"disk full"}]}"#;
        assert_eq!(map(500, unknown, Subject::Manifest).code(), "REGISTRY");
    }

    #[test]
    fn bare_statuses_use_the_subject() {
        assert_eq!(map(404, "", Subject::Manifest).code(), "MANIFEST_UNKNOWN");
        assert_eq!(map(404, "", Subject::Blob).code(), "BLOB_UNKNOWN");
        assert_eq!(map(404, "", Subject::Repository).code(), "NAME_UNKNOWN");
        assert_eq!(map(401, "", Subject::Blob).code(), "UNAUTHORIZED");
        assert_eq!(map(403, "nope", Subject::Blob).code(), "DENIED");
        assert_eq!(map(502, "<html>", Subject::Blob).code(), "REGISTRY");
    }

    #[test]
    fn rate_limits_carry_their_headers() {
        let mut h = HeaderMap::new();
        h.insert("ratelimit-remaining", "0;w=21600".parse().unwrap());
        h.insert("retry-after", "5".parse().unwrap());
        let err = from_response(
            StatusCode::TOO_MANY_REQUESTS,
            &h,
            br#"{"errors":[{"code":"TOOMANYREQUESTS","message":"slow down"}]}"#,
            Subject::Manifest,
            "GET m",
        );
        assert_eq!(err.code(), "TOO_MANY_REQUESTS");
        let text = err.to_string();
        assert!(text.contains("slow down"), "{text}");
        assert!(text.contains("ratelimit-remaining: 0;w=21600"), "{text}");
        assert!(text.contains("retry-after: 5"), "{text}");
    }
}
