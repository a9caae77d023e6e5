//! The image config as distribution's schema1 builder reads it: a Go
//! struct with `rootfs`, `history` and `architecture`, decoded with Go's
//! rules (see [`crate::json::go_decode`]).

use serde_json::value::RawValue;

use crate::error::{Error, Result};
use crate::gotime;
use crate::json::go_decode::{go_decode_struct, go_field, is_null, DecodeResult, GoDecode};
use crate::limits::Limits;

/// `imageConfig` of `config_builder.go`.
#[derive(Debug, Default)]
pub(super) struct ImageConfig {
    /// `rootfs`; `None` when absent or `null`.
    pub rootfs: Option<RootFs>,
    /// `history`; `None` when absent or `null`.
    pub history: Option<Vec<HistoryEntry>>,
    /// `architecture`.
    pub architecture: String,
}

/// `imageRootFS`: only what the builder uses.
#[derive(Debug, Default)]
pub(super) struct RootFs {
    /// `diff_ids`: only their number matters.
    pub diff_ids: Option<Vec<String>>,
    /// `base_layer` (Windows).
    pub base_layer: String,
}

/// `imageHistory`.
#[derive(Debug, Default)]
pub(super) struct HistoryEntry {
    /// `created` as Go writes it back (RFC 3339 with nanoseconds); `None`
    /// is Go's zero time.
    pub created: Option<String>,
    /// `author`.
    pub author: String,
    /// `created_by`.
    pub created_by: String,
    /// `comment`.
    pub comment: String,
    /// `empty_layer`.
    pub empty_layer: bool,
}

impl ImageConfig {
    /// Decodes the config bytes as `json.Unmarshal(configJSON, &img)`
    /// does; fails with `CONVERSION` where Go fails, naming the field.
    pub(super) fn parse(config: &[u8], limits: &Limits) -> Result<ImageConfig> {
        Limits::check(
            "config size in bytes",
            config.len() as u64,
            limits.max_config_bytes,
        )?;
        crate::json::check_depth(config, limits.max_json_depth)?;
        let text = std::str::from_utf8(config)
            .map_err(|e| Error::Conversion(format!("the config is not UTF-8 text: {e}")))?;
        let raw: &RawValue = serde_json::from_str(text)
            .map_err(|e| Error::Conversion(format!("the config is not JSON: {e}")))?;
        let mut img = ImageConfig::default();
        img.go_decode(raw, "")
            .map_err(|e| Error::Conversion(format!("the config cannot be read: {e}")))?;
        Ok(img)
    }
}

impl GoDecode for ImageConfig {
    fn go_decode(&mut self, raw: &RawValue, path: &str) -> DecodeResult<()> {
        go_decode_struct(raw, path, |key, value, at| {
            match go_field(&["rootfs", "history", "architecture"], key) {
                Some("rootfs") if is_null(value) => {
                    self.rootfs = None;
                    Ok(())
                }
                Some("rootfs") => self
                    .rootfs
                    .get_or_insert_with(RootFs::default)
                    .go_decode(value, at),
                Some("history") => self.history.go_decode(value, at),
                Some(_) => self.architecture.go_decode(value, at),
                None => Ok(()),
            }
        })
    }
}

impl GoDecode for RootFs {
    fn go_decode(&mut self, raw: &RawValue, path: &str) -> DecodeResult<()> {
        go_decode_struct(raw, path, |key, value, at| {
            match go_field(&["type", "diff_ids", "base_layer"], key) {
                // Read only to fail on a wrong JSON type, as Go does.
                Some("type") => String::new().go_decode(value, at),
                Some("diff_ids") => self.diff_ids.go_decode(value, at),
                Some(_) => self.base_layer.go_decode(value, at),
                None => Ok(()),
            }
        })
    }
}

impl GoDecode for HistoryEntry {
    fn go_decode(&mut self, raw: &RawValue, path: &str) -> DecodeResult<()> {
        const FIELDS: &[&str] = &["created", "author", "created_by", "comment", "empty_layer"];
        go_decode_struct(raw, path, |key, value, at| match go_field(FIELDS, key) {
            Some("created") => decode_time(&mut self.created, value, at),
            Some("author") => self.author.go_decode(value, at),
            Some("created_by") => self.created_by.go_decode(value, at),
            Some("comment") => self.comment.go_decode(value, at),
            Some(_) => self.empty_layer.go_decode(value, at),
            None => Ok(()),
        })
    }
}

/// A `time.Time` field: `null` changes nothing; a string is parsed and
/// re-written as Go does.
fn decode_time(field: &mut Option<String>, raw: &RawValue, path: &str) -> DecodeResult<()> {
    if is_null(raw) {
        return Ok(());
    }
    let quoted = gotime::go_time_json(raw.get()).map_err(|e| format!("{path}: {e}"))?;
    *field = Some(quoted.trim_matches('"').to_string());
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(s: &str) -> Result<ImageConfig> {
        ImageConfig::parse(s.as_bytes(), &Limits::default())
    }

    #[test]
    fn reads_fields_as_go_does() {
        let c = parse(
            r#"{"Architecture":"arm64","rootfs":{"type":"layers","diff_ids":["a","b"]},
                "history":[{"created":"2020-01-01T00:00:00.500+00:00","Created_By":"x"},
                           {"empty_layer":true,"created":null,"comment":"c"}],
                "HISTORY":[{"author":"me"}]}"#,
        )
        .unwrap();
        assert_eq!(c.architecture, "arm64");
        assert_eq!(c.rootfs.unwrap().diff_ids.unwrap().len(), 2);
        let h = c.history.unwrap();
        assert_eq!(h.len(), 1, "the later duplicate cuts the slice");
        assert_eq!(h[0].created.as_deref(), Some("2020-01-01T00:00:00.5Z"));
        assert_eq!(
            (h[0].created_by.as_str(), h[0].author.as_str()),
            ("x", "me")
        );
    }

    #[test]
    fn wrong_types_and_bad_times_are_refused() {
        let e = parse(r#"{"history":[{"created":"yesterday"}]}"#).unwrap_err();
        assert_eq!(e.code(), "CONVERSION");
        assert!(e.to_string().contains("history[0].created"), "{e}");
        let e = parse(r#"{"rootfs":{"diff_ids":[1]}}"#).unwrap_err();
        assert!(
            e.to_string()
                .contains("rootfs.diff_ids[0]: expected a string"),
            "{e}"
        );
        assert!(parse("[]").is_err());
        assert!(parse("null").unwrap().history.is_none());
    }
}
