use super::*;

fn parsed(input: &str) -> Address {
    match input.parse() {
        Ok(a) => a,
        Err(e) => panic!("{input}: {e}"),
    }
}

fn refused(input: &str) -> (String, String) {
    match input.parse::<Address>() {
        Ok(a) => panic!("{input} parsed as {a:?}"),
        Err(e) => (e.code().to_string(), e.to_string()),
    }
}

fn path_of(a: &Address) -> &str {
    a.path().and_then(Path::to_str).unwrap_or_default()
}

#[test]
fn bare_and_docker_references_are_the_same() {
    for input in [
        "alpine",
        "docker://alpine",
        "docker://docker.io/library/alpine:latest",
    ] {
        let a = parsed(input);
        assert_eq!(a.transport(), "docker");
        assert_eq!(a.to_string(), "docker://docker.io/library/alpine:latest");
        assert_eq!(a.path(), None);
    }
    let a = parsed("[::1]:5000/app:v1");
    assert_eq!(a.reference().map(Reference::registry), Some("[::1]:5000"));
    assert_eq!(parsed("localhost:5000/app").transport(), "docker");
}

#[test]
fn docker_needs_two_slashes() {
    let (code, message) = refused("docker:alpine");
    assert_eq!(code, "INVALID_ADDRESS");
    assert!(message.contains("`//`"), "{message}");
    assert!(message.contains("docker://alpine"), "{message}");
    assert!(refused("docker:/alpine")
        .1
        .ends_with("expected docker://REF"));
    assert_eq!(refused("docker://").0, "INVALID_ADDRESS");
    assert_eq!(refused("docker://Alpine").0, "INVALID_REFERENCE");
}

#[test]
fn oci_names_may_hold_colons() {
    let a = parsed("oci:/l:localhost:5000/app:v1");
    assert_eq!(path_of(&a), "/l");
    assert_eq!(a.name(), Some("localhost:5000/app:v1"));
    assert_eq!(a.to_string(), "oci:/l:localhost:5000/app:v1");
    let a = parsed("oci:/l:");
    assert_eq!((path_of(&a), a.name()), ("/l", None));
    assert_eq!(a.to_string(), "oci:/l");
    let a = parsed("oci-archive:x.tar:a--b/c.d+e@f");
    assert_eq!(a.name(), Some("a--b/c.d+e@f"));
}

#[test]
fn bad_oci_names_are_refused() {
    for (name, why) in [
        ("a---b", "separator `---`"),
        ("a-.b", "separator `-.`"),
        ("-a", "does not start"),
        ("a-", "does not end"),
        ("a//b", "empty part"),
        ("/a", "empty part"),
        ("a b", "contains ` `"),
        ("é", "does not start"),
        ("a\u{0}", "contains `\\0`"),
    ] {
        let (code, message) = refused(&format!("oci:/l:{name}"));
        assert_eq!(code, "INVALID_ADDRESS", "{name}");
        assert!(message.contains(why), "{name}: {message}");
    }
}

