//! Which kind of manifest a body is: from the `Content-Type` when it names
//! a manifest type, from the content otherwise (rules in `docs/formats.md`,
//! "Media types and detection"), following containers/image
//! `GuessMIMEType` and `ValidateUnambiguousManifestFormat`.

use serde::Serialize;
use serde_json::{Map, Value};

use super::fields::{invalid, json_type};
use crate::error::{Error, Result};
use crate::media_type::MediaType;

/// Where a manifest's media type came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum DetectedFrom {
    /// The given `Content-Type` named a manifest type (and the body agrees).
    #[serde(rename = "content-type")]
    ContentType,
    /// No usable `Content-Type` (missing, `application/json`, `text/plain`
    /// or unknown): the type was read from the body.
    #[serde(rename = "content")]
    Content,
}

impl DetectedFrom {
    /// `content-type` or `content`, as in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            DetectedFrom::ContentType => "content-type",
            DetectedFrom::Content => "content",
        }
    }
}

/// The fields that identify a manifest format. A body may only carry the
/// ones of its own kind (containers/image rejects the others as ambiguous).
const ESSENTIAL: &[&str] = &["config", "fsLayers", "history", "layers", "manifests"];

/// The few fields detection looks at.
struct Shape<'a> {
    media_type: Option<&'a str>,
    schema_version: Option<u64>,
    signed: bool,
}

fn shape(body: &Map<String, Value>) -> Result<Shape<'_>> {
    let media_type = match body.get("mediaType") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(s.as_str()),
        Some(other) => {
            return Err(invalid(
                "mediaType",
                format_args!("expected a string, found {}", json_type(other)),
            ))
        }
    };
    let schema_version = match body.get("schemaVersion") {
        None | Some(Value::Null) => None,
        Some(Value::Number(n)) => Some(n.as_u64().ok_or_else(|| {
            invalid(
                "schemaVersion",
                format_args!("expected a positive integer, found {n}"),
            )
        })?),
        Some(other) => {
            return Err(invalid(
                "schemaVersion",
                format_args!("expected a number, found {}", json_type(other)),
            ))
        }
    };
    let signed = !matches!(body.get("signatures"), None | Some(Value::Null));
    Ok(Shape {
        media_type,
        schema_version,
        signed,
    })
}

fn schema1(signed: bool) -> MediaType {
    if signed {
        MediaType::DockerSchema1Signed
    } else {
        MediaType::DockerSchema1
    }
}

/// Decides the media type of `body`, given the `Content-Type` it came with.
///
/// A schema1 body is signed exactly when it has a `signatures` field, so a
/// schema1 `Content-Type` is refined by the body (registries use the two
/// schema1 types loosely).
pub(crate) fn detect(
    body: &Map<String, Value>,
    content_type: Option<&str>,
) -> Result<(MediaType, DetectedFrom)> {
    let shape = shape(body)?;
    let header = content_type
        .map(MediaType::from_content_type)
        .filter(MediaType::is_manifest);
    let (media_type, from) = match header {
        Some(header) => {
            if let Some(field) = shape.media_type {
                let field_type = MediaType::from(field);
                let agrees =
                    field_type == header || (field_type.is_schema1() && header.is_schema1());
                if !agrees {
                    return Err(Error::InvalidManifest(format!(
                        "Content-Type says `{header}` but the manifest's mediaType field says `{field}`"
                    )));
                }
            }
            let resolved = if header.is_schema1() {
                schema1(shape.signed)
            } else {
                header
            };
            (resolved, DetectedFrom::ContentType)
        }
        None => (from_content(body, &shape)?, DetectedFrom::Content),
    };
    check_version(&media_type, shape.schema_version)?;
    check_unambiguous(body, &media_type)?;
    Ok((media_type, from))
}

/// Detection from the body alone: a `mediaType` field wins, then
/// `schemaVersion` and the shape of the body.
fn from_content(body: &Map<String, Value>, shape: &Shape<'_>) -> Result<MediaType> {
    if let Some(field) = shape.media_type {
        let media_type = MediaType::from(field);
        return if media_type.is_schema1() {
            Ok(schema1(shape.signed))
        } else if media_type.is_manifest() {
            Ok(media_type)
        } else {
            Err(Error::UnsupportedMediaType(format!(
                "the manifest's mediaType `{field}` is not a manifest type tranship knows"
            )))
        };
    }
    match shape.schema_version {
        Some(1) => Ok(schema1(shape.signed)),
        Some(2) => Ok(guess_version2(body)),
        Some(other) => Err(Error::UnsupportedMediaType(format!(
            "manifest schemaVersion {other} is not supported (1 is Docker schema1, 2 is Docker schema2 and OCI)"
        ))),
        None => Err(Error::InvalidManifest(
            "the manifest has neither a mediaType nor a schemaVersion field: cannot tell what kind of manifest it is"
                .into(),
        )),
    }
}

