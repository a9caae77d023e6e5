//! containerd's `normalizeOS` and `normalizeArch` (`database.go`), with
//! `arm64`'s `v8` kept as `v8` as containerd's `Parse` does for a
//! three-part specifier.

/// Lowercases the os and turns `macos` into `darwin`.
pub(super) fn os(os: &str) -> String {
    let os = os.to_lowercase();
    match os.as_str() {
        "macos" => "darwin".to_string(),
        _ => os,
    }
}

/// Normalises an architecture and its variant; an empty variant is `None`.
pub(super) fn arch(arch: &str, variant: Option<&str>) -> (String, Option<String>) {
    let arch = arch.to_lowercase();
    let variant = variant.unwrap_or_default().to_lowercase();
    let (arch, variant): (&str, &str) = match arch.as_str() {
        "i386" => ("386", ""),
        "x86_64" | "x86-64" | "amd64" => (
            "amd64",
            if variant == "v1" {
                ""
            } else {
                variant.as_str()
            },
        ),
        "aarch64" | "arm64" => (
            "arm64",
            match variant.as_str() {
                "8" | "v8" | "v8.0" => "v8",
                "9" | "9.0" | "v9.0" => "v9",
                other => other,
            },
        ),
        "armhf" => ("arm", "v7"),
        "armel" => ("arm", "v6"),
        "arm" => (
            "arm",
            match variant.as_str() {
                "" | "7" => "v7",
                "5" => "v5",
                "6" => "v6",
                "8" => "v8",
                other => other,
            },
        ),
        other => (other, variant.as_str()),
    };
    let variant = (!variant.is_empty()).then(|| variant.to_string());
    (arch.to_string(), variant)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn n(a: &str, v: Option<&str>) -> (String, Option<String>) {
        arch(a, v)
    }

    fn p(a: &str, v: Option<&str>) -> (String, Option<String>) {
        (a.to_string(), v.map(str::to_string))
    }

    #[test]
    fn os_rules() {
        assert_eq!(os("Linux"), "linux");
        assert_eq!(os("MacOS"), "darwin");
        assert_eq!(os("WINDOWS"), "windows");
        assert_eq!(os("plan9"), "plan9");
    }

    #[test]
    fn amd64_aliases_and_v1() {
        assert_eq!(n("x86_64", None), p("amd64", None));
        assert_eq!(n("X86-64", Some("")), p("amd64", None));
        assert_eq!(n("amd64", Some("V1")), p("amd64", None));
        assert_eq!(n("amd64", Some("v3")), p("amd64", Some("v3")));
    }

    #[test]
    fn arm64_variants() {
        assert_eq!(n("aarch64", None), p("arm64", None));
        for v in ["8", "v8", "v8.0", "V8"] {
            assert_eq!(n("arm64", Some(v)), p("arm64", Some("v8")), "{v}");
        }
        for v in ["9", "9.0", "v9.0"] {
            assert_eq!(n("aarch64", Some(v)), p("arm64", Some("v9")), "{v}");
        }
        assert_eq!(n("arm64", Some("v8.2")), p("arm64", Some("v8.2")));
    }

    #[test]
    fn arm_variants() {
        assert_eq!(n("arm", None), p("arm", Some("v7")));
        assert_eq!(n("arm", Some("7")), p("arm", Some("v7")));
        assert_eq!(n("arm", Some("5")), p("arm", Some("v5")));
        assert_eq!(n("arm", Some("6")), p("arm", Some("v6")));
        assert_eq!(n("arm", Some("8")), p("arm", Some("v8")));
        assert_eq!(n("ARM", Some("V6")), p("arm", Some("v6")));
        assert_eq!(n("armhf", Some("v6")), p("arm", Some("v7")));
        assert_eq!(n("armel", None), p("arm", Some("v6")));
    }

    #[test]
    fn others() {
        assert_eq!(n("i386", Some("foo")), p("386", None));
        assert_eq!(n("s390x", None), p("s390x", None));
        assert_eq!(n("RISCV64", Some("RVA23")), p("riscv64", Some("rva23")));
    }
}
