"""OAuth 2.0 sign-in: XOAUTH2 / OAUTHBEARER against the real Dovecot (which checks the bearer
token like a password), tokens from a command or from curator's own store, filled by the
device-code flow against a local authorization server."""

from __future__ import annotations

import json
import stat
import time
from pathlib import Path
from typing import Any

import pytest

from curator.config import parse_config
from curator.errors import ConfigError
from curator.mail.oauth import access_token, endpoints, save_tokens, token_path
from tests.mailfactory import replies
from tests.oauthhelpers import TokenServer, oauth_setup
from tests.pollhelpers import Setup
from tests.services import Dovecot


def _mailbox(oauth: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {"name": "m", "host": "h", "username": "u", "oauth2": oauth, **extra}


def test_oauth2_config_is_validated() -> None:
    config = parse_config(
        {"mailboxes": [_mailbox({"provider": "microsoft", "client_id": "c", "tenant": "t.eu"})]},
        home=Path("/tmp"),
    )
    oauth = config.mailboxes[0].oauth2
    assert oauth is not None and oauth.mechanism == "XOAUTH2"
    device, token, scopes = endpoints(oauth)
    assert device == "https://login.microsoftonline.com/t.eu/oauth2/v2.0/devicecode"
    assert token == "https://login.microsoftonline.com/t.eu/oauth2/v2.0/token"
    assert scopes == ("https://outlook.office.com/IMAP.AccessAsUser.All", "offline_access")
    google = parse_config(
        {"mailboxes": [_mailbox({"provider": "google", "client_id": "c"})]}, home=Path("/tmp")
    ).mailboxes[0]
    assert google.oauth2 is not None
    assert endpoints(google.oauth2)[2] == ("https://mail.google.com/",)


@pytest.mark.parametrize(
    ("mailbox", "message"),
    [
        (_mailbox({"client_id": "c", "client_secret": "x"}), "'client_secret' is not allowed"),
        (_mailbox({"client_id": "c", "refresh_token": "x"}), "'refresh_token' is not allowed"),
        (_mailbox({"client_id": "c", "scope": "x"}), "unknown key 'scope'"),
        (_mailbox({"provider": "yahoo", "client_id": "c"}), "provider must be one of"),
        (_mailbox({"provider": "google"}), "set client_id"),
        (_mailbox({"client_id": "c"}), 'provider = "custom" needs device_endpoint'),
        (_mailbox({"token_command": "x", "mechanism": "PLAIN"}), "mechanism must be one of"),
        (
            _mailbox({"provider": "google", "client_id": "c", "token_endpoint": "http://x.io/"}),
            "must be an https:// URL",
        ),
        (_mailbox({"token_command": "x"}, password_env="P"), "set exactly one of"),
    ],
)
def test_bad_oauth2_config_is_refused(mailbox: dict[str, Any], message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        parse_config({"mailboxes": [mailbox]}, home=Path("/tmp"))


@pytest.mark.parametrize("mechanism", ["XOAUTH2", "OAUTHBEARER"])
def test_poll_signs_in_with_a_token_from_the_token_command(
    tmp_path: Path, fresh_dovecot: Dovecot, mechanism: str
) -> None:
    uids = fresh_dovecot.append("INBOX", replies(5), user=fresh_dovecot.oauth_user)
    command = f"printf '%s\\n' {fresh_dovecot.oauth_token}"
    setup = oauth_setup(
        tmp_path,
        fresh_dovecot,
        f"sqlite:///{tmp_path / 'c.db'}",
        f'token_command = "{command}"\nmechanism = "{mechanism}"',
    )
    summary = setup.poll_json("--no-process")
    assert (summary["_rc"], summary["stored"]) == (0, 5), summary["_stderr"]
    assert [u for u, _, _ in setup.stored()] == uids


def test_a_token_the_server_refuses_is_one_clear_error(
    tmp_path: Path, fresh_dovecot: Dovecot
) -> None:
    setup = oauth_setup(
        tmp_path, fresh_dovecot, f"sqlite:///{tmp_path / 'c.db'}", 'token_command = "echo nope"'
    )
    done = setup.run("poll", "--no-process")
    assert done.returncode == 1
    assert done.stderr.count("Error:") == 1
    assert "refused the login" in done.stderr and "oauth2.token_command" in done.stderr


def _store_setup(tmp_path: Path, dovecot: Dovecot, server: TokenServer) -> Setup:
    return oauth_setup(
        tmp_path,
        dovecot,
        f"sqlite:///{tmp_path / 'c.db'}",
        f'provider = "custom"\nclient_id = "curator-test"\n'
        f'device_endpoint = "{server.url}/device"\ntoken_endpoint = "{server.url}/token"',
    )


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_device_login_then_poll_refreshes_and_rotates_atomically(
    tmp_path: Path, fresh_dovecot: Dovecot
) -> None:
    uids = fresh_dovecot.append("INBOX", replies(3), user=fresh_dovecot.oauth_user)
    with TokenServer(access_token=fresh_dovecot.oauth_token).running() as server:
        setup = _store_setup(tmp_path, fresh_dovecot, server)
        login = setup.run("auth", "login", "--mailbox", "test")
        assert login.returncode == 0, login.stderr
        assert "WDJB-MJHT" in login.stderr and f"{server.url}/verify" in login.stderr
        grants = [r for r in server.requests if r["path"] == "/token"]
        assert len(grants) == 3  # two authorization_pending, then approved
        assert grants[0]["client_id"] == "curator-test"
        tokens = setup.home / "tokens" / "test.json"
        assert (_mode(tokens), _mode(tokens.parent)) == (0o600, 0o700)
        assert json.loads(tokens.read_text())["refresh_token"] == "refresh-1"

        # The first token has a minute left: poll refreshes it first, and keeps the rotated
        # refresh token (written atomically: no temp file left, still 0600).
        summary = setup.poll_json("--no-process")
        assert (summary["_rc"], summary["stored"]) == (0, 3), summary["_stderr"]
        saved = json.loads(tokens.read_text())
        assert saved["refresh_token"] == "refresh-2"
        assert saved["access_token"] == fresh_dovecot.oauth_token
        assert _mode(tokens) == 0o600
        assert sorted(p.name for p in tokens.parent.iterdir()) == ["test.json", "test.lock"]

        # The new token is good for an hour: the next poll does not ask for another.
        asked = len(server.requests)
        assert setup.poll_json("--no-process")["_rc"] == 0
        assert len(server.requests) == asked
    assert [u for u, _, _ in setup.stored()] == uids


def test_revoked_grant_is_a_clear_error_naming_auth_login(
    tmp_path: Path, fresh_dovecot: Dovecot
) -> None:
    with TokenServer(access_token=fresh_dovecot.oauth_token, pending=0).running() as server:
        setup = _store_setup(tmp_path, fresh_dovecot, server)
        assert setup.run("auth", "login", "--mailbox", "test").returncode == 0
        server.revoke_all()
        started = time.monotonic()
        done = setup.run("poll", "--no-process")
    assert done.returncode == 2, done.stderr
    assert done.stderr.count("Error:") == 1
    assert "expired or was revoked" in done.stderr
    assert "curator auth login --mailbox test" in done.stderr
    assert time.monotonic() - started < 10  # no retry loop


def test_not_signed_in_says_what_to_run(tmp_path: Path, fresh_dovecot: Dovecot) -> None:
    with TokenServer(access_token=fresh_dovecot.oauth_token).running() as server:
        setup = _store_setup(tmp_path, fresh_dovecot, server)
        done = setup.run("poll", "--no-process")
    assert done.returncode == 2
    assert "is not signed in — run `curator auth login --mailbox test`" in done.stderr


def test_refresh_happens_well_before_expiry(tmp_path: Path) -> None:
    with TokenServer(access_token="fresh", rotate=False).running() as server:
        server.valid_refresh.add("r")
        config = parse_config(
            {
                "mailboxes": [
                    _mailbox(
                        {
                            "client_id": "c",
                            "device_endpoint": f"{server.url}/device",
                            "token_endpoint": f"{server.url}/token",
                        }
                    )
                ]
            },
            home=tmp_path,
        )
        mailbox = config.mailboxes[0]
        path = token_path("m", tmp_path)
        now = 1_000_000.0
        # An hour-long token with 7 minutes left (over 5 min, over 10% of its life): kept.
        record = {"access_token": "old", "refresh_token": "r", "expires_in": 3600}
        save_tokens(path, {**record, "expires_at": now + 420})
        assert access_token(mailbox, home=tmp_path, now=lambda: now) == "old"
        # A day-long token with 2 hours left (under 10%): refreshed.
        save_tokens(path, {**record, "expires_in": 86400, "expires_at": now + 7200})
        assert access_token(mailbox, home=tmp_path, now=lambda: now) == "fresh"
        # Without rotation the refresh token we had is kept.
        assert json.loads(path.read_text())["refresh_token"] == "r"
        path.chmod(0o644)
        with pytest.raises(ConfigError, match="chmod 600"):
            access_token(mailbox, home=tmp_path, now=lambda: now)


def test_doctor_checks_an_oauth_mailbox(tmp_path: Path, fresh_dovecot: Dovecot) -> None:
    with TokenServer(access_token=fresh_dovecot.oauth_token).running() as server:
        setup = _store_setup(tmp_path, fresh_dovecot, server)
        assert setup.run("db", "upgrade").returncode == 0
        before = setup.run("doctor")
        assert before.returncode == 1
        assert "✗ test: sign-in: mailbox 'test' is not signed in" in before.stdout
        assert "→ run `curator auth login --mailbox test`" in before.stdout
        assert setup.run("auth", "login", "--mailbox", "test").returncode == 0
        after = setup.run("doctor")
    assert "✓ test: login: oauth with XOAUTH2" in after.stdout, after.stdout
