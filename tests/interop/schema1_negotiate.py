"""The negotiate corpus: manifests of every kind stored in one repository
of the real registry, fetched by tag and by digest with many Accept
headers; each answer (status, Content-Type, Docker-Content-Digest, Etag)
becomes a case."""

import json
import pathlib

from registry_client import jws_payload, sha256
from schema1_images import IMAGES, compact

REPO = "corpus/negotiate"
S2 = "application/vnd.docker.distribution.manifest.v2+json"
LIST = "application/vnd.docker.distribution.manifest.list.v2+json"
PJWS = "application/vnd.docker.distribution.manifest.v1+prettyjws"
OCI = "application/vnd.oci.image.manifest.v1+json"
OCII = "application/vnd.oci.image.index.v1+json"
EMPTY = "sha256:a3ed95caeb02ffe68cdd9fd84406680ae93d633cb16422d00e8a7c22955b46d4"
EXAMPLE = pathlib.Path(__file__).resolve().parents[2] / "examples/hello-schema1"


def entry(media_type, body, os_, arch, variant=None):
    platform = {"architecture": arch, "os": os_}
    if variant:
        platform["variant"] = variant
    return {"mediaType": media_type, "size": len(body), "digest": sha256(body),
            "platform": platform}


def documents():
    """The stored documents by tag: (bytes, content type, amd64 child key)."""
    img = IMAGES
    s2 = lambda k: img[k].schema2_twin()  # noqa: E731
    docs = {
        "schema2": (s2("mid-empty"), S2, None),
        "list": (compact({"schemaVersion": 2, "mediaType": LIST, "manifests": [
            entry(S2, s2("arm"), "linux", "arm64", "v8"),
            entry(S2, s2("text"), "linux", "x86_64"),
            entry(S2, s2("mid-empty"), "linux", "amd64", "v3"),
            entry(S2, s2("amd-b"), "linux", "amd64")]}), LIST, "mid-empty"),
        "list-noamd": (compact({"schemaVersion": 2, "mediaType": LIST, "manifests": [
            entry(S2, s2("arm"), "linux", "arm64", "v8"),
            entry(S2, s2("windows"), "windows", "amd64")]}), LIST, None),
        "list-oci-child": (compact({"schemaVersion": 2, "mediaType": LIST, "manifests": [
            entry(OCI, img["oci"].manifest, "linux", "amd64")]}), LIST, "oci"),
        "oci": (img["oci"].manifest, OCI, None),
        "oci-index": (compact({"schemaVersion": 2, "mediaType": OCII, "manifests": [
            entry(OCI, img["oci"].manifest, "linux", "amd64")]}), OCII, None),
        "oci-index-nomt": (compact({"schemaVersion": 2, "manifests": [
            entry(OCI, img["oci"].manifest, "linux", "amd64")]}), OCII, None),
        "schema1": ((EXAMPLE / "manifest.json").read_bytes(), PJWS, None),
    }
    return docs


