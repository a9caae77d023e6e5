//! `WWW-Authenticate` challenges and token scopes.
//!
//! ```text
//! WWW-Authenticate: Bearer realm="https://auth.example/token",service="registry.example",scope="repository:a/b:pull"
//! ```

use std::collections::BTreeMap;
use std::fmt;

/// One authentication challenge: a scheme and its parameters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Challenge {
    /// The scheme, lowercased (`basic`, `bearer`).
    pub(crate) scheme: String,
    /// Parameters; names lowercased, values unquoted.
    pub(crate) params: BTreeMap<String, String>,
}

impl Challenge {
    pub(crate) fn param(&self, name: &str) -> Option<&str> {
        self.params.get(name).map(String::as_str)
    }

    /// The scopes a Bearer challenge asks for (`scope` holds several,
    /// separated by spaces).
    pub(crate) fn scopes(&self) -> Vec<Scope> {
        self.param("scope")
            .map(|s| s.split(' ').filter_map(Scope::parse).collect())
            .unwrap_or_default()
    }
}

/// Parses every challenge of a `WWW-Authenticate` value.
pub(crate) fn parse_challenges(value: &str) -> Vec<Challenge> {
    let mut out: Vec<Challenge> = Vec::new();
    let mut rest = value.trim_start();
    while !rest.is_empty() {
        let (token, after) = take_token(rest);
        let after = after.trim_start();
        if token.is_empty() {
            // Skip a stray separator or character we cannot read.
            rest = skip_one(after);
            continue;
        }
        if let Some(value_part) = after.strip_prefix('=') {
            let (value, after_value) = take_value(value_part.trim_start());
            if let Some(current) = out.last_mut() {
                current.params.insert(token.to_ascii_lowercase(), value);
            }
            rest = after_value
                .trim_start()
                .trim_start_matches(',')
                .trim_start();
        } else {
            out.push(Challenge {
                scheme: token.to_ascii_lowercase(),
                params: BTreeMap::new(),
            });
            rest = after.trim_start_matches(',').trim_start();
        }
    }
    out
}

fn skip_one(s: &str) -> &str {
    let mut chars = s.chars();
    chars.next();
    chars.as_str()
}

fn take_token(s: &str) -> (&str, &str) {
    let end = s
        .find(|c: char| c.is_whitespace() || c == '=' || c == ',' || c == '"')
        .unwrap_or(s.len());
    s.split_at(end)
}

fn take_value(s: &str) -> (String, &str) {
    let Some(quoted) = s.strip_prefix('"') else {
        let end = s.find([',', ' ']).unwrap_or(s.len());
        return (s[..end].to_string(), &s[end..]);
    };
    let mut value = String::new();
    let mut chars = quoted.char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            '\\' => {
                if let Some((_, escaped)) = chars.next() {
                    value.push(escaped);
                }
            }
            '"' => return (value, &quoted[i + 1..]),
            other => value.push(other),
        }
    }
    (value, "")
}

/// A token scope: `repository:team/app:pull,push`, `registry:catalog:*`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) struct Scope {
    pub(crate) kind: String,
    pub(crate) name: String,
    pub(crate) actions: Vec<String>,
}

impl Scope {
    /// A repository scope.
    pub(crate) fn repository(name: &str, actions: &[&str]) -> Self {
        Scope {
            kind: "repository".into(),
            name: name.into(),
            actions: actions.iter().map(|a| a.to_string()).collect(),
        }
    }

    /// Parses `type:name:actions`: the type is split from the left and
    /// the actions from the right, as names may hold `:`.
    pub(crate) fn parse(text: &str) -> Option<Scope> {
        let (kind, rest) = text.split_once(':')?;
        let (name, actions) = rest.rsplit_once(':')?;
        if kind.is_empty() || name.is_empty() {
            return None;
        }
        Some(Scope {
            kind: kind.into(),
            name: name.into(),
            actions: actions
                .split(',')
                .filter(|a| !a.is_empty())
                .map(str::to_string)
                .collect(),
        })
    }
}

impl fmt::Display for Scope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}", self.kind, self.name, self.actions.join(","))
    }
}

/// Merges scopes on the same resource, actions united, in a stable order.
pub(crate) fn merge_scopes(scopes: impl IntoIterator<Item = Scope>) -> Vec<Scope> {
    let mut by_resource: BTreeMap<(String, String), Vec<String>> = BTreeMap::new();
    for scope in scopes {
        let actions = by_resource.entry((scope.kind, scope.name)).or_default();
        for action in scope.actions {
            if !actions.contains(&action) {
                actions.push(action);
            }
        }
    }
    by_resource
        .into_iter()
        .map(|((kind, name), mut actions)| {
            actions.sort();
            Scope {
                kind,
                name,
                actions,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_bearer_with_quotes_and_escapes() {
        let c = parse_challenges(
            r#"Bearer realm="http://127.0.0.1:1/token",service="reg \"x\"",scope="repository:a/b:pull,push repository:c:pull""#,
        );
        assert_eq!(c.len(), 1);
        assert_eq!(c[0].scheme, "bearer");
        assert_eq!(c[0].param("realm"), Some("http://127.0.0.1:1/token"));
        assert_eq!(c[0].param("service"), Some(r#"reg "x""#));
        let scopes = c[0].scopes();
        assert_eq!(scopes[0].to_string(), "repository:a/b:pull,push");
        assert_eq!(scopes[1].to_string(), "repository:c:pull");
    }

    #[test]
    fn parses_several_challenges_and_bare_values() {
        let c = parse_challenges(
            r#"Basic realm="Registry Realm", Bearer realm=x, error="insufficient_scope""#,
        );
        assert_eq!(c.len(), 2);
        assert_eq!(c[0].scheme, "basic");
        assert_eq!(c[0].param("realm"), Some("Registry Realm"));
        assert_eq!(c[1].param("realm"), Some("x"));
        assert_eq!(c[1].param("error"), Some("insufficient_scope"));
        assert!(parse_challenges("").is_empty());
        assert_eq!(parse_challenges(",,=\"").len(), 0);
    }

    #[test]
    fn scopes_split_type_left_and_actions_right() {
        let s = Scope::parse("registry:catalog:*").unwrap();
        assert_eq!((s.kind.as_str(), s.name.as_str()), ("registry", "catalog"));
        let s = Scope::parse("repository:localhost:5000/a:pull").unwrap();
        assert_eq!(s.name, "localhost:5000/a");
        assert!(Scope::parse("repository").is_none());
        let merged = merge_scopes([
            Scope::repository("a", &["push"]),
            Scope::repository("b", &["pull"]),
            Scope::repository("a", &["pull", "push"]),
        ]);
        let text: Vec<String> = merged.iter().map(Scope::to_string).collect();
        assert_eq!(text, ["repository:a:pull,push", "repository:b:pull"]);
    }
}
