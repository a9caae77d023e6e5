//! A log of HTTP exchanges for `--debug`: method, URL and status of every
//! request the client sends, never a header or a body.
//!
//! Credentials travel in headers (`Authorization`) and token request
//! bodies, which are never logged. URLs of requests sent without our
//! credentials to another host (a blob redirected to storage) are logged
//! without their query, which for presigned storage URLs is a credential.

use std::fmt;

use reqwest::Url;

/// One request and how it ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpExchange {
    /// `GET`, `HEAD`, `PUT`, ...
    pub method: String,
    /// The URL, without the query for requests to foreign hosts.
    pub url: String,
    /// The status, or why no answer came (a network error).
    pub outcome: std::result::Result<u16, String>,
    /// A request to a token service rather than the registry.
    pub token: bool,
}

impl fmt::Display for HttpExchange {
    /// `GET http://host/v2/... -> 200`, `GET ... -> error: ...`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = if self.token { " (token)" } else { "" };
        write!(f, "{} {}{what} -> ", self.method, self.url)?;
        match &self.outcome {
            Ok(status) => write!(f, "{status}"),
            Err(e) => write!(f, "error: {e}"),
        }
    }
}

/// A sink for the exchange log; any `Fn(&HttpExchange) + Send + Sync`
/// closure is one.
pub trait HttpLog: Send + Sync {
    /// Receives one finished exchange.
    fn on_exchange(&self, exchange: &HttpExchange);
}

impl<F: Fn(&HttpExchange) + Send + Sync> HttpLog for F {
    fn on_exchange(&self, exchange: &HttpExchange) {
        self(exchange)
    }
}

/// The URL as logged: without its query when `hide_query`, and never with
/// user info.
pub(crate) fn loggable_url(url: &Url, hide_query: bool) -> String {
    let mut url = url.clone();
    let _ = url.set_username("");
    let _ = url.set_password(None);
    if hide_query && url.query().is_some() {
        url.set_query(None);
        return format!("{url}?<hidden>");
    }
    url.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_lose_user_info_and_foreign_queries() {
        let url = Url::parse("https://u:p@s3.example/b?X-Amz-Signature=abc").unwrap();
        assert_eq!(loggable_url(&url, true), "https://s3.example/b?<hidden>");
        assert_eq!(
            loggable_url(&url, false),
            "https://s3.example/b?X-Amz-Signature=abc"
        );
        let exchange = HttpExchange {
            method: "GET".into(),
            url: "http://r/v2/".into(),
            outcome: Ok(401),
            token: false,
        };
        assert_eq!(exchange.to_string(), "GET http://r/v2/ -> 401");
    }
}