#[test]
fn windows_drives_stay_in_the_path() {
    let a = parsed(r"oci:C:\images\l:app");
    assert_eq!((path_of(&a), a.name()), (r"C:\images\l", Some("app")));
    let a = parsed("docker-archive:C:/x.tar:app:v1");
    assert_eq!(path_of(&a), "C:/x.tar");
    assert_eq!(
        a.reference().map(ToString::to_string).as_deref(),
        Some("docker.io/library/app:v1")
    );
    let a = parsed(r"oci-archive:d:\x.tar");
    assert_eq!((path_of(&a), a.name()), (r"d:\x.tar", None));
    // Not a drive: a path of one letter, then a name.
    let a = parsed("oci:C:app");
    assert_eq!((path_of(&a), a.name()), ("C", Some("app")));
    let a = parsed(r"oci:C:\");
    assert_eq!((path_of(&a), a.name()), (r"C:\", None));
}

#[test]
fn archive_images_by_tag_or_index() {
    let a = parsed("docker-archive:x.tar");
    assert!(matches!(
        a,
        Address::DockerArchive {
            image: ArchiveImage::Unspecified,
            ..
        }
    ));
    assert_eq!(parsed("docker-archive:x.tar:@0").index(), Some(0));
    assert_eq!(
        parsed("docker-archive:x.tar:@007").to_string(),
        "docker-archive:x.tar:@7"
    );
    for bad in [
        "@-1",
        "@x",
        "@",
        "@+1",
        "@ 1",
        "@4294967296",
        "@99999999999999999999999",
    ] {
        let (code, message) = refused(&format!("docker-archive:x.tar:{bad}"));
        assert_eq!(code, "INVALID_ADDRESS", "{bad}");
        assert!(message.contains("index"), "{bad}: {message}");
    }
    assert_eq!(
        parsed("docker-archive:x.tar:@4294967295").index(),
        Some(4294967295)
    );
    let hex = "f".repeat(64);
    let (code, message) = refused(&format!("docker-archive:x.tar:alpine@sha256:{hex}"));
    assert_eq!(code, "INVALID_ADDRESS");
    assert!(message.contains("by tag"), "{message}");
    assert_eq!(
        refused("docker-archive:x.tar:Alpine").0,
        "INVALID_REFERENCE"
    );
    assert_eq!(refused("docker-archive:x.tar:").0, "INVALID_ADDRESS");
}

#[test]
fn empty_paths_are_refused() {
    for input in [
        "oci:",
        "oci::app",
        "oci-archive:",
        "docker-archive:",
        "docker-archive::@0",
    ] {
        let (code, message) = refused(input);
        assert_eq!(code, "INVALID_ADDRESS", "{input}");
        assert!(message.contains("path is empty"), "{input}: {message}");
    }
}

#[test]
fn other_transports_are_named() {
    for input in [
        "dir:/tmp/x",
        "containers-storage:alpine",
        "docker-daemon:alpine:latest",
        "ostree:x@/repo",
        "sif:x.sif",
        "tarball:x.tar",
        "ftp://host/x",
    ] {
        let (code, message) = refused(input);
        assert_eq!(code, "INVALID_ADDRESS", "{input}");
        assert!(message.contains("oci-archive:FILE"), "{input}: {message}");
    }
    // Not a transport: a reference, which may be wrong as one.
    assert_eq!(refused("OCI:/x").0, "INVALID_REFERENCE");
    assert_eq!(
        parsed("foo:bar").to_string(),
        "docker://docker.io/library/foo:bar"
    );
}

#[test]
fn display_parses_back() {
    for input in [
        "alpine@sha256:ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
        "oci:/l:localhost:5000/app:v1",
        r"oci:C:\l",
        "oci-archive:x.tar:v1",
        "docker-archive:x.tar",
        "docker-archive:/x.tar:localhost:5000/a:v1",
        "docker-archive:x.tar:@3",
    ] {
        let a = parsed(input);
        assert_eq!(parsed(&a.to_string()), a, "{input}");
    }
}

#[test]
fn report_has_every_field() {
    let r = parsed("docker-archive:/x.tar:@2").report();
    assert_eq!(
        r,
        AddressReport {
            transport: "docker-archive".into(),
            path: Some("/x.tar".into()),
            name: None,
            reference: None,
            index: Some(2),
            text: "docker-archive:/x.tar:@2".into(),
        }
    );
}

#[test]
fn odd_input_never_panics() {
    let long = "x".repeat(100_000);
    for input in [
        "",
        ":",
        "::",
        ":::",
        "a:",
        "oci",
        "oci:C",
        "oci:C:",
        "oci:C:\\",
        "oci:é:é",
        "docker-archive:é:@é",
        "docker-archive:x:@\u{300}",
        "//",
        "docker:",
        "docker:/",
        "\u{0}:\u{0}",
        &long,
        &format!("oci:/l:{long}-"),
        &format!("docker-archive:x:@{long}"),
    ] {
        let _ = input.parse::<Address>();
    }
    let (_, message) = refused(&format!("oci:/l:{long}-"));
    assert!(message.len() < 1000, "the error quotes the whole input");
}
