#!/usr/bin/env python3
"""A fault-injecting reverse proxy in front of a real registry, for tests.

Listens on 127.0.0.1 only (plus a "storage host" on 127.0.0.2 for
redirects). Requests pass through unchanged unless the repository's first
path component is `faults` and the second starts with a fault name:

  /v2/faults/reset-*/blobs/...      first GET of each blob: half the body, then a TCP reset
  /v2/faults/ratelimit-*/manifests  first 2 GETs: 429 with Retry-After: 1 and rate-limit headers
  /v2/faults/burst503-*/...         first 3 requests: 503
  /v2/faults/always429-*/...        every request: 429 with rate-limit headers
  /v2/faults/truncate-*/blobs/...   every blob GET: the body cut short (lengths consistent)
  /v2/faults/textplain-*/manifests  manifests answered as Content-Type: text/plain
  /v2/faults/baddigest-*/manifests  a wrong Docker-Content-Digest
  /v2/faults/redirect-*/blobs/...   authorized blob GETs: 307 to http://127.0.0.2:PORT/storage/ID
  /v2/faults/patchreset-*/blobs/uploads/...  first PATCH: forwarded, then the answer is a reset
  /v2/faults/putreset-*/blobs/uploads/...    first PUT with a body: a reset, nothing forwarded
  /v2/faults/slow-*/...             every request waits 0.2 s; the most in flight at once is kept
  /v2/faults/stall-*/...            every request waits 2 s (for clients that give up first)
  /v2/faults/lag-*/...              every request waits 0.2 s (not counted, unlike slow)
  /v2/*referrers-api*/referrers/D   an OCI index stored with PUT /__control__/referrers/D

Control: GET /__control__/storage-log lists the headers the storage host
received; /__control__/max-in-flight the most `slow` requests at once;
/__control__/user-agents every User-Agent seen; /__control__/forwarded how
many requests came as a forward proxy's (absolute URIs, as HTTP_PROXY
clients send them). Each connection serves at most 1000 requests and idles out
after 30 s; the storage host forgets redirects after 1000 entries.
"""

import argparse
import http.client
import json
import re
import secrets
import socket
import struct
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "te", "trailer", "upgrade",
              "proxy-authorization", "proxy-authenticate", "content-length"}
FAULT_RE = re.compile(r"^/v2/faults/([a-z0-9]+)-[^/]*/")
MAX_REQUESTS_PER_CONNECTION = 1000
MAX_REDIRECTS_KEPT = 1000


class State:
    def __init__(self, upstream, storage_port):
        self.upstream = upstream
        self.storage_port = storage_port
        self.lock = threading.Lock()
        self.counts = {}
        self.redirects = {}
        self.storage_log = []
        self.referrers = {}
        self.forwarded = 0
        self.in_flight = 0
        self.max_in_flight = 0
        self.user_agents = set()

    def count(self, key):
        with self.lock:
            self.counts[key] = self.counts.get(key, 0) + 1
            return self.counts[key]


def upstream_request(state, method, path, headers, body):
    conn = http.client.HTTPConnection(state.upstream, timeout=60)
    try:
        conn.request(method, path, body=body, headers=headers)
        resp = conn.getresponse()
        data = resp.read() if method != "HEAD" else b""
        return resp.status, resp.getheaders(), data
    finally:
        conn.close()


