#!/usr/bin/env python3
"""A small token issuer for the distribution registry's token auth.

Listens on 127.0.0.1 only. At start it makes a P-256 key and a self-signed
certificate, writes the certificate to --cert (the registry's
rootcertbundle), then answers:

  GET  /token?service=S&scope=...&scope=...   (Basic credentials or none)
  POST /token  grant_type=password|refresh_token (OAuth2 form)

Known users get every action they ask for; anonymous clients get nothing
(so the registry answers 401); --blocked-user names are refused with 403. Each request is appended to --log as one
JSON line, so tests can check which scopes were asked for together.
"""

import argparse
import base64
import datetime
import json
import os
import secrets
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature
from cryptography.x509.oid import NameOID


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


class Issuer:
    def __init__(self, args):
        self.issuer = args.issuer
        self.service = args.service
        self.users = dict(u.split(":", 1) for u in args.user)
        self.refresh_tokens = {args.refresh_token: args.refresh_user} if args.refresh_token else {}
        self.blocked = set(args.blocked_user)
        self.log_path = args.log
        self.lock = threading.Lock()
        self.key = ec.generate_private_key(ec.SECP256R1())
        name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "tranship test token issuer")])
        now = datetime.datetime.now(datetime.timezone.utc)
        self.cert = (
            x509.CertificateBuilder()
            .subject_name(name)
            .issuer_name(name)
            .public_key(self.key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(days=1))
            .not_valid_after(now + datetime.timedelta(days=30))
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(self.key, hashes.SHA256())
        )
        with open(args.cert, "wb") as f:
            f.write(self.cert.public_bytes(serialization.Encoding.PEM))

    def log(self, record):
        if not self.log_path:
            return
        with self.lock, open(self.log_path, "a") as f:
            f.write(json.dumps(record) + "\n")

    def access(self, scopes):
        """Every requested action on every scope; type split from the left,
        actions from the right (names may hold ':')."""
        out = []
        for scope in scopes:
            for one in scope.split(" "):
                if one.count(":") < 2:
                    continue
                kind, rest = one.split(":", 1)
                name, actions = rest.rsplit(":", 1)
                out.append({"type": kind, "name": name, "actions": [a for a in actions.split(",") if a]})
        return out

    def token(self, account, scopes):
        header = {
            "typ": "JWT",
            "alg": "ES256",
            "x5c": [base64.b64encode(self.cert.public_bytes(serialization.Encoding.DER)).decode()],
        }
        now = int(time.time())
        claims = {
            "iss": self.issuer,
            "sub": account or "",
            "aud": self.service,
            "exp": now + 300,
            "nbf": now - 10,
            "iat": now,
            "jti": secrets.token_hex(16),
            "access": self.access(scopes) if account else [],
        }
        signing_input = b64url(json.dumps(header).encode()) + "." + b64url(json.dumps(claims).encode())
        der = self.key.sign(signing_input.encode(), ec.ECDSA(hashes.SHA256()))
        r, s = decode_dss_signature(der)
        signature = r.to_bytes(32, "big") + s.to_bytes(32, "big")
        return signing_input + "." + b64url(signature)


def handler_for(issuer: Issuer):
    class Handler(BaseHTTPRequestHandler):
        timeout = 30

        def log_message(self, fmt, *args):
            pass

        def answer(self, status, body):
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def basic_account(self):
            value = self.headers.get("Authorization", "")
            if not value.startswith("Basic "):
                return None, True
            try:
                user, password = base64.b64decode(value[6:]).decode().split(":", 1)
            except Exception:
                return None, False
            return user, issuer.users.get(user) == password

        def grant(self, account, scopes, how, refresh=None):
            token = issuer.token(account, scopes)
            issuer.log({"how": how, "account": account, "scopes": scopes})
            body = {"token": token, "access_token": token, "expires_in": 300,
                    "issued_at": datetime.datetime.now(datetime.timezone.utc).isoformat()}
            if refresh:
                body["refresh_token"] = refresh
            self.answer(200, body)

        def do_GET(self):
            url = urllib.parse.urlsplit(self.path)
            if url.path != "/token":
                return self.answer(404, {"error": "not found"})
            query = urllib.parse.parse_qs(url.query)
            account, valid = self.basic_account()
            if account in issuer.blocked:
                issuer.log({"how": "GET", "account": account, "refused": True})
                return self.answer(403, {"details": "account blocked"})
            if not valid:
                issuer.log({"how": "GET", "account": account, "refused": True})
                return self.answer(401, {"details": "bad credentials"})
            self.grant(account, query.get("scope", []), "GET")

        def do_POST(self):
            if urllib.parse.urlsplit(self.path).path != "/token":
                return self.answer(404, {"error": "not found"})
            length = min(int(self.headers.get("Content-Length", "0")), 1 << 20)
            form = urllib.parse.parse_qs(self.rfile.read(length).decode())
            grant = form.get("grant_type", [""])[0]
            scopes = form.get("scope", [])
            if grant == "refresh_token":
                account = issuer.refresh_tokens.get(form.get("refresh_token", [""])[0])
                if account is None:
                    issuer.log({"how": "POST refresh_token", "refused": True})
                    return self.answer(401, {"error": "invalid_grant"})
                return self.grant(account, scopes, "POST refresh_token")
            if grant == "password":
                user = form.get("username", [""])[0]
                if issuer.users.get(user) != form.get("password", [None])[0]:
                    return self.answer(401, {"error": "invalid_grant"})
                refresh = secrets.token_hex(16)
                issuer.refresh_tokens[refresh] = user
                return self.grant(user, scopes, "POST password", refresh)
            self.answer(400, {"error": "unsupported_grant_type"})

    return Handler


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--cert", required=True)
    p.add_argument("--issuer", default="tranship-test-issuer")
    p.add_argument("--service", default="tranship-test-registry")
    p.add_argument("--user", action="append", default=[], help="user:password")
    p.add_argument("--refresh-token")
    p.add_argument("--refresh-user")
    p.add_argument("--blocked-user", action="append", default=[],
                   help="a user whose token requests are refused with 403")
    p.add_argument("--log")
    args = p.parse_args()
    issuer = Issuer(args)
    server = ThreadingHTTPServer(("127.0.0.1", args.port), handler_for(issuer))
    server.daemon_threads = True
    print(f"token issuer on 127.0.0.1:{args.port}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
