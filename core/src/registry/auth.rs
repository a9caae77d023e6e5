//! Authorization headers: anonymous, Basic, and Bearer tokens.
//!
//! What a registry wants is learnt from its first `401` challenge. Bearer
//! tokens come from the challenge's realm: a GET with Basic credentials (or
//! none), or an OAuth2 POST when the credential is an identity (refresh)
//! token. Tokens are cached per registry and set of scopes (repository
//! and actions) until shortly before they expire, and dropped on a `401`.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use data_encoding::BASE64;
use reqwest::header::{HeaderMap, WWW_AUTHENTICATE};
use serde::Deserialize;

use super::challenge::{merge_scopes, parse_challenges, Challenge, Scope};
use super::credentials::{Credential, CredentialStore};
use super::http_log::{loggable_url, HttpExchange, HttpLog};
use super::retry::{retry_after, retryable_error, retryable_status, Backoff, RetryPolicy};
use crate::error::{Error, Result};

/// The OAuth2 client id sent with token requests.
const CLIENT_ID: &str = "tranship";
/// Lifetime assumed for tokens that do not say (the token spec's default).
const DEFAULT_EXPIRY: Duration = Duration::from_secs(60);
/// Tokens are renewed this long before they expire.
const EXPIRY_MARGIN: Duration = Duration::from_secs(10);

/// What a registry asked for in its challenge.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Mode {
    Basic,
    Bearer {
        realm: String,
        service: Option<String>,
    },
}

struct Token {
    value: String,
    renew_at: Instant,
}

/// Authorization state shared by every request of a client.
pub(crate) struct Auth {
    store: CredentialStore,
    retry: RetryPolicy,
    log: Option<std::sync::Arc<dyn HttpLog>>,
    modes: Mutex<HashMap<String, Mode>>,
    tokens: Mutex<HashMap<String, Token>>,
    credentials: tokio::sync::Mutex<HashMap<String, Option<Credential>>>,
}

impl Auth {
    pub(crate) fn new(
        store: CredentialStore,
        retry: RetryPolicy,
        log: Option<std::sync::Arc<dyn HttpLog>>,
    ) -> Self {
        Auth {
            store,
            retry,
            log,
            modes: Mutex::new(HashMap::new()),
            tokens: Mutex::new(HashMap::new()),
            credentials: tokio::sync::Mutex::new(HashMap::new()),
        }
    }

    /// The `Authorization` value for a request, `None` to go anonymous.
    pub(crate) async fn header(
        &self,
        http: &reqwest::Client,
        registry: &str,
        repository: &str,
        scopes: &[Scope],
    ) -> Result<Option<String>> {
        let Some(mode) = lock(&self.modes)?.get(registry).cloned() else {
            return Ok(None);
        };
        let credential = self.credential(registry, repository).await?;
        match (mode, credential) {
            (_, Some(Credential::RegistryToken(token))) => Ok(Some(format!("Bearer {token}"))),
            (Mode::Basic, Some(Credential::Basic { username, password })) => Ok(Some(format!(
                "Basic {}",
                BASE64.encode(format!("{username}:{password}").as_bytes())
            ))),
            (Mode::Basic, _) => Ok(None),
            (Mode::Bearer { realm, service }, credential) => {
                let key = token_key(registry, scopes);
                if let Some(token) = lock(&self.tokens)?.get(&key) {
                    if Instant::now() < token.renew_at {
                        return Ok(Some(format!("Bearer {}", token.value)));
                    }
                }
                let token = self
                    .fetch_token(
                        http,
                        &realm,
                        service.as_deref(),
                        scopes,
                        credential.as_ref(),
                    )
                    .await?;
                let header = format!("Bearer {}", token.value);
                lock(&self.tokens)?.insert(key, token);
                Ok(Some(header))
            }
        }
    }

