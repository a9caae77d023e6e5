//! The registry client: options, endpoints, and the one place where
//! requests are sent (authorization, retries, the concurrency limit).

use std::sync::Arc;

use reqwest::header::{HeaderMap, HeaderValue, AUTHORIZATION, CONTENT_LENGTH};
use reqwest::{Method, StatusCode, Url};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use super::auth::Auth;
use super::body::Body;
use super::challenge::Scope;
use super::config::RegistriesConfig;
use super::credentials::CredentialStore;
use super::errors::{self, Subject};
use super::http_log::{loggable_url, HttpExchange, HttpLog};
use super::retry::{retry_after, retryable_error, retryable_status, Backoff, RetryPolicy};
use super::transport::{Transport, USER_AGENT};
use crate::error::{Error, Result};
use crate::limits::Limits;
use crate::progress::Progress;
use crate::reference::Reference;

/// Everything a [`Client`] can be told; `ClientOptions::default()` reads
/// credentials from the usual files and uses sensible bounds.
#[derive(Clone)]
pub struct ClientOptions {
    /// Where credentials come from (default: [`CredentialStore::from_env`]).
    pub credentials: CredentialStore,
    /// Per-registry settings: plain http, TLS, certificates, mirrors.
    pub registries: RegistriesConfig,
    /// Retry bounds.
    pub retry: RetryPolicy,
    /// Most requests in flight at once, bodies included (default 6).
    pub max_concurrent_requests: usize,
    /// Size limits for manifests and listings.
    pub limits: Limits,
    /// Upload blobs in chunks of this many bytes (PATCH + Content-Range);
    /// `None` uploads each blob in one PUT (default).
    pub chunk_size: Option<u64>,
    /// Entries asked for per page of a tag or catalog listing (default 1000).
    pub page_size: u32,
    /// Receives blob progress events (see also [`Client::with_progress`]).
    pub progress: Option<Arc<dyn Progress>>,
    /// The User-Agent (default `tranship/<version>`).
    pub user_agent: String,
    /// Receives method, URL and status of every request (`--debug`);
    /// never headers or bodies, so never credentials.
    pub http_log: Option<Arc<dyn HttpLog>>,
}

impl Default for ClientOptions {
    fn default() -> Self {
        ClientOptions {
            credentials: CredentialStore::from_env(),
            registries: RegistriesConfig::new(),
            retry: RetryPolicy::default(),
            max_concurrent_requests: 6,
            limits: Limits::default(),
            chunk_size: None,
            page_size: 1000,
            progress: None,
            user_agent: USER_AGENT.to_string(),
            http_log: None,
        }
    }
}

/// A client for the OCI distribution API; cheap to clone, share it.
///
/// ```no_run
/// # async fn demo() -> tranship::Result<()> {
/// use tranship::registry::{Client, ClientOptions};
/// let client = Client::new(ClientOptions::default());
/// let r: tranship::Reference = "localhost:5000/app:v1".parse()?;
/// let manifest = client.get_manifest(&r, &[]).await?;
/// println!("{} {}", manifest.digest, manifest.manifest.media_type());
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct Client {
    pub(crate) inner: Arc<Inner>,
    pub(crate) progress: Option<Arc<dyn Progress>>,
}

pub(crate) struct Inner {
    pub(crate) options: ClientOptions,
    pub(crate) transport: Transport,
    auth: Auth,
    permits: Arc<Semaphore>,
}

/// Where to send a request for one repository: the origin registry or
/// one of its mirrors.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Endpoint {
    /// `host[:port]` whose settings and credentials apply.
    pub(crate) host: String,
    /// `scheme://host[:port]`.
    pub(crate) base: String,
    /// The repository path at this endpoint.
    pub(crate) repository: String,
}

impl Endpoint {
    /// `base/v2/<repository>/<rest>`.
    pub(crate) fn url(&self, rest: &str) -> Result<Url> {
        parse_url(&format!("{}/v2/{}/{rest}", self.base, self.repository))
    }
}

pub(crate) fn parse_url(text: &str) -> Result<Url> {
    Url::parse(text).map_err(|e| Error::InvalidConfig(format!("bad URL `{text}`: {e}")))
}

/// One request, described so it can be sent again.
pub(crate) struct Call {
    pub(crate) method: Method,
    pub(crate) url: Url,
    pub(crate) host: String,
    pub(crate) repository: String,
    pub(crate) scopes: Vec<Scope>,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Body,
    pub(crate) subject: Subject,
    pub(crate) what: String,
    /// Sent without credentials (a redirect to another host).
    pub(crate) anonymous: bool,
    /// May be sent again after an error (GET, HEAD, PUT, DELETE by default).
    pub(crate) idempotent: bool,
}

