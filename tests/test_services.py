"""The test services are real: Dovecot over verified TLS and OAuth, PostgreSQL via SQLAlchemy."""

from __future__ import annotations

import contextlib
import os
import ssl
import time
from pathlib import Path

import pytest
from imapclient import IMAPClient
from imapclient.exceptions import LoginError

from tests.services import Dovecot, parse_env_file


def _message(n: int, subject: str = "Re: the question") -> bytes:
    return (
        f"From: Reader {n} <reader{n}@example.org>\r\n"
        f"To: replies@example.com\r\n"
        f"Subject: {subject} {n}\r\n"
        f"Message-ID: <reply-{n}@example.org>\r\n"
        "Date: Tue, 01 Dec 2026 10:00:00 +0000\r\n"
        "Content-Type: text/plain; charset=utf-8\r\n"
        "\r\n"
        f"Reply number {n}. — Jane, Lisbon\r\n"
    ).encode()


# ---- TLS ------------------------------------------------------------------------------------


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost"])
def test_imaps_verifies_against_the_test_ca(dovecot: Dovecot, host: str) -> None:
    context = dovecot.ssl_context()
    assert context.verify_mode == ssl.CERT_REQUIRED
    assert context.check_hostname
    with IMAPClient(host, dovecot.imaps_port, ssl=True, ssl_context=context, timeout=10) as client:
        cert = client.socket().getpeercert()
        assert ("IP Address", "127.0.0.1") in cert["subjectAltName"]
        client.login(dovecot.user, dovecot.password)
        assert {b"IDLE", b"UIDPLUS", b"MOVE", b"MULTIAPPEND"} <= set(client.capabilities())


def test_default_trust_store_rejects_the_test_certificate(dovecot: Dovecot) -> None:
    with pytest.raises(ssl.SSLCertVerificationError):
        IMAPClient(dovecot.host, dovecot.imaps_port, ssl=True, timeout=10)


def test_starttls_upgrades_the_plain_port(dovecot: Dovecot) -> None:
    with dovecot.connect(starttls=True) as client:
        assert isinstance(client.socket(), ssl.SSLSocket)
        assert client.socket().version() in {"TLSv1.2", "TLSv1.3"}
        client.noop()


def test_starttls_also_rejects_an_untrusted_certificate(dovecot: Dovecot) -> None:
    client = IMAPClient(dovecot.host, dovecot.imap_port, ssl=False, timeout=10)
    try:
        with pytest.raises(ssl.SSLCertVerificationError):
            client.starttls(ssl.create_default_context())
    finally:
        # The failed handshake already closed the socket; shutdown() only finds a dead fd.
        with contextlib.suppress(OSError):
            client.shutdown()


# ---- authentication -------------------------------------------------------------------------


def test_xoauth2_and_oauthbearer_accept_the_token(dovecot: Dovecot) -> None:
    with dovecot.connect(login=False) as client:
        client.oauth2_login(dovecot.oauth_user, dovecot.oauth_token)
        client.noop()
    with dovecot.connect(login=False) as client:
        client.oauthbearer_login(dovecot.oauth_user, dovecot.oauth_token)
        client.noop()


def test_xoauth2_rejects_a_wrong_token(dovecot: Dovecot) -> None:
    with dovecot.connect(login=False) as client, pytest.raises(LoginError):
        client.oauth2_login(dovecot.oauth_user, "expired-token")


def test_login_rejects_a_wrong_password(dovecot: Dovecot) -> None:
    with dovecot.connect(login=False) as client, pytest.raises(LoginError):
        client.login(dovecot.user, "not-the-password")


# ---- mail -----------------------------------------------------------------------------------


def test_append_search_and_peek_leave_mail_unseen(fresh_dovecot: Dovecot) -> None:
    messages = [_message(n) for n in range(250)]  # more than one MULTIAPPEND batch
    uids = fresh_dovecot.append("INBOX", messages)
    assert uids == list(range(1, 251))
    with fresh_dovecot.connect() as client:
        info = client.select_folder("INBOX", readonly=True)
        assert info[b"EXISTS"] == 250
        assert client.search(["SUBJECT", "question 7"]) == [8, *range(71, 81)]
        fetched = client.fetch(uids[:3], ["BODY.PEEK[]", "FLAGS"])
        assert [fetched[uid][b"BODY[]"] for uid in uids[:3]] == messages[:3]
        assert all(b"\\Seen" not in fetched[uid][b"FLAGS"] for uid in uids[:3])


def test_append_creates_the_folder_and_keeps_users_apart(fresh_dovecot: Dovecot) -> None:
    assert fresh_dovecot.append("Replies/Signal", [_message(1)], user=fresh_dovecot.user2) == [1]
    with fresh_dovecot.connect(fresh_dovecot.user2) as client:
        assert client.folder_status("Replies/Signal", [b"MESSAGES"])[b"MESSAGES"] == 1
    with fresh_dovecot.connect() as client:
        assert not client.folder_exists("Replies/Signal")


