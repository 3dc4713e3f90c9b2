"""Shared fixtures: real Dovecot and PostgreSQL servers, database URLs, an isolated home.

Services (session-scoped, started once; implementation in ``tests/services.py``)::

    def test_poll(dovecot, db_url, curator_home):       # db_url runs the test twice:
        uids = dovecot.append("INBOX", [raw1, raw2])    #   [sqlite] and [postgres]
        ...

``dovecot`` — a running Dovecot 2.3 on 127.0.0.1 (``tests.services.Dovecot``):
    host, imap_port (plain + STARTTLS), imaps_port (implicit TLS), cafile (the CA that signed
    the server cert: verification stays on), user/password (``curator``/``curator-pass``),
    user2/password2 (``curator2``), oauth_user/oauth_token (XOAUTH2 and OAUTHBEARER check the
    bearer token like a password), users (user -> password), conf, mail_home.
    connect(user=None, *, starttls=False, login=True) -> IMAPClient  (use ``with``: it must close)
    append(folder, [raw_bytes, ...], user=None, flags=()) -> UIDs   (MULTIAPPEND; creates folder)
    reset(folder="INBOX", user=None)   empty it: no mail, fresh UIDVALIDITY, UIDs from 1
    reset_user(user=None)              delete all of the user's folders and mail
    kick(user=None)                    drop the user's IMAP sessions (waits until gone)
    set_uid_validity(n, folder="INBOX", user=None), status(folder) -> {messages, uidnext, ...}
    doveadm(*args) -> stdout           e.g. dovecot.doveadm("expunge", "-u", "curator", ...)
    mailbox_toml(name="test", folder=..., security="ssl"|"starttls") -> a [[mailboxes]] block
        (password_env="CURATOR_IMAP_PASSWORD": monkeypatch.setenv it to dovecot.password)
    The server is shared by the whole session: reset what you use.  ``fresh_dovecot`` does it
    for you: the same object, with every user's mailboxes wiped before the test.

``postgres_url`` — SQLAlchemy URL (``postgresql+psycopg://curator@127.0.0.1:PORT/curator_test``)
    of a shared database.  ``postgres`` is the server object (``tests.services.Postgres``):
    ``with postgres.fresh_database() as url:`` gives a database of your own.

``db_url`` — parametrized ``[sqlite]`` (a file in tmp_path) and ``[postgres]`` (a database
    created for this test and dropped after it): tests are isolated either way.

``curator_home`` — an empty directory set as ``CURATOR_HOME``.  Every test (autouse) already
    runs with HOME and XDG_* pointing at a temp dir and without the caller's CURATOR_* variables
    (except CURATOR_TEST_* and CURATOR_CORPORA), so no test reads or writes the real home
    directory or config.

Where the servers come from: ``./scripts/test`` starts them and exports
``CURATOR_TEST_DOVECOT_ENV`` / ``CURATOR_TEST_POSTGRES_ENV``; a bare ``pytest`` starts its own
when it can (Dovecot: root and ``dovecot`` installed; PostgreSQL: binaries installed) and stops
them at the end.  Otherwise the tests that need them skip with the reason — under ``CI=true``
they fail instead.  Tests using these fixtures get the ``dovecot`` / ``postgres`` markers
automatically, so ``pytest -m "not dovecot and not postgres"`` runs without any server.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

# `tests.services` must import however pytest was started (`pytest`, `python -m pytest`, with or
# without tests/__init__.py): put the repository root on sys.path.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.services import Dovecot, Postgres, dovecot_server, postgres_server

_DOVECOT_FIXTURES = {"dovecot", "fresh_dovecot"}
_POSTGRES_FIXTURES = {"postgres", "postgres_url"}
# Variables that point the tests at their services and data, not at a user's curator setup.
_KEEP_ENV = ("CURATOR_TEST_", "CURATOR_CORPORA")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        names = set(getattr(item, "fixturenames", ()))
        if names & _DOVECOT_FIXTURES:
            item.add_marker(pytest.mark.dovecot)
        if names & _POSTGRES_FIXTURES:
            item.add_marker(pytest.mark.postgres)


@pytest.fixture(autouse=True)
def _isolated_environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """No test sees the real home directory or the caller's curator settings."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    for name, sub in (
        ("XDG_CONFIG_HOME", ".config"),
        ("XDG_DATA_HOME", ".local/share"),
        ("XDG_CACHE_HOME", ".cache"),
        ("XDG_STATE_HOME", ".local/state"),
    ):
        monkeypatch.setenv(name, str(home / sub))
    for name in list(os.environ):
        if name.startswith("CURATOR_") and not name.startswith(_KEEP_ENV):
            monkeypatch.delenv(name)


@pytest.fixture
def curator_home(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An empty CURATOR_HOME for this test."""
    path = tmp_path_factory.mktemp("curator-home")
    monkeypatch.setenv("CURATOR_HOME", str(path))
    return path


@pytest.fixture
def sample_config(
    curator_home: Path, db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """A config file (CURATOR_CONFIG) with db_url and the demo mailbox's question."""
    from curator.samples import question_path

    path = tmp_path / "config.toml"
    path.write_text(
        f'[database]\nurl = "{db_url}"\n\n' + question_path().read_text(encoding="utf-8")
    )
    monkeypatch.setenv("CURATOR_CONFIG", str(path))
    return path


@pytest.fixture(scope="session")
def dovecot() -> Iterator[Dovecot]:
    with dovecot_server() as server:
        yield server


@pytest.fixture
def fresh_dovecot(dovecot: Dovecot) -> Dovecot:
    """The session's Dovecot with every user's mailboxes wiped first."""
    for user in dovecot.users:
        dovecot.reset_user(user)
    return dovecot


@pytest.fixture(scope="session")
def postgres() -> Iterator[Postgres]:
    with postgres_server() as server:
        yield server


@pytest.fixture(scope="session")
def postgres_url(postgres: Postgres) -> str:
    return postgres.url


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A database URL of one's own: SQLite in tmp_path, or a fresh PostgreSQL database."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'curator.db'}"
        return
    server: Postgres = request.getfixturevalue("postgres")
    with server.fresh_database() as url:
        yield url
