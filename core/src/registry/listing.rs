//! Registry-wide and repository listings: the API check (`/v2/`), tags
//! and the catalog (following `Link` pagination), and
//! referrers (the OCI 1.1 API, or the `sha256-<hex>` tag schema where a
//! registry has no such API).

use reqwest::header::{ACCEPT, LINK};
use reqwest::{Method, StatusCode, Url};
use serde::Deserialize;

use super::challenge::Scope;
use super::client::{parse_url, Call, Client, Endpoint};
use super::errors::Subject;
use crate::descriptor::Descriptor;
use crate::digest::Digest;
use crate::error::{Error, Result};
use crate::media_type::MediaType;
use crate::reference::Reference;

/// Most pages followed; 100,000 entries is plenty for any listing.
const MAX_PAGES: usize = 100;
/// Largest listing page accepted, in bytes.
const MAX_PAGE_BYTES: u64 = 16 * 1024 * 1024;

#[derive(Deserialize)]
struct TagPage {
    #[serde(default)]
    tags: Option<Vec<String>>,
}

#[derive(Deserialize)]
struct CatalogPage {
    #[serde(default)]
    repositories: Option<Vec<String>>,
}

#[derive(Deserialize)]
struct IndexBody {
    #[serde(default)]
    manifests: Vec<Descriptor>,
}

impl Client {
    /// Every tag of the reference's repository, in the registry's order.
    pub async fn list_tags(&self, reference: &Reference) -> Result<Vec<String>> {
        let endpoint = self.origin(reference);
        let mut url = endpoint.url("tags/list")?;
        let page_size = self.inner.options.page_size.max(1);
        url.query_pairs_mut()
            .append_pair("n", &page_size.to_string());
        let scopes = vec![Scope::repository(&endpoint.repository, &["pull"])];
        let pages = self.pages(&endpoint, url, scopes).await?;
        let mut tags = Vec::new();
        for page in pages {
            let page: TagPage = parse_json(&page, "tag list")?;
            tags.extend(page.tags.unwrap_or_default());
        }
        Ok(tags)
    }

    /// Checks that the registry answers the API and accepts our credentials
    /// (`GET /v2/`), as `login` does before saving them.
    pub async fn ping(&self, registry: &str) -> Result<()> {
        let endpoint = self.registry_endpoint(registry);
        let url = parse_url(&format!("{}/v2/", endpoint.base))?;
        let call = Call::new(Method::GET, url, &endpoint, &[]);
        self.send_expecting(&call, &[200]).await?;
        Ok(())
    }

    /// Every repository the registry lists (`/v2/_catalog`).
    pub async fn catalog(&self, registry: &str) -> Result<Vec<String>> {
        let endpoint = self.registry_endpoint(registry);
        let page_size = self.inner.options.page_size.max(1);
        let url = parse_url(&format!("{}/v2/_catalog?n={page_size}", endpoint.base))?;
        let scopes = vec![Scope {
            kind: "registry".into(),
            name: "catalog".into(),
            actions: vec!["*".into()],
        }];
        let mut names = Vec::new();
        for page in self.pages(&endpoint, url, scopes).await? {
            let page: CatalogPage = parse_json(&page, "catalog")?;
            names.extend(page.repositories.unwrap_or_default());
        }
        Ok(names)
    }

    /// The registry itself, for requests outside any repository.
    fn registry_endpoint(&self, registry: &str) -> Endpoint {
        Endpoint {
            host: registry.to_string(),
            base: self.inner.transport.origin(registry),
            repository: String::new(),
        }
    }

    /// The manifests that name `subject` as their subject, optionally only
    /// those of `artifact_type`. Uses the referrers API, and the tag
    /// schema (`<alg>-<hex>` tag holding an index) when the registry
    /// answers `404` to it.
    pub async fn referrers(
        &self,
        reference: &Reference,
        subject: &Digest,
        artifact_type: Option<&str>,
    ) -> Result<Vec<Descriptor>> {
        let manifests = match self
            .referrers_api(reference, subject, artifact_type)
            .await?
        {
            Some(listed) => listed,
            None => self.referrers_by_tag(reference, subject).await?,
        };
        Ok(manifests
            .into_iter()
            .filter(|d| artifact_type.is_none_or(|t| d.artifact_type.as_deref() == Some(t)))
            .collect())
    }