impl Call {
    /// A bodiless request at an endpoint.
    pub(crate) fn new(method: Method, url: Url, endpoint: &Endpoint, actions: &[&str]) -> Self {
        let scopes = if actions.is_empty() {
            Vec::new()
        } else {
            vec![Scope::repository(&endpoint.repository, actions)]
        };
        let idempotent = !matches!(method, Method::POST | Method::PATCH);
        Call {
            what: format!("{method} {}", url.path()),
            method,
            url,
            host: endpoint.host.clone(),
            repository: endpoint.repository.clone(),
            scopes,
            headers: HeaderMap::new(),
            body: Body::Empty,
            subject: Subject::Repository,
            anonymous: false,
            idempotent,
        }
    }

    pub(crate) fn header(mut self, name: reqwest::header::HeaderName, value: &str) -> Result<Self> {
        let value = HeaderValue::from_str(value)
            .map_err(|e| Error::InvalidConfig(format!("header {name}: {e}")))?;
        self.headers.insert(name, value);
        Ok(self)
    }

    pub(crate) fn subject(mut self, subject: Subject) -> Self {
        self.subject = subject;
        self
    }

    pub(crate) fn body(mut self, body: Body) -> Self {
        self.body = body;
        self
    }

    /// Marks the call as one that must not be repeated blindly.
    pub(crate) fn not_idempotent(mut self) -> Self {
        self.idempotent = false;
        self
    }
}

/// A response, holding its place in the concurrency limit until dropped.
pub(crate) struct Answer {
    pub(crate) response: reqwest::Response,
    _permit: OwnedSemaphorePermit,
}

impl Answer {
    pub(crate) fn status(&self) -> StatusCode {
        self.response.status()
    }

    pub(crate) fn headers(&self) -> &HeaderMap {
        self.response.headers()
    }

    /// The whole body, refused past `limit` bytes.
    pub(crate) async fn bytes(mut self, limit: u64, what: &'static str) -> Result<Vec<u8>> {
        let mut body = Vec::new();
        while let Some(chunk) = self
            .response
            .chunk()
            .await
            .map_err(|e| errors::network("reading the answer", &e))?
        {
            body.extend_from_slice(&chunk);
            Limits::check(what, body.len() as u64, limit)?;
        }
        Ok(body)
    }

    /// The error this answer stands for (reads a bounded error body).
    pub(crate) async fn into_error(self, subject: Subject, what: &str) -> Error {
        let status = self.status();
        let headers = self.headers().clone();
        let body = self
            .bytes(64 * 1024, "error body")
            .await
            .unwrap_or_default();
        errors::from_response(status, &headers, &body, subject, what)
    }
}

impl Client {
    /// A client with these options. Nothing is contacted yet.
    pub fn new(options: ClientOptions) -> Self {
        let transport = Transport::new(options.registries.clone(), options.user_agent.clone());
        let auth = Auth::new(
            options.credentials.clone(),
            options.retry,
            options.http_log.clone(),
        );
        let permits = Arc::new(Semaphore::new(options.max_concurrent_requests.max(1)));
        Client {
            progress: options.progress.clone(),
            inner: Arc::new(Inner {
                options,
                transport,
                auth,
                permits,
            }),
        }
    }

    /// The same client (tokens, connections, concurrency limit shared)
    /// reporting blob progress to `sink` instead: one sink per operation.
    pub fn with_progress(&self, sink: Option<Arc<dyn Progress>>) -> Client {
        Client {
            inner: self.inner.clone(),
            progress: sink,
        }
    }

    /// The origin endpoint of a reference's repository.
    pub(crate) fn origin(&self, reference: &Reference) -> Endpoint {
        Endpoint {
            host: reference.registry().to_string(),
            base: self.inner.transport.origin(reference.registry()),
            repository: reference.repository().to_string(),
        }
    }

    /// Where to pull a repository from: its mirrors in order (those for
    /// digests only when `by_digest`), then the origin.
    pub(crate) fn pull_endpoints(&self, reference: &Reference, by_digest: bool) -> Vec<Endpoint> {
        let settings = self.inner.transport.settings(reference.registry());
        let mut endpoints: Vec<Endpoint> = settings
            .mirrors
            .iter()
            .filter(|m| by_digest || !m.digest_only)
            .map(|m| {
                let (host, prefix) = match m.location.split_once('/') {
                    Some((host, prefix)) => (host, format!("{}/", prefix.trim_matches('/'))),
                    None => (m.location.as_str(), String::new()),
                };
                Endpoint {
                    host: host.to_string(),
                    base: self.inner.transport.origin(host),
                    repository: format!("{prefix}{}", reference.repository()),
                }
            })
            .collect();
        endpoints.push(self.origin(reference));
        endpoints
    }