def test_idle_sees_an_append_from_another_connection(fresh_dovecot: Dovecot) -> None:
    with fresh_dovecot.connect() as watcher:
        watcher.select_folder("INBOX", readonly=True)
        watcher.idle()
        try:
            fresh_dovecot.append("INBOX", [_message(1)])
            deadline = time.monotonic() + 10
            seen: list[object] = []
            while time.monotonic() < deadline and (1, b"EXISTS") not in seen:
                seen += watcher.idle_check(timeout=1)
        finally:
            watcher.idle_done()
    assert (1, b"EXISTS") in seen


def test_uidvalidity_can_be_forced(fresh_dovecot: Dovecot) -> None:
    fresh_dovecot.append("INBOX", [_message(1)])
    fresh_dovecot.set_uid_validity(4242)
    with fresh_dovecot.connect() as client:
        assert client.select_folder("INBOX", readonly=True)[b"UIDVALIDITY"] == 4242
    assert fresh_dovecot.status()["uidvalidity"] == 4242


def test_kick_drops_open_sessions(dovecot: Dovecot) -> None:
    with dovecot.connect() as client:
        client.select_folder("INBOX", readonly=True)
        dovecot.kick()
        with pytest.raises((IMAPClient.AbortError, OSError)):
            client.noop()


@pytest.mark.parametrize("folder", ["INBOX", "Archive"])
def test_reset_empties_a_folder_with_a_new_uidvalidity(dovecot: Dovecot, folder: str) -> None:
    dovecot.append(folder, [_message(1), _message(2)])
    before = dovecot.status(folder)
    dovecot.reset(folder)
    after = dovecot.status(folder)
    assert after["messages"] == 0
    assert after["uidnext"] == 1
    assert after["uidvalidity"] != before["uidvalidity"]
    assert dovecot.append(folder, [_message(3)]) == [1]


def test_doveadm_expunge(fresh_dovecot: Dovecot) -> None:
    fresh_dovecot.append("INBOX", [_message(1), _message(2)])
    fresh_dovecot.doveadm("expunge", "-u", fresh_dovecot.user, "mailbox", "INBOX", "uid", "1")
    assert fresh_dovecot.status()["messages"] == 1


# ---- PostgreSQL and SQLite ------------------------------------------------------------------


def test_postgres_url_accepts_a_connection(postgres_url: str) -> None:
    from sqlalchemy import create_engine, text

    assert postgres_url.startswith("postgresql+psycopg://")
    engine = create_engine(postgres_url)
    try:
        with engine.connect() as conn:
            assert conn.execute(text("select current_database()")).scalar() == "curator_test"
            assert conn.execute(text("show server_version_num")).scalar_one()
    finally:
        engine.dispose()


def test_db_url_is_a_database_of_its_own(db_url: str) -> None:
    from sqlalchemy import create_engine, inspect, text

    engine = create_engine(db_url)
    try:
        assert inspect(engine).get_table_names() == []  # nothing left by another test
        with engine.begin() as conn:
            conn.execute(text("create table t (id integer primary key)"))
            conn.execute(text("insert into t (id) values (1)"))
        with engine.connect() as conn:
            assert conn.execute(text("select count(*) from t")).scalar() == 1
    finally:
        engine.dispose()


# ---- isolation ------------------------------------------------------------------------------


def test_home_and_curator_home_are_temporary(curator_home: Path) -> None:
    assert os.environ["CURATOR_HOME"] == str(curator_home)
    assert list(curator_home.iterdir()) == []
    home = Path(os.environ["HOME"])
    assert home != Path("/root")
    assert Path("~").expanduser() == home
    assert "CURATOR_CONFIG" not in os.environ


def test_parse_env_file_reads_shell_quoted_exports(tmp_path: Path) -> None:
    env = tmp_path / "env"
    env.write_text("export A=1\nexport B='two words'\n# comment\nexport C=a\\ b\n")
    assert parse_env_file(env) == {"A": "1", "B": "two words", "C": "a b"}


def test_mailbox_toml_points_at_the_server(dovecot: Dovecot) -> None:
    import tomllib

    (mailbox,) = tomllib.loads(dovecot.mailbox_toml("signal", security="starttls"))["mailboxes"]
    assert mailbox == {
        "name": "signal",
        "host": "127.0.0.1",
        "port": dovecot.imap_port,
        "security": "starttls",
        "username": dovecot.user,
        "password_env": "CURATOR_IMAP_PASSWORD",
        "folder": "INBOX",
        "ca_file": dovecot.cafile,
    }
