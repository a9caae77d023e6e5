"""A tiny client for the distribution registry API, for test generators.

Only the standard library: push blobs and manifests, fetch manifests with
any number of Accept headers, and take a libtrust pretty JWS apart
(independently of tranship, so tranship's output can be judged by it).
"""

import base64
import hashlib
import http.client
import json
import urllib.parse


def sha256(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()


class Registry:
    def __init__(self, address: str):
        self.host, port = address.rsplit(":", 1)
        self.port = int(port)

    def request(self, method, path, body=None, headers=()):
        """Returns (status, headers as a list of (name, value), body)."""
        conn = http.client.HTTPConnection(self.host, self.port, timeout=30)
        conn.putrequest(method, path, skip_accept_encoding=True)
        for name, value in headers:
            conn.putheader(name, value)
        if body is not None:
            conn.putheader("Content-Length", str(len(body)))
        conn.endheaders(body)
        resp = conn.getresponse()
        data = resp.read()
        conn.close()
        return resp.status, resp.getheaders(), data

    def push_blob(self, repo: str, data: bytes) -> str:
        digest = sha256(data)
        status, _, _ = self.request("HEAD", f"/v2/{repo}/blobs/{digest}")
        if status == 200:
            return digest
        status, headers, body = self.request("POST", f"/v2/{repo}/blobs/uploads/", b"")
        if status != 202:
            raise RuntimeError(f"starting an upload to {repo}: {status} {body!r}")
        location = header(headers, "Location")
        parsed = urllib.parse.urlsplit(location)
        query = parsed.query + ("&" if parsed.query else "") + "digest=" + digest
        status, _, body = self.request(
            "PUT", f"{parsed.path}?{query}", data,
            [("Content-Type", "application/octet-stream")])
        if status != 201:
            raise RuntimeError(f"uploading {digest} to {repo}: {status} {body!r}")
        return digest

    def put_manifest(self, repo: str, ref: str, body: bytes, content_type: str) -> str:
        status, headers, answer = self.request(
            "PUT", f"/v2/{repo}/manifests/{ref}", body, [("Content-Type", content_type)])
        if status != 201:
            raise RuntimeError(f"putting manifest {repo}:{ref}: {status} {answer!r}")
        return header(headers, "Docker-Content-Digest")

    def get_manifest(self, repo: str, ref: str, accept=()):
        """Returns (status, content type, docker-content-digest, etag, body)."""
        status, headers, body = self.request(
            "GET", f"/v2/{repo}/manifests/{ref}", None, [("Accept", a) for a in accept])
        return (status, header(headers, "Content-Type"),
                header(headers, "Docker-Content-Digest"), header(headers, "Etag"), body)


def header(headers, name):
    for key, value in headers:
        if key.lower() == name.lower():
            return value
    return None


def b64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def jws_payload(signed: bytes) -> bytes:
    """The payload of a libtrust pretty JWS: bytes up to formatLength plus
    the decoded formatTail of the first signature."""
    body = json.loads(signed)
    protected = json.loads(b64url(body["signatures"][0]["protected"]))
    return signed[: protected["formatLength"]] + b64url(protected["formatTail"])