    /// Sends `call`, meeting one `401` challenge and retrying what may be
    /// retried. Any final answer is returned, success or not.
    pub(crate) async fn send(&self, call: &Call) -> Result<Answer> {
        let http = self.inner.transport.client(&call.host)?;
        let mut scopes = call.scopes.clone();
        let mut challenged = false;
        let mut backoff = Backoff::new(self.inner.options.retry);
        let mut url = call.url.clone();
        loop {
            let authorization = if call.anonymous {
                None
            } else {
                self.inner
                    .auth
                    .header(&http, &call.host, &call.repository, &scopes)
                    .await?
            };
            let permit = self
                .inner
                .permits
                .clone()
                .acquire_owned()
                .await
                .map_err(|_| Error::InvalidConfig("the client was shut down".into()))?;
            let mut request = http
                .request(call.method.clone(), url.clone())
                .headers(call.headers.clone());
            if let Some(value) = authorization {
                request = request.header(AUTHORIZATION, value);
            }
            if !matches!(call.body, Body::Empty) {
                request = request.header(CONTENT_LENGTH, call.body.len());
            }
            let body = call.body.to_request_body().await?;
            let sent = request.body(body).send().await;
            self.log(call, &url, &sent);
            let delay = match sent {
                Ok(response)
                    if response.status() == StatusCode::UNAUTHORIZED
                        && !challenged
                        && !call.anonymous =>
                {
                    challenged = true;
                    match self.inner.auth.on_unauthorized(
                        &call.host,
                        response.headers(),
                        &scopes,
                    )? {
                        Some(asked) => {
                            scopes = asked;
                            continue;
                        }
                        None => return Ok(Answer::new(response, permit)),
                    }
                }
                Ok(response) if retryable_status(response.status(), call.idempotent) => {
                    match backoff.next_delay(retry_after(response.headers())) {
                        Some(delay) => delay,
                        None => return Ok(Answer::new(response, permit)),
                    }
                }
                Ok(response) => return Ok(Answer::new(response, permit)),
                Err(e)
                    if e.is_connect()
                        && url.scheme() == "https"
                        && self.inner.transport.may_fall_back_to_http(&call.host) =>
                {
                    // An insecure registry that does not speak https.
                    let _ = url.set_scheme("http");
                    self.inner.transport.found_plain_http(&call.host);
                    continue;
                }
                Err(e) if retryable_error(&e, call.idempotent) => match backoff.next_delay(None) {
                    Some(delay) => delay,
                    None => return Err(errors::network(&call.what, &e)),
                },
                Err(e) => return Err(errors::network(&call.what, &e)),
            };
            drop(permit);
            tokio::time::sleep(delay).await;
        }
    }

    /// Tells the HTTP log, if any, how one attempt at `call` ended.
    fn log(&self, call: &Call, url: &Url, sent: &reqwest::Result<reqwest::Response>) {
        if let Some(log) = &self.inner.options.http_log {
            log.on_exchange(&HttpExchange {
                method: call.method.to_string(),
                url: loggable_url(url, call.anonymous),
                outcome: match sent {
                    Ok(response) => Ok(response.status().as_u16()),
                    Err(e) => Err(errors::network(&call.what, e).to_string()),
                },
                token: false,
            });
        }
    }

    /// Sends `call` and fails with the registry's error unless the status
    /// is one of `ok`.
    pub(crate) async fn send_expecting(&self, call: &Call, ok: &[u16]) -> Result<Answer> {
        let answer = self.send(call).await?;
        if ok.contains(&answer.status().as_u16()) {
            Ok(answer)
        } else {
            Err(answer.into_error(call.subject, &call.what).await)
        }
    }
}

impl Answer {
    fn new(response: reqwest::Response, permit: OwnedSemaphorePermit) -> Self {
        Answer {
            response,
            _permit: permit,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::registry::BlobSource;

    fn assert_send<T: Send>(_: &T) {}

    /// Bindings run operations on multi-threaded runtimes: every future
    /// must be `Send`, and the client `Send + Sync`.
    #[test]
    fn operations_are_send() {
        fn assert_sync<T: Send + Sync>() {}
        assert_sync::<Client>();
        let client = Client::new(ClientOptions::default());
        let r: Reference = "localhost:5000/a:b".parse().unwrap();
        let d = crate::Digest::sha256(b"");
        let mut sink = Vec::new();
        assert_send(&client.get_manifest(&r, &[]));
        assert_send(&client.head_manifest(&r, &[]));
        assert_send(&client.get_blob(&r, &d, None, &mut sink));
        assert_send(&client.get_blob_to_path(&r, &d, None, std::path::Path::new("x")));
        assert_send(&client.push_blob(&r, &d, BlobSource::Bytes(Vec::new()), &[]));
        assert_send(&client.list_tags(&r));
        assert_send(&client.catalog("localhost:5000"));
        assert_send(&client.referrers(&r, &d, None));
        assert_send(&client.delete_manifest(&r));
        assert_send(&client.ping("localhost:5000"));
    }
}
