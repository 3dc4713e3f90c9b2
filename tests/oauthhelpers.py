"""A local OAuth 2.0 authorization server for the tests: device code (RFC 8628) and token
endpoints, with ``authorization_pending``, refresh-token rotation and revocation."""

from __future__ import annotations

import json
import threading
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from tests.pollhelpers import Setup, make_setup
from tests.services import Dovecot


@dataclass
class TokenServer:
    """What the server hands out; every request is recorded in ``requests``."""

    access_token: str  # what a refresh returns (Dovecot accepts only the right one)
    device_access_token: str = "short-lived-first-token"
    device_expires_in: int = 60  # under five minutes: the first use must refresh
    expires_in: int = 3600
    pending: int = 2  # authorization_pending answers before the device code is approved
    rotate: bool = True
    requests: list[dict[str, str]] = field(default_factory=list)
    valid_refresh: set[str] = field(default_factory=set)
    issued: int = 0
    port: int = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def revoke_all(self) -> None:
        self.valid_refresh.clear()

    def answer(self, path: str, form: dict[str, str]) -> tuple[int, dict[str, object]]:
        self.requests.append({"path": path, **form})
        if path == "/device":
            return 200, {
                "device_code": "device-code-1",
                "user_code": "WDJB-MJHT",
                "verification_uri": f"{self.url}/verify",
                "interval": 0.05,
                "expires_in": 60,
            }
        grant = form.get("grant_type", "")
        if grant.endswith(":device_code"):
            if self.pending > 0:
                self.pending -= 1
                return 400, {"error": "authorization_pending"}
            return 200, self._grant(self.device_access_token, self.device_expires_in)
        if grant == "refresh_token":
            token = form.get("refresh_token", "")
            if token not in self.valid_refresh:
                return 400, {"error": "invalid_grant", "error_description": "Token revoked"}
            if not self.rotate:
                return 200, {"access_token": self.access_token, "expires_in": self.expires_in}
            self.valid_refresh.discard(token)
            return 200, self._grant(self.access_token, self.expires_in)
        return 400, {"error": "unsupported_grant_type"}

    def _grant(self, access: str, expires_in: int) -> dict[str, object]:
        self.issued += 1
        refresh = f"refresh-{self.issued}"
        self.valid_refresh.add(refresh)
        return {"access_token": access, "refresh_token": refresh, "expires_in": expires_in}

    @contextmanager
    def running(self) -> Iterator[TokenServer]:
        state = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", 0))
                form = dict(urllib.parse.parse_qsl(self.rfile.read(length).decode()))
                code, body = state.answer(self.path, form)
                data = json.dumps(body).encode()
                self.send_response(code)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, format: str, *args: object) -> None:
                pass

        server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = server.server_address[1]
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            yield self
        finally:
            server.shutdown()
            server.server_close()
            thread.join()


def oauth_setup(
    tmp_path: Path, dovecot: Dovecot, db_url: str, oauth: str, *, extra: str = ""
) -> Setup:
    """A config whose mailbox signs in as Dovecot's OAuth user with the given oauth2 lines."""
    setup = make_setup(tmp_path, dovecot, db_url)
    block = dovecot.mailbox_toml("test", user=dovecot.oauth_user)
    block = "\n".join(line for line in block.split("\n") if not line.startswith("password_env"))
    setup.config.write_text(
        f'[database]\nurl = "{db_url}"\n\n{block}\n{extra}\n[mailboxes.oauth2]\n{oauth}\n',
        encoding="utf-8",
    )
    return setup
