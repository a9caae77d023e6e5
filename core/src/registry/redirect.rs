//! Redirects followed by hand: a registry may send a blob from a storage
//! host, and our `Authorization` header must not go there.

use reqwest::header::LOCATION;
use reqwest::Url;

use super::client::{Answer, Call, Client, Endpoint};
use crate::error::{Error, Result};

/// Most redirects followed for one request.
const MAX_REDIRECTS: usize = 5;

impl Client {
    /// Sends `call`, following redirects by hand: a hop to another host
    /// (scheme, host or port) is sent without our credentials.
    pub(crate) async fn follow(&self, mut call: Call, endpoint: &Endpoint) -> Result<Answer> {
        for _ in 0..MAX_REDIRECTS {
            let answer = self.send(&call).await?;
            if !answer.status().is_redirection() {
                return Ok(answer);
            }
            let Some(location) = answer
                .headers()
                .get(LOCATION)
                .and_then(|v| v.to_str().ok())
                .map(str::to_string)
            else {
                return Ok(answer);
            };
            let next = call.url.join(&location).map_err(|e| Error::Network {
                context: call.what.clone(),
                message: format!("bad redirect `{location}`: {e}"),
            })?;
            if !same_origin(&next, &endpoint.base) {
                call.anonymous = true;
                call.host = authority(&next);
            }
            call.url = next;
        }
        Err(Error::Network {
            context: call.what,
            message: format!("more than {MAX_REDIRECTS} redirects"),
        })
    }
}

/// Whether `url` is on the registry's own scheme, host and port.
fn same_origin(url: &Url, base: &str) -> bool {
    Url::parse(base).is_ok_and(|b| {
        b.scheme() == url.scheme()
            && b.host_str() == url.host_str()
            && b.port_or_known_default() == url.port_or_known_default()
    })
}

/// `host[:port]` of a URL.
fn authority(url: &Url) -> String {
    match (url.host_str(), url.port()) {
        (Some(host), Some(port)) => format!("{host}:{port}"),
        (Some(host), None) => host.to_string(),
        _ => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_same_scheme_host_and_port_is_the_same_origin() {
        let base = "http://127.0.0.1:5000";
        let url = |s: &str| Url::parse(s).unwrap();
        assert!(same_origin(&url("http://127.0.0.1:5000/v2/x"), base));
        assert!(!same_origin(&url("http://127.0.0.2:5000/v2/x"), base));
        assert!(!same_origin(&url("http://127.0.0.1:5001/v2/x"), base));
        assert!(!same_origin(&url("https://127.0.0.1:5000/v2/x"), base));
        assert!(same_origin(
            &url("https://r.example/x"),
            "https://r.example:443"
        ));
        assert_eq!(authority(&url("http://127.0.0.2:8080/a")), "127.0.0.2:8080");
        assert_eq!(authority(&url("https://s3.example/a")), "s3.example");
    }
}