    /// What the referrers API lists for `subject` (filtered by the
    /// registry when `artifact_type` is given); `None` when the registry
    /// has no such API (it answers `404`).
    pub async fn referrers_api(
        &self,
        reference: &Reference,
        subject: &Digest,
        artifact_type: Option<&str>,
    ) -> Result<Option<Vec<Descriptor>>> {
        let endpoint = self.origin(reference);
        let mut url = endpoint.url(&format!("referrers/{subject}"))?;
        if let Some(kind) = artifact_type {
            url.query_pairs_mut().append_pair("artifactType", kind);
        }
        let call = Call::new(Method::GET, url, &endpoint, &["pull"])
            .header(ACCEPT, MediaType::OciIndex.as_str())?;
        let answer = self.send(&call).await?;
        match answer.status() {
            StatusCode::OK => {
                let body = answer.bytes(MAX_PAGE_BYTES, "referrers index").await?;
                Ok(Some(
                    parse_json::<IndexBody>(&body, "referrers index")?.manifests,
                ))
            }
            StatusCode::NOT_FOUND => Ok(None),
            _ => Err(answer.into_error(Subject::Manifest, &call.what).await),
        }
    }

    /// The referrers tag schema: the index tagged `<alg>-<hex>`, if any.
    async fn referrers_by_tag(
        &self,
        reference: &Reference,
        subject: &Digest,
    ) -> Result<Vec<Descriptor>> {
        let tag = referrers_tag(subject);
        let tagged: Reference =
            format!("{}/{}:{tag}", reference.registry(), reference.repository()).parse()?;
        match self.get_manifest(&tagged, &[MediaType::OciIndex]).await {
            Ok(found) => Ok(found
                .manifest
                .as_index()
                .map(|index| index.manifests.clone())
                .unwrap_or_default()),
            Err(Error::ManifestUnknown { .. }) => Ok(Vec::new()),
            Err(e) => Err(e),
        }
    }

    /// GETs `url` and every page its `Link: <...>; rel="next"` leads to.
    async fn pages(
        &self,
        endpoint: &Endpoint,
        first: Url,
        scopes: Vec<Scope>,
    ) -> Result<Vec<Vec<u8>>> {
        let mut pages = Vec::new();
        let mut next = Some(first);
        while let Some(url) = next.take() {
            if pages.len() == MAX_PAGES {
                return Err(Error::LimitExceeded {
                    what: "listing pages",
                    found: pages.len() as u64 + 1,
                    limit: MAX_PAGES as u64,
                });
            }
            let mut call = Call::new(Method::GET, url, endpoint, &[]);
            call.scopes = scopes.clone();
            let answer = self.send_expecting(&call, &[200]).await?;
            next = next_link(
                &call.url,
                answer.headers().get(LINK).and_then(|v| v.to_str().ok()),
            );
            pages.push(answer.bytes(MAX_PAGE_BYTES, "listing page").await?);
        }
        Ok(pages)
    }
}

/// The tag the referrers tag schema uses for a subject: `sha256-<hex>`.
pub fn referrers_tag(subject: &Digest) -> String {
    crate::image::referrers::schema_tag(subject)
}

/// The `rel="next"` target of a `Link` header, resolved against `base`.
fn next_link(base: &Url, link: Option<&str>) -> Option<Url> {
    link?.split(',').find_map(|part| {
        let (target, params) = part.split_once(';')?;
        let is_next = params
            .split(';')
            .any(|p| p.trim().replace(' ', "") == "rel=\"next\"" || p.trim() == "rel=next");
        let target = target.trim().strip_prefix('<')?.strip_suffix('>')?;
        is_next.then(|| base.join(target).ok()).flatten()
    })
}

fn parse_json<'a, T: Deserialize<'a>>(bytes: &'a [u8], what: &str) -> Result<T> {
    serde_json::from_slice(bytes).map_err(|e| Error::Registry {
        registry_code: "BAD_BODY".into(),
        status: 200,
        message: format!("the {what} is not valid JSON: {e}"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn link_headers_lead_to_the_next_page() {
        let base = Url::parse("http://r:5000/v2/a/tags/list?n=2").unwrap();
        let next = next_link(&base, Some(r#"</v2/a/tags/list?last=b&n=2>; rel="next""#));
        assert_eq!(
            next.unwrap().as_str(),
            "http://r:5000/v2/a/tags/list?last=b&n=2"
        );
        let other = next_link(
            &base,
            Some(r#"<http://x/y>; rel="prev", <http://x/z>; rel=next"#),
        );
        assert_eq!(other.unwrap().as_str(), "http://x/z");
        assert!(next_link(&base, Some("garbage")).is_none());
        assert!(next_link(&base, None).is_none());
    }

    #[test]
    fn referrers_tags_use_algorithm_and_hex() {
        let d = Digest::sha256(b"x");
        assert_eq!(referrers_tag(&d), format!("sha256-{}", d.hex()));
    }
}