# (document, Accept headers, by digest, slug, what the case proves)
TABLE = [
    ("schema2", [S2], False, "accepted",
     "schema2 accepted: served as stored"),
    ("schema2", [], False, "no-accept",
     "no Accept header: an old client gets the schema1 conversion, which needs the empty layer"),
    ("schema2", [PJWS], False, "schema1-only",
     "only schema1 accepted: converted"),
    ("schema2", ["*/*"], False, "wildcard",
     "a wildcard counts for nothing: converted"),
    ("schema2", [S2 + ";q=0.5"], False, "q-parameter",
     "parameters after `;` are cut"),
    ("schema2", ["application/json , " + S2 + " ; q=0.9"], False, "spaces",
     "spaces around items are trimmed"),
    ("schema2", ["application/json", S2], False, "two-headers",
     "several Accept headers are read together"),
    ("schema2", [S2.upper()], False, "uppercase",
     "media types compare case-sensitively: converted"),
    ("schema2", [LIST + ", " + OCI + ", " + OCII], False, "others-accepted",
     "lists and OCI accepted but not schema2: converted"),
    ("schema2", [], True, "no-accept",
     "by digest a manifest is never rewritten"),
    ("schema2", [PJWS], True, "schema1-only",
     "by digest, even a schema1-only client gets schema2"),
    ("list", [LIST], False, "accepted",
     "list accepted: served as stored"),
    ("list", [S2], False, "schema2-only",
     "list not accepted: the first linux/amd64 entry (variant ignored; `x86_64` does not count) is served"),
    ("list", [], False, "no-accept",
     "nothing accepted: the linux/amd64 entry is converted to schema1"),
    ("list", [PJWS, "*/*"], False, "schema1-wildcard",
     "schema1 and a wildcard: the linux/amd64 entry is converted"),
    ("list", [], True, "no-accept",
     "a list by digest is served as stored"),
    ("list", [S2, OCI], True, "schema2-oci",
     "a list by digest is served as stored whatever is accepted"),
    ("list-noamd", [S2], False, "schema2-only",
     "no linux/amd64 entry and lists not accepted: MANIFEST_UNKNOWN"),
    ("list-noamd", [], False, "no-accept",
     "no linux/amd64 entry, nothing accepted: MANIFEST_UNKNOWN"),
    ("list-noamd", [], True, "no-accept",
     "by digest the list is served even without a linux/amd64 entry"),
    ("list-oci-child", [S2], False, "schema2-only",
     "a list's OCI entry is served without checking that OCI is accepted"),
    ("oci", [S2], False, "schema2-only",
     "OCI manifest not accepted: MANIFEST_UNKNOWN, never schema1"),
    ("oci", [], True, "no-accept",
     "OCI manifest by digest, not accepted: MANIFEST_UNKNOWN"),
    ("oci", [OCI], False, "accepted",
     "OCI manifest accepted: served"),
    ("oci", ["*/*"], True, "wildcard",
     "a wildcard does not accept OCI"),
    ("oci-index", [OCI], False, "oci-manifest-only",
     "OCI index not accepted (only OCI manifests): MANIFEST_UNKNOWN"),
    ("oci-index", [OCII], True, "accepted",
     "OCI index accepted: served"),
    ("oci-index", [LIST], False, "list-only",
     "a Docker list type does not accept an OCI index"),
    ("oci-index-nomt", [], False, "no-accept",
     "an OCI index without `mediaType` is served whatever is accepted (distribution classifies by that field)"),
    ("schema1", [S2], False, "schema2-only",
     "a stored schema1 manifest is served as schema1"),
    ("schema1", [], True, "no-accept",
     "a stored schema1 manifest by digest"),
]


def negotiate_cases(reg, write, report, neg: pathlib.Path):
    docs = documents()
    store = neg / "data/store/blobs/sha256"
    for key in ["mid-empty", "arm", "text", "amd-b", "windows", "oci"]:
        image = IMAGES[key]
        for blob in image.layers + [image.config]:
            reg.push_blob(REPO, blob)
        child = image.manifest
        reg.put_manifest(REPO, sha256(child), child, OCI if image.oci else S2)
        (store / sha256(child)[7:]).parent.mkdir(parents=True, exist_ok=True)
        (store / sha256(child)[7:]).write_bytes(child)
        (store / sha256(image.config)[7:]).write_bytes(image.config)
    for blob in (EXAMPLE / "blobs/sha256").iterdir():
        reg.push_blob(REPO, blob.read_bytes())
    digests = {}
    for tag, (body, ct, _) in docs.items():
        write(neg / f"data/{tag}.json", body)
        digests[tag] = reg.put_manifest(REPO, tag, body, ct)
    empty_dir = neg / "data/empty-layer/blobs/sha256"
    empty_dir.mkdir(parents=True, exist_ok=True)
    (empty_dir / EMPTY[7:]).write_bytes((EXAMPLE / "blobs/sha256" / EMPTY[7:]).read_bytes())
    answers = []
    for tag, accept, by_digest, slug, about in TABLE:
        ref = digests[tag] if by_digest else tag
        status, ct, digest, etag, body = reg.get_manifest(REPO, ref, accept)
        inp = {"file": f"data/{tag}.json", "accept": accept, "by_digest": by_digest,
               "name": REPO, "tag": tag, "blobs": "data/store"}
        case = {"op": "negotiate", "about": about, "input": inp}
        if status == 404:
            assert json.loads(body)["errors"][0]["code"] == "MANIFEST_UNKNOWN", body
            case["error"] = "MANIFEST_UNKNOWN"
        else:
            assert status == 200 and etag == f'"{digest}"', (tag, status, etag)
            case["expect"] = expected(docs, tag, ct, digest, report)
            if ct == PJWS:
                assert sha256(jws_payload(body)) == digest
        answers.append(case.get("expect"))
        name = f"{tag}-by-{'digest' if by_digest else 'tag'}-{slug}.json"
        write(neg / name, case)
    hand_cases(write, neg, answers[1], report)


