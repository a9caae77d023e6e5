//! Fetching the manifest a reference names, and when it is an index, the
//! manifest of one platform in it.

use super::client::Client;
use super::manifests::FetchedManifest;
use crate::error::Result;
use crate::media_type::MediaType;
use crate::platform::Platform;
use crate::reference::Reference;

/// A manifest and, when it was chosen from an index, which entry.
#[derive(Debug, Clone, PartialEq)]
pub struct Resolved {
    /// The manifest (the platform's, when one was chosen).
    pub fetched: FetchedManifest,
    /// The reference it was fetched with (by digest when chosen from an
    /// index).
    pub reference: Reference,
    /// The index it was chosen from, when it was.
    pub from_index: Option<IndexChoice>,
}

/// The index entry [`Client::resolve`] chose.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexChoice {
    /// The index's digest.
    pub index_digest: String,
    /// The chosen entry's platform (`os/arch[/variant]`).
    pub platform: String,
}

impl Client {
    /// Fetches the manifest `reference` names, offering `accept` (every
    /// known type when empty); when it is an index and `platform` is
    /// given, fetches that platform's manifest instead (the best match,
    /// as [`crate::manifest::Manifest::select_platform`] chooses).
    pub async fn resolve(
        &self,
        reference: &Reference,
        accept: &[MediaType],
        platform: Option<&Platform>,
    ) -> Result<Resolved> {
        let fetched = self.get_manifest(reference, accept).await?;
        let Some(want) = platform.filter(|_| fetched.manifest.as_index().is_some()) else {
            return Ok(Resolved {
                fetched,
                reference: reference.clone(),
                from_index: None,
            });
        };
        let (_, entry) = fetched.manifest.select_platform(want)?;
        let child: Reference = format!(
            "{}/{}@{}",
            reference.registry(),
            reference.repository(),
            entry.digest
        )
        .parse()?;
        let chosen = entry
            .platform
            .as_ref()
            .map(ToString::to_string)
            .unwrap_or_default();
        let index_digest = fetched.digest.to_string();
        Ok(Resolved {
            // By digest the registry serves what it stores: accept anything.
            fetched: self.get_manifest(&child, &[]).await?,
            reference: child,
            from_index: Some(IndexChoice {
                index_digest,
                platform: chosen,
            }),
        })
    }
}