/// `schemaVersion: 2` without `mediaType`: the config's media type tells a
/// Docker image from an OCI one; a `manifests` array without a config is an
/// OCI index; anything else is an OCI manifest (e.g. an artifact with a
/// custom config type).
fn guess_version2(body: &Map<String, Value>) -> MediaType {
    let present = |key: &str| !matches!(body.get(key), None | Some(Value::Null));
    let config_type = body
        .get("config")
        .and_then(|c| c.get("mediaType"))
        .and_then(Value::as_str)
        .map(MediaType::from);
    match config_type {
        Some(MediaType::OciConfig) => MediaType::OciManifest,
        Some(MediaType::DockerConfig) => MediaType::DockerSchema2,
        _ if present("manifests") && !present("config") => MediaType::OciIndex,
        _ => MediaType::OciManifest,
    }
}

fn check_version(media_type: &MediaType, found: Option<u64>) -> Result<()> {
    let expected = if media_type.is_schema1() { 1 } else { 2 };
    match found {
        Some(v) if v == expected => Ok(()),
        Some(v) => Err(Error::InvalidManifest(format!(
            "schemaVersion {v} is not supported for {media_type} (expected {expected})"
        ))),
        None => Err(Error::InvalidManifest(format!(
            "schemaVersion is missing; {media_type} needs schemaVersion {expected}"
        ))),
    }
}

/// Refuses bodies that carry the identifying fields of another format,
/// e.g. schema1 `fsLayers` next to OCI `layers`. Keys are matched without
/// regard to case, as Go's decoder would.
fn check_unambiguous(body: &Map<String, Value>, media_type: &MediaType) -> Result<()> {
    let allowed: &[&str] = if media_type.is_schema1() {
        &["fsLayers", "history"]
    } else if media_type.is_index() {
        &["manifests"]
    } else {
        &["config", "layers"]
    };
    let unexpected: Vec<String> = ESSENTIAL
        .iter()
        .filter(|field| !allowed.contains(field))
        .filter(|field| {
            body.iter()
                .any(|(k, v)| k.eq_ignore_ascii_case(field) && !v.is_null())
        })
        .map(|field| format!("`{field}`"))
        .collect();
    if unexpected.is_empty() {
        Ok(())
    } else {
        Err(Error::InvalidManifest(format!(
            "ambiguous manifest: {} {} not belong in a manifest of type {media_type}",
            unexpected.join(", "),
            if unexpected.len() == 1 { "does" } else { "do" }
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn run(body: Value, ct: Option<&str>) -> Result<(MediaType, DetectedFrom)> {
        match body {
            Value::Object(map) => detect(&map, ct),
            _ => unreachable!("tests pass objects"),
        }
    }

    #[test]
    fn header_wins_and_schema1_follows_the_body() {
        let body = json!({"schemaVersion": 1, "fsLayers": [], "history": []});
        let (mt, from) = run(body, Some(MediaType::DockerSchema1Signed.as_str())).unwrap();
        assert_eq!(mt, MediaType::DockerSchema1);
        assert_eq!(from, DetectedFrom::ContentType);
    }

    #[test]
    fn generic_headers_detect_from_content() {
        for ct in [
            None,
            Some("application/json"),
            Some("text/plain; charset=utf-8"),
        ] {
            let body = json!({"schemaVersion": 2, "manifests": []});
            assert_eq!(
                run(body, ct).unwrap(),
                (MediaType::OciIndex, DetectedFrom::Content)
            );
        }
        let docker =
            json!({"schemaVersion": 2, "config": {"mediaType": MediaType::DockerConfig.as_str()}});
        assert_eq!(run(docker, None).unwrap().0, MediaType::DockerSchema2);
        let artifact = json!({"schemaVersion": 2, "config": {"mediaType": "x/y"}});
        assert_eq!(run(artifact, None).unwrap().0, MediaType::OciManifest);
    }

    #[test]
    fn disagreement_and_ambiguity_are_refused() {
        let body = json!({"schemaVersion": 2, "mediaType": MediaType::DockerSchema2.as_str()});
        let e = run(body, Some(MediaType::OciManifest.as_str())).unwrap_err();
        assert!(e.to_string().contains("Content-Type says"), "{e}");

        let body = json!({"schemaVersion": 1, "fsLayers": [], "layers": []});
        let e = run(body, None).unwrap_err();
        assert!(
            e.to_string()
                .contains("ambiguous manifest: `layers` does not belong"),
            "{e}"
        );

        let e = run(json!({"schemaVersion": 3}), None).unwrap_err();
        assert_eq!(e.code(), "UNSUPPORTED_MEDIA_TYPE");
        assert!(
            e.to_string().contains("schemaVersion 3 is not supported"),
            "{e}"
        );
    }
}
