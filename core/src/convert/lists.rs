//! Docker manifest lists <-> OCI image indexes (`docs/formats.md`,
//! "Docker and OCI"), written as containers/image's `ToOCI1Index` and `ToSchema2List` write them.
//!
//! Only the list itself changes: each entry keeps its media type, digest
//! and size (children change when they are converted too, which is the
//! copy's business).
//!
//! - list -> index: CPU `features` have no place in an OCI platform and
//!   are dropped; an entry without a platform gets `{"architecture":"",
//!   "os":""}`, as Go's zero value is written.
//! - index -> list: annotations, `subject`, `artifactType` and entries'
//!   annotations are lost; every entry needs a platform (containers/image
//!   would invent the converting machine's; tranship refuses instead).

use super::docker_oci::Converted;
use super::go_manifest::{
    docker_descriptor, docker_platform, list, oci_descriptor, oci_platform, Desc,
};
use super::gotyped::Json;
use crate::error::{Error, Result};
use crate::manifest::Index;
use crate::media_type::MediaType;
use crate::platform::Platform;

/// Docker manifest list -> OCI index.
pub(crate) fn to_oci(l: &Index) -> Result<Converted> {
    let mut lost = Vec::new();
    let entries = l
        .manifests
        .iter()
        .map(|d| {
            let platform = d.platform.clone().unwrap_or_default();
            if !platform.features.is_empty()
                && !lost.iter().any(|p| p == "manifests.platform.features")
            {
                lost.push("manifests.platform.features".to_string());
            }
            let mut entry = oci_descriptor(Desc::of(d, d.media_type.as_str()));
            entry.field("platform", &Json(&oci_platform(&platform)));
            entry.finish()
        })
        .collect();
    entry_losses(l, &mut lost);
    Ok(Converted {
        manifest: list(&MediaType::OciIndex, entries),
        config: None,
        lost,
    })
}

/// OCI index -> Docker manifest list.
pub(crate) fn to_docker(index: &Index) -> Result<Converted> {
    let mut lost = Vec::new();
    let entries = index
        .manifests
        .iter()
        .enumerate()
        .map(|(i, d)| {
            let platform: &Platform = d.platform.as_ref().ok_or_else(|| {
                Error::Conversion(format!(
                    "manifests[{i}] ({}) has no platform, which every Docker manifest list entry needs; tranship does not guess one",
                    d.digest
                ))
            })?;
            let mut entry = docker_descriptor(Desc::of(d, d.media_type.as_str()));
            entry.field("platform", &Json(&docker_platform(platform)));
            Ok(entry.finish())
        })
        .collect::<Result<Vec<_>>>()?;
    entry_losses(index, &mut lost);
    Ok(Converted {
        manifest: list(&MediaType::DockerManifestList, entries),
        config: None,
        lost,
    })
}

/// What neither list form keeps of the entries and the list itself.
fn entry_losses(l: &Index, lost: &mut Vec<String>) {
    let mut push = |phrase: String| {
        if !lost.contains(&phrase) {
            lost.push(phrase);
        }
    };
    for d in &l.manifests {
        if !d.annotations.is_empty() {
            push("manifests.annotations".into());
        }
        if d.artifact_type.is_some() {
            push("manifests.artifactType".into());
        }
        d.extra.keys().for_each(|k| push(format!("manifests.{k}")));
    }
    if !l.annotations.is_empty() {
        push("annotations".into());
    }
    if l.subject.is_some() {
        push("subject".into());
    }
    if l.artifact_type.is_some() {
        push("artifactType".into());
    }
    l.extra.keys().for_each(|k| push(k.clone()));
}
