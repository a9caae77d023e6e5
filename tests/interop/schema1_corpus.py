#!/usr/bin/env python3
"""Writes the corpus cases of tests/corpus/convert_v2s1/ and
tests/corpus/negotiate/ from the answers of the real distribution
registry: every image below is pushed to it, and what it serves (the
schema1 payload, status, Content-Type, Docker-Content-Digest, Etag)
becomes the expected output. Refusals, which the registry does not make,
are written by hand below.

Usage: python3 tests/interop/schema1_corpus.py 127.0.0.1:PORT
(tests/interop/make-schema1-corpus starts a registry and runs this.)
"""

import json
import os
import pathlib
import subprocess
import sys

sys.path.insert(0, os.path.dirname(__file__))
from registry_client import Registry, jws_payload, sha256  # noqa: E402
from schema1_images import IMAGES, Image  # noqa: E402

ROOT = pathlib.Path(__file__).resolve().parents[2]
V2S1 = ROOT / "tests/corpus/convert_v2s1"
NEG = ROOT / "tests/corpus/negotiate"
KEYS = V2S1 / "data/keys"

S2 = "application/vnd.docker.distribution.manifest.v2+json"
PJWS = "application/vnd.docker.distribution.manifest.v1+prettyjws"


def write(path: pathlib.Path, data):
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, (dict, list)):
        data = (json.dumps(data, indent=2, ensure_ascii=False) + "\n").encode()
    path.write_bytes(data)


def make_keys():
    """P-256 keys in every accepted form, and two that are refused; made
    once, kept afterwards so key ids stay put."""
    if (KEYS / "p256-pkcs8.pem").exists():
        return
    KEYS.mkdir(parents=True, exist_ok=True)
    run = lambda *a: subprocess.run(a, check=True, capture_output=True).stdout  # noqa: E731
    run("openssl", "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256",
        "-out", str(KEYS / "p256-pkcs8.pem"))
    sec1 = run("openssl", "ec", "-in", str(KEYS / "p256-pkcs8.pem")).decode()
    lines = sec1.strip().splitlines()
    # libtrust writes its key id as a PEM header.
    lines.insert(1, "keyID: " + key_id(KEYS / "p256-pkcs8.pem"))
    lines.insert(2, "")
    write(KEYS / "p256-sec1.pem", ("\n".join(lines) + "\n").encode())
    text = run("openssl", "ec", "-in", str(KEYS / "p256-pkcs8.pem"), "-text", "-noout").decode()
    d, pub = hex_block(text, "priv:"), hex_block(text, "pub:")
    b64 = lambda b: __import__("base64").urlsafe_b64encode(b).rstrip(b"=").decode()  # noqa: E731
    d = d[-32:].rjust(32, b"\0")
    write(KEYS / "p256.jwk", {"kty": "EC", "crv": "P-256", "d": b64(d),
                              "x": b64(pub[1:33]), "y": b64(pub[33:65])})
    run("openssl", "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-384",
        "-out", str(KEYS / "p384.pem"))
    run("openssl", "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:1024",
        "-out", str(KEYS / "rsa.pem"))
    run("openssl", "rsa", "-in", str(KEYS / "rsa.pem"), "-traditional",
        "-out", str(KEYS / "rsa-traditional.pem"))


def hex_block(text: str, label: str) -> bytes:
    lines = text.splitlines()
    start = next(i for i, l in enumerate(lines) if l.strip() == label) + 1
    hexes = []
    for line in lines[start:]:
        if not line.startswith(" "):
            break
        hexes.append(line.strip())
    return bytes.fromhex("".join(hexes).replace(":", ""))


def key_id(pem: pathlib.Path) -> str:
    """libtrust key id: SHA-256 of the DER public key, 30 bytes, base32."""
    import base64
    import hashlib
    der = subprocess.run(["openssl", "pkey", "-in", str(pem), "-pubout", "-outform", "DER"],
                         check=True, capture_output=True).stdout
    text = base64.b32encode(hashlib.sha256(der).digest()[:30]).decode().rstrip("=")
    return ":".join(text[i:i + 4] for i in range(0, len(text), 4))


