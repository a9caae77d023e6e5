//! Docker Hub's naming rules: which first part names a registry, the
//! `docker.io` default, the `library/` namespace and the short "familiar"
//! form, following `splitDockerDomain` and `familiarizeName` in
//! distribution/reference's `normalize.go`.

/// The registry a reference without one points at.
pub(super) const DOCKER_HUB: &str = "docker.io";

/// The old name of Docker Hub ("the Docker Index"), an alias of [`DOCKER_HUB`].
const LEGACY_DOCKER_HUB: &str = "index.docker.io";

/// Where Docker Hub's registry API actually answers. Only an endpoint: a
/// reference naming `registry-1.docker.io` is a different registry name.
const DOCKER_HUB_API: &str = "https://registry-1.docker.io";

/// The namespace of Docker Hub's official images, with its `/`.
const OFFICIAL_NAMESPACE: &str = "library/";

/// The tag a reference gets when it names neither a tag nor a digest.
pub(super) const DEFAULT_TAG: &str = "latest";

/// Splits a name (a reference without tag and digest) into the registry as
/// written, if the name has one, and the repository as written.
///
/// The first `/`-separated part names a registry when it is `localhost`,
/// contains `.` or `:`, or contains an uppercase letter. The last test is
/// distribution/reference's: repository components are never uppercase, so
/// such a part can only be a host (`Docker/app` is registry `Docker`). A
/// name without `/` never has a registry, so `localhost:5000` alone is
/// repository `localhost` with tag `5000`.
pub(super) fn split_registry(name: &str) -> (Option<&str>, &str) {
    match name.split_once('/') {
        Some((first, rest)) if names_registry(first) => (Some(first), rest),
        _ => (None, name),
    }
}

fn names_registry(first: &str) -> bool {
    first == "localhost" || first.contains(['.', ':']) || first.chars().any(char::is_uppercase)
}

/// Applies Docker Hub's defaults to a registry and repository as written:
/// no registry or `index.docker.io` means `docker.io`, and a one-part
/// repository on `docker.io` moves into `library/`.
pub(super) fn normalise(registry: Option<&str>, repository: &str) -> (String, String) {
    let registry = match registry {
        None | Some(LEGACY_DOCKER_HUB) => DOCKER_HUB,
        Some(other) => other,
    };
    let repository = if registry == DOCKER_HUB && !repository.contains('/') {
        format!("{OFFICIAL_NAMESPACE}{repository}")
    } else {
        repository.to_string()
    };
    (registry.to_string(), repository)
}

/// The name as Docker shows it: `docker.io/` dropped, and `library/`
/// dropped when what follows has no further `/`.
pub(super) fn familiar_name(registry: &str, repository: &str) -> String {
    if registry != DOCKER_HUB {
        return format!("{registry}/{repository}");
    }
    match repository.strip_prefix(OFFICIAL_NAMESPACE) {
        Some(official) if !official.contains('/') => official.to_string(),
        _ => repository.to_string(),
    }
}

/// The API base URL for Docker Hub, `None` for any other registry.
pub(super) fn api_endpoint(registry: &str) -> Option<&'static str> {
    (registry == DOCKER_HUB).then_some(DOCKER_HUB_API)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_part_names_a_registry_only_when_it_looks_like_a_host() {
        assert_eq!(split_registry("a/b"), (None, "a/b"));
        assert_eq!(split_registry("localhost/b"), (Some("localhost"), "b"));
        assert_eq!(split_registry("local/b"), (None, "local/b"));
        assert_eq!(split_registry("a.b/c/d"), (Some("a.b"), "c/d"));
        assert_eq!(split_registry("a:1/c"), (Some("a:1"), "c"));
        assert_eq!(split_registry("Docker/c"), (Some("Docker"), "c"));
        assert_eq!(split_registry("localhost:5000"), (None, "localhost:5000"));
        assert_eq!(split_registry("example.com"), (None, "example.com"));
    }

    #[test]
    fn docker_hub_defaults() {
        let n = |r, p| normalise(r, p);
        let hub = |p: &str| (DOCKER_HUB.to_string(), p.to_string());
        assert_eq!(n(None, "alpine"), hub("library/alpine"));
        assert_eq!(n(None, "user/app"), hub("user/app"));
        assert_eq!(n(Some("docker.io"), "alpine"), hub("library/alpine"));
        assert_eq!(n(Some("index.docker.io"), "a/b"), hub("a/b"));
        assert_eq!(
            n(Some("registry-1.docker.io"), "alpine"),
            ("registry-1.docker.io".to_string(), "alpine".to_string())
        );
    }

    #[test]
    fn familiar_names() {
        assert_eq!(familiar_name("docker.io", "library/alpine"), "alpine");
        assert_eq!(familiar_name("docker.io", "library/a/b"), "library/a/b");
        assert_eq!(familiar_name("docker.io", "user/app"), "user/app");
        assert_eq!(familiar_name("quay.io", "library/a"), "quay.io/library/a");
    }
}