class Bounded(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    timeout = 30

    def handle(self):
        self.close_connection = True
        self.handle_one_request()
        served = 1
        while not self.close_connection and served < MAX_REQUESTS_PER_CONNECTION:
            self.handle_one_request()
            served += 1

    def log_message(self, fmt, *args):
        pass

    def reply(self, status, headers, body, head=False):
        self.send_response(status)
        for name, value in headers:
            if name.lower() not in HOP_BY_HOP:
                self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if not head:
            self.wfile.write(body)

    def reply_json(self, status, obj, extra=()):
        self.reply(status, [("Content-Type", "application/json"), *extra], json.dumps(obj).encode())

    def request_body(self):
        length = int(self.headers.get("Content-Length", "0") or 0)
        return self.rfile.read(length) if length else None

    def forwarded_headers(self):
        return {k: v for k, v in self.headers.items() if k.lower() not in HOP_BY_HOP}


def proxy_handler(state):
    class Proxy(Bounded):
        def do_GET(self):
            self.route("GET")

        def do_HEAD(self):
            self.route("HEAD")

        def do_PUT(self):
            self.route("PUT")

        def do_POST(self):
            self.route("POST")

        def do_PATCH(self):
            self.route("PATCH")

        def do_DELETE(self):
            self.route("DELETE")

        def route(self, method):
            body = self.request_body()
            if self.path.startswith("http://"):
                # Used as a forward proxy (HTTP_PROXY): keep only the path.
                with state.lock:
                    state.forwarded += 1
                parts = self.path.split("/", 3)
                self.path = "/" + (parts[3] if len(parts) > 3 else "")
            if self.path.startswith("/__control__/"):
                return self.control(method, body)
            if "referrers-api" in self.path and "/referrers/" in self.path and method == "GET":
                digest = self.path.split("/referrers/", 1)[1].split("?", 1)[0]
                index = state.referrers.get(digest, {"schemaVersion": 2, "mediaType":
                                                     "application/vnd.oci.image.index.v1+json",
                                                     "manifests": []})
                return self.reply(200, [("Content-Type", "application/vnd.oci.image.index.v1+json")],
                                  json.dumps(index).encode())
            match = FAULT_RE.match(self.path)
            fault = match.group(1) if match else None
            with state.lock:
                state.user_agents.add(self.headers.get("User-Agent", ""))
            if fault == "stall":
                time.sleep(2)
            if fault == "lag":
                time.sleep(0.2)
            if fault == "slow":
                with state.lock:
                    state.in_flight += 1
                    state.max_in_flight = max(state.max_in_flight, state.in_flight)
                # Counted only while held here: once the reply is written
                # the client may start its next request before this thread
                # runs again, which would count one request too many.
                try:
                    time.sleep(0.2)
                finally:
                    with state.lock:
                        state.in_flight -= 1
                return self.pass_through(method, body, fault)
            is_upload = "/blobs/uploads/" in self.path
            if fault == "putreset" and is_upload and method == "PUT" and body \
                    and state.count(("putreset", FAULT_RE.match(self.path).group(0))) == 1:
                return self.reset_now()
            if fault == "patchreset" and is_upload and method == "PATCH" \
                    and state.count(("patchreset", FAULT_RE.match(self.path).group(0))) == 1:
                upstream_request(state, method, self.path, self.forwarded_headers(), body)
                return self.reset_now()
            is_blob_get = method == "GET" and "/blobs/sha" in self.path
            if fault == "burst503" and state.count(("503", self.path.split("?")[0])) <= 3:
                return self.reply_json(503, {"errors": [{"code": "UNAVAILABLE", "message": "burst"}]})
            if fault == "always429":
                return self.reply_json(429, {"errors": [{"code": "TOOMANYREQUESTS", "message": "slow down"}]},
                                       [("RateLimit-Limit", "100;w=21600"), ("RateLimit-Remaining", "0;w=21600")])
            if fault == "ratelimit" and "/manifests/" in self.path and method == "GET" \
                    and state.count(("429", self.path)) <= 2:
                return self.reply_json(429, {"errors": [{"code": "TOOMANYREQUESTS", "message": "slow down"}]},
                                       [("Retry-After", "1"), ("RateLimit-Remaining", "0;w=60")])
            if fault == "redirect" and is_blob_get and "Authorization" in self.headers:
                token = secrets.token_hex(8)
                with state.lock:
                    if len(state.redirects) >= MAX_REDIRECTS_KEPT:
                        state.redirects.clear()
                    state.redirects[token] = (self.path, self.headers.get("Authorization"))
                where = f"http://127.0.0.2:{state.storage_port}/storage/{token}"
                return self.reply(307, [("Location", where)], b"")
            self.pass_through(method, body, fault)

        def pass_through(self, method, body, fault):
            is_blob_get = method == "GET" and "/blobs/sha" in self.path
            status, headers, data = upstream_request(state, method, self.path, self.forwarded_headers(), body)
            if fault in ("textplain", "baddigest") and "/manifests/" in self.path:
                wrong = "sha256:" + "0" * 64
                headers = [(k, "text/plain; charset=utf-8" if k.lower() == "content-type" and fault == "textplain"
                            else wrong if k.lower() == "docker-content-digest" and fault == "baddigest" else v)
                           for k, v in headers]
            if fault == "truncate" and is_blob_get and status in (200, 206) and len(data) > 10:
                data = data[:-10]
                headers = [(k, v) for k, v in headers if k.lower() != "content-range"]
                status = 200
            if fault == "reset" and is_blob_get and status == 200 and "Range" not in self.headers \
                    and state.count(("reset", self.path)) == 1:
                return self.reset_midway(headers, data)
            self.reply(status, headers, data, head=(method == "HEAD"))

        def reset_now(self):
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.connection.close()
            self.close_connection = True

        def reset_midway(self, headers, data):
            self.send_response(200)
            for name, value in headers:
                if name.lower() not in HOP_BY_HOP:
                    self.send_header(name, value)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data[: len(data) // 2])
            self.wfile.flush()
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.connection.close()
            self.close_connection = True

        def control(self, method, body):
            if self.path == "/__control__/storage-log" and method == "GET":
                with state.lock:
                    return self.reply_json(200, state.storage_log)
            if self.path == "/__control__/max-in-flight" and method == "GET":
                with state.lock:
                    return self.reply_json(200, state.max_in_flight)
            if self.path == "/__control__/forwarded" and method == "GET":
                with state.lock:
                    return self.reply_json(200, state.forwarded)
            if self.path == "/__control__/user-agents" and method == "GET":
                with state.lock:
                    return self.reply_json(200, sorted(state.user_agents))
            if self.path.startswith("/__control__/referrers/") and method == "PUT":
                digest = self.path.rsplit("/", 1)[1]
                state.referrers[digest] = json.loads(body or b"{}")
                return self.reply_json(201, {})
            self.reply_json(404, {"error": "unknown control"})

    return Proxy


def storage_handler(state):
    class Storage(Bounded):
        def do_GET(self):
            with state.lock:
                state.storage_log.append({k.lower(): v for k, v in self.headers.items()})
                entry = state.redirects.get(self.path.rsplit("/", 1)[-1])
            if entry is None:
                return self.reply_json(404, {"error": "unknown"})
            path, authorization = entry
            headers = {}
            if authorization:
                headers["Authorization"] = authorization
            if "Range" in self.headers:
                headers["Range"] = self.headers["Range"]
            status, upstream_headers, data = upstream_request(state, "GET", path, headers, None)
            self.reply(status, upstream_headers, data)

    return Storage


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--storage-port", type=int, required=True)
    p.add_argument("--upstream", required=True, help="127.0.0.1:PORT of the real registry")
    args = p.parse_args()
    state = State(args.upstream, args.storage_port)
    proxy = ThreadingHTTPServer(("127.0.0.1", args.port), proxy_handler(state))
    storage = ThreadingHTTPServer(("127.0.0.2", args.storage_port), storage_handler(state))
    for server in (proxy, storage):
        server.daemon_threads = True
    threading.Thread(target=storage.serve_forever, daemon=True).start()
    print(f"fault proxy on 127.0.0.1:{args.port} -> {args.upstream}", flush=True)
    proxy.serve_forever()


if __name__ == "__main__":
    main()