    /// Learns from a `401`: the challenge's scheme and realm, and any
    /// scopes it asks for beyond ours. The cached token for `scopes` is
    /// dropped. Returns the scopes to ask for on the next attempt, or
    /// `None` when the answer carries no challenge we can meet.
    pub(crate) fn on_unauthorized(
        &self,
        registry: &str,
        headers: &HeaderMap,
        scopes: &[Scope],
    ) -> Result<Option<Vec<Scope>>> {
        let challenges: Vec<Challenge> = headers
            .get_all(WWW_AUTHENTICATE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(parse_challenges)
            .collect();
        let bearer = challenges.iter().find(|c| c.scheme == "bearer");
        let mode = match bearer {
            Some(c) => match c.param("realm") {
                Some(realm) => Mode::Bearer {
                    realm: realm.to_string(),
                    service: c.param("service").map(str::to_string),
                },
                None => return Ok(None),
            },
            None if challenges.iter().any(|c| c.scheme == "basic") => Mode::Basic,
            None => return Ok(None),
        };
        lock(&self.modes)?.insert(registry.to_string(), mode);
        lock(&self.tokens)?.remove(&token_key(registry, scopes));
        let asked = bearer.map(Challenge::scopes).unwrap_or_default();
        Ok(Some(merge_scopes(scopes.iter().cloned().chain(asked))))
    }

    async fn credential(&self, registry: &str, repository: &str) -> Result<Option<Credential>> {
        let key = format!("{registry}/{repository}");
        let mut cache = self.credentials.lock().await;
        if let Some(found) = cache.get(&key) {
            return Ok(found.clone());
        }
        let found = self.store.lookup(registry, repository).await?;
        cache.insert(key, found.clone());
        Ok(found)
    }

    async fn fetch_token(
        &self,
        http: &reqwest::Client,
        realm: &str,
        service: Option<&str>,
        scopes: &[Scope],
        credential: Option<&Credential>,
    ) -> Result<Token> {
        let scope_texts: Vec<String> = scopes.iter().map(Scope::to_string).collect();
        let mut backoff = Backoff::new(self.retry);
        loop {
            let request = match credential {
                Some(Credential::IdentityToken(refresh)) => {
                    let mut form = vec![
                        ("grant_type", "refresh_token".to_string()),
                        ("refresh_token", refresh.clone()),
                        ("client_id", CLIENT_ID.to_string()),
                        ("scope", scope_texts.join(" ")),
                    ];
                    if let Some(service) = service {
                        form.push(("service", service.to_string()));
                    }
                    http.post(realm).form(&form)
                }
                other => {
                    let mut query: Vec<(&str, &str)> =
                        scope_texts.iter().map(|s| ("scope", s.as_str())).collect();
                    if let Some(service) = service {
                        query.push(("service", service));
                    }
                    let mut request = http.get(realm);
                    if let Some(Credential::Basic { username, password }) = other {
                        query.push(("account", username));
                        request = request.basic_auth(username, Some(password));
                    }
                    request.query(&query)
                }
            };
            let (method, sent) = match request.build() {
                Ok(built) => (built.method().to_string(), http.execute(built).await),
                Err(e) => (String::new(), Err(e)),
            };
            if let Some(log) = &self.log {
                log.on_exchange(&HttpExchange {
                    method,
                    url: reqwest::Url::parse(realm)
                        .map(|u| loggable_url(&u, true))
                        .unwrap_or_else(|_| realm.to_string()),
                    outcome: sent
                        .as_ref()
                        .map(|r| r.status().as_u16())
                        .map_err(ToString::to_string),
                    token: true,
                });
            }
            let delay = match sent {
                Ok(response) if response.status().is_success() => {
                    return parse_token(response).await;
                }
                Ok(response) if retryable_status(response.status(), true) => {
                    match backoff.next_delay(retry_after(response.headers())) {
                        Some(delay) => delay,
                        None => return Err(token_refused(response).await),
                    }
                }
                Ok(response) => return Err(token_refused(response).await),
                Err(e) if retryable_error(&e, true) => match backoff.next_delay(None) {
                    Some(delay) => delay,
                    None => return Err(token_network(e)),
                },
                Err(e) => return Err(token_network(e)),
            };
            tokio::time::sleep(delay).await;
        }
    }
}

#[derive(Deserialize)]
struct TokenAnswer {
    #[serde(default)]
    token: Option<String>,
    #[serde(default)]
    access_token: Option<String>,
    #[serde(default)]
    expires_in: Option<u64>,
}

async fn parse_token(response: reqwest::Response) -> Result<Token> {
    let body = response.bytes().await.map_err(token_network)?;
    let answer: TokenAnswer = serde_json::from_slice(&body).map_err(|e| Error::Unauthorized {
        message: format!("the token service answered something that is not a token: {e}"),
    })?;
    let value = answer
        .access_token
        .or(answer.token)
        .filter(|t| !t.is_empty())
        .ok_or_else(|| Error::Unauthorized {
            message: "the token service answered without a token".into(),
        })?;
    let lifetime = answer
        .expires_in
        .map(Duration::from_secs)
        .unwrap_or(DEFAULT_EXPIRY)
        .max(DEFAULT_EXPIRY);
    Ok(Token {
        value,
        renew_at: Instant::now() + lifetime.saturating_sub(EXPIRY_MARGIN),
    })
}

async fn token_refused(response: reqwest::Response) -> Error {
    let status = response.status();
    let body = response.bytes().await.unwrap_or_default();
    let text: String = String::from_utf8_lossy(&body).chars().take(300).collect();
    let message = format!("the token service answered HTTP {status}: {}", text.trim());
    match status.as_u16() {
        403 => Error::Denied { message },
        429 => Error::TooManyRequests {
            message,
            rate_limit: Vec::new(),
        },
        _ => Error::Unauthorized { message },
    }
}

fn token_network(e: reqwest::Error) -> Error {
    Error::Network {
        context: "asking the token service".into(),
        message: super::errors::describe(&e),
    }
}

fn token_key(registry: &str, scopes: &[Scope]) -> String {
    let texts: Vec<String> = merge_scopes(scopes.iter().cloned())
        .iter()
        .map(Scope::to_string)
        .collect();
    format!("{registry} {}", texts.join(" "))
}

fn lock<T>(m: &Mutex<T>) -> Result<std::sync::MutexGuard<'_, T>> {
    m.lock()
        .map_err(|_| Error::InvalidConfig("authorization state poisoned".into()))
}