def lost(image: Image):
    out = ["config digest"]
    if image.layers:
        out += ["diff_ids", "layer sizes"]
    if image.annotations:
        out.append("annotations")
    return out


def report(image: Image, result_digest: str, signed: bool):
    return {
        "source_format": "oci-manifest" if image.oci else "schema2",
        "source_digest": sha256(image.manifest),
        "result_format": "schema1-signed" if signed else "schema1",
        "result_digest": result_digest,
        "source_config_digest": sha256(image.config),
        "result_config_digest": None,
        "lost": lost(image),
    }


def push_image(reg: Registry, repo: str, image: Image, ref: str) -> str:
    """Pushes the image (OCI images as their schema2 twin, which has the
    same config and layer digests) and returns the twin's digest."""
    for blob in image.layers + [image.config]:
        reg.push_blob(repo, blob)
    return reg.put_manifest(repo, ref, image.schema2_twin(), S2)


def registry_schema1(reg: Registry, repo: str, tag: str):
    status, ct, digest, _, body = reg.get_manifest(repo, tag, [PJWS])
    assert status == 200 and ct == PJWS, (repo, status, ct, body)
    payload = jws_payload(body)
    assert sha256(payload) == digest, (repo, digest)
    return payload.decode(), digest


def convert_cases(reg: Registry):
    """Cases from the registry's schema1 rendering of every image."""
    rendered = {}
    for key, image in IMAGES.items():
        write(V2S1 / f"data/{key}/manifest.json", image.manifest)
        write(V2S1 / f"data/{key}/config.json", image.config)
        if image.name is None:
            continue
        push_image(reg, image.name, image, image.tag)
        rendered[key] = registry_schema1(reg, image.name, image.tag)
        payload, digest = rendered[key]
        case = {"op": "convert", "about": image.about,
                "input": {"file": f"data/{key}/manifest.json", "to": "v2s1",
                          "config": f"data/{key}/config.json",
                          "name": image.name, "tag": image.tag, "unsigned": True},
                "expect": {"manifest": payload, "config": None,
                           "report": report(image, digest, False)}}
        write(V2S1 / f"v2s1-{key}.json", case)
    payload, digest = rendered["mid-empty"]
    image = IMAGES["mid-empty"]
    for key_file, about in [
        ("p256-pkcs8.pem", "signed with a PKCS#8 PEM key: the payload is the registry's, the signature verifies with that key"),
        ("p256-sec1.pem", "signed with a SEC1 PEM key carrying libtrust's keyID header"),
        ("p256.jwk", "signed with a JWK private key (as Docker's key.json)"),
        (None, "no key given: a fresh key is generated and the payload is unchanged"),
    ]:
        name = "generated" if key_file is None else key_file.replace(".pem", "").replace(".", "-")
        inp = {"file": "data/mid-empty/manifest.json", "to": "v2s1",
               "config": "data/mid-empty/config.json", "name": image.name, "tag": image.tag}
        expect = {"payload": payload, "signed": True}
        if key_file:
            inp["signing_key"] = f"data/keys/{key_file}"
            expect["key_id"] = key_id(KEYS / "p256-pkcs8.pem")
        expect.update({"config": None, "report": report(image, digest, True)})
        write(V2S1 / f"v2s1-signed-{name}.json",
              {"op": "convert", "about": about, "input": inp, "expect": expect})


def main():
    reg = Registry(sys.argv[1])
    make_keys()
    convert_cases(reg)
    from schema1_negotiate import negotiate_cases
    negotiate_cases(reg, write, report, NEG)
    from schema1_refusals import refusal_cases
    refusal_cases(write, V2S1)


if __name__ == "__main__":
    main()