def expected(docs, tag, ct, digest, report):
    body, stored_ct, child = docs[tag]
    converted = ct == PJWS and stored_ct != PJWS
    source = child or ("mid-empty" if tag == "schema2" else None)
    selected = None
    if stored_ct == LIST and digest != sha256(body):
        selected = sha256(IMAGES[child].manifest)
    uses_empty = converted and b'"empty_layer":true' in IMAGES[source].config
    return {
        "content_type": ct,
        "digest": digest,
        "etag": f'"{digest}"',
        "converted": converted,
        "selected": selected,
        "needs_empty_layer": uses_empty,
        "report": report(IMAGES[source], digest, True) if converted else None,
        "signed": ct == PJWS,
    }


def hand_cases(write, neg, converted, report):
    """Cases about tranship's own inputs (where the config and blobs come
    from, signing), built on the registry's answer to a schema2 request
    by tag without Accept (`converted`)."""
    config = f"data/store/blobs/sha256/{sha256(IMAGES['mid-empty'].config)[7:]}"
    base = {"file": "data/schema2.json", "accept": [], "by_digest": False,
            "name": REPO, "tag": "schema2"}
    unsigned = {**converted, "content_type": "application/vnd.docker.distribution.manifest.v1+json",
                "signed": False,
                "report": report(IMAGES["mid-empty"], converted["digest"], False)}
    from schema1_corpus import KEYS, key_id
    keyed = {**converted, "key_id": key_id(KEYS / "p256-pkcs8.pem")}
    cases = [
        ("hand-config-missing", base, None, "BLOB_UNKNOWN",
         "converting needs the config: neither --config nor a blob store holds it"),
        ("hand-config-given", {**base, "config": config}, converted, None,
         "the config given directly; no blob store, so the empty layer must be stored"),
        ("hand-empty-layer-stored", {**base, "config": config, "blobs": "data/empty-layer"},
         {**converted, "needs_empty_layer": False}, None,
         "the blob store already holds the empty-gzip layer"),
        ("hand-unsigned", {**base, "config": config, "unsigned": True}, unsigned, None,
         "an unsigned schema1 answer: v1+json, same payload digest"),
        ("hand-signing-key", {**base, "config": config,
                              "signing_key": "../convert_v2s1/data/keys/p256-pkcs8.pem"},
         keyed, None, "the registry's own signing key signs the answer"),
        ("hand-list-child-missing", {"file": "data/list.json", "accept": [S2],
                                     "by_digest": False, "name": REPO, "tag": "list",
                                     "blobs": "data/empty-layer"}, None, "MANIFEST_UNKNOWN",
         "the list's linux/amd64 entry is not in the blob store: MANIFEST_UNKNOWN"),
    ]
    for name, inp, expect, error, about in cases:
        case = {"op": "negotiate", "about": about, "input": inp}
        if error:
            case["error"] = error
        else:
            case["expect"] = expect
        write(neg / f"{name}.json", case)
