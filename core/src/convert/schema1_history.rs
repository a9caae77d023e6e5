//! Reading a schema1 manifest's history as containers/image does before
//! converting it (`Schema1FromManifest`: `initialize` and
//! `fixManifestLayers`; `docs/formats.md`, "Schema 1 to schema 2").

use serde_json::value::RawValue;

use super::gotyped::{decode_struct, GoDecode, GoSlice, GoTime};
use crate::digest::Digest;
use crate::error::{Error, Result};
use crate::manifest::Schema1;

/// One history entry with its layer, as containers/image's
/// `Schema1V1Compatibility` reads it.
#[derive(Debug, Clone)]
pub(crate) struct Entry<'a> {
    /// Position in the manifest's arrays (top first), for messages.
    pub(crate) index: usize,
    /// The layer blob (`fsLayers[index].blobSum`).
    pub(crate) blob_sum: &'a Digest,
    /// The raw `v1Compatibility` text.
    pub(crate) v1_compatibility: &'a str,
    pub(crate) id: String,
    pub(crate) parent: String,
    pub(crate) comment: String,
    pub(crate) created: GoTime,
    /// `container_config.Cmd` (a `[]string`: a plain string is an error).
    pub(crate) cmd: GoSlice<String>,
    pub(crate) author: String,
    pub(crate) throwaway: bool,
}

const FIELDS: &[&str] = &[
    "id",
    "parent",
    "comment",
    "created",
    "container_config",
    "author",
    "throwaway",
];

impl<'a> Entry<'a> {
    fn decode(index: usize, blob_sum: &'a Digest, text: &'a str) -> Result<Entry<'a>> {
        let mut e = Entry {
            index,
            blob_sum,
            v1_compatibility: text,
            id: String::new(),
            parent: String::new(),
            comment: String::new(),
            created: GoTime::default(),
            cmd: GoSlice::default(),
            author: String::new(),
            throwaway: false,
        };
        let raw: &RawValue = serde_json::from_str(text).map_err(|err| e.invalid(err))?;
        decode_struct(raw, "", FIELDS, |i, v, p| match i {
            0 => e.id.decode(v, p),
            1 => e.parent.decode(v, p),
            2 => e.comment.decode(v, p),
            3 => e.created.decode(v, p),
            4 => decode_struct(v, p, &["Cmd"], |_, cmd, p| e.cmd.decode(cmd, p)),
            5 => e.author.decode(v, p),
            _ => e.throwaway.decode(v, p),
        })
        .map_err(|err| invalid_at(index, err))?;
        Ok(e)
    }

    fn invalid(&self, reason: impl std::fmt::Display) -> Error {
        invalid_at(self.index, reason)
    }

    /// `container_config.Cmd` joined by spaces (Docker's `created_by`).
    pub(crate) fn created_by(&self) -> String {
        self.cmd.items().join(" ")
    }
}

fn invalid_at(index: usize, reason: impl std::fmt::Display) -> Error {
    let reason = match reason.to_string() {
        r if r.starts_with("invalid JSON: ") => r["invalid JSON: ".len()..].to_string(),
        r => r,
    };
    Error::InvalidManifest(format!("history[{index}].v1Compatibility: {reason}"))
}

/// Reads every history entry and checks the chain as containers/image
/// does: ids are 64 lowercase hex, the base has no parent, each entry's
/// parent is the next entry's id, and an id repeats only in adjacent
/// entries — of which the upper one is dropped (with its layer). Returns
/// the surviving entries, top first.
pub(crate) fn read(manifest: &Schema1) -> Result<Vec<Entry<'_>>> {
    let mut entries = manifest
        .history
        .iter()
        .zip(&manifest.fs_layers)
        .enumerate()
        .map(|(i, (h, l))| Entry::decode(i, &l.blob_sum, &h.v1_compatibility))
        .collect::<Result<Vec<_>>>()?;
    for e in &entries {
        let hex64 =
            e.id.len() == 64 && e.id.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'));
        if !hex64 {
            return Err(e.invalid(format_args!(
                "image id `{}` is not 64 lowercase hex digits",
                e.id
            )));
        }
    }
    let Some(base) = entries.last() else {
        return Err(Error::InvalidManifest(
            "a schema1 manifest needs at least one history entry".into(),
        ));
    };
    if !base.parent.is_empty() {
        return Err(base.invalid(format_args!(
            "the base entry has parent `{}`; it must have none",
            base.parent
        )));
    }
    let mut seen = std::collections::HashSet::new();
    let mut last: Option<&str> = None;
    for e in &entries {
        if last != Some(e.id.as_str()) && !seen.insert(e.id.as_str()) {
            return Err(e.invalid(format_args!(
                "image id {} appears again, not next to its other entry",
                e.id
            )));
        }
        last = Some(&e.id);
    }
    for i in (0..entries.len().saturating_sub(1)).rev() {
        if entries[i].id == entries[i + 1].id {
            entries.remove(i);
        } else if entries[i].parent != entries[i + 1].id {
            return Err(entries[i].invalid(format_args!(
                "parent `{}` is not the next entry's id {}",
                entries[i].parent,
                entries[i + 1].id
            )));
        }
    }
    Ok(entries)
}
