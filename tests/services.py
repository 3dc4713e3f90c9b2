"""The real services behind the integration tests: a throwaway Dovecot and PostgreSQL.

The servers themselves are started by ``scripts/services/dovecot`` and ``scripts/services/postgres``
(one implementation, shared with ``scripts/test`` and the benchmarks).  This module finds the ones
``scripts/test`` started, through the env files it exports, or starts its own, and wraps them in
small objects with the helpers tests need.  Usage is described in ``tests/conftest.py``.
"""

from __future__ import annotations

import contextlib
import os
import re
import shlex
import shutil
import socket
import ssl
import subprocess
import tempfile
import time
import uuid
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import pytest
from imapclient import IMAPClient

if TYPE_CHECKING:
    import psycopg

REPO = Path(__file__).resolve().parent.parent
SERVICES = REPO / "scripts" / "services"

# scripts/test exports these: files of `export KEY=value` lines written by the service scripts.
DOVECOT_ENV_VAR = "CURATOR_TEST_DOVECOT_ENV"
POSTGRES_ENV_VAR = "CURATOR_TEST_POSTGRES_ENV"

IMAP_TIMEOUT = 10.0  # seconds; imapclient has no timeout by default
APPEND_BATCH = 100  # messages per MULTIAPPEND
_SBIN_PATH = os.pathsep.join([os.environ.get("PATH", ""), "/usr/sbin", "/sbin"])


def is_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}


def unavailable(reason: str) -> NoReturn:
    """Skip: a service the test needs is missing here.  Under CI=true that is a failure."""
    if is_ci():
        pytest.fail(
            f"{reason} (CI=true: a missing service is a failure, not a skip)", pytrace=False
        )
    pytest.skip(reason)


def parse_env_file(path: Path) -> dict[str, str]:
    """Read the `export KEY=value` lines that the service scripts write (shell-quoted)."""
    values: dict[str, str] = {}
    for line in path.read_text().splitlines():
        words = shlex.split(line, comments=True)
        if words[:1] == ["export"]:
            words = words[1:]
        for word in words:
            key, sep, value = word.partition("=")
            if sep:
                values[key] = value
    return values


def _run_script(name: str, command: str, env: Mapping[str, str], timeout: float = 120) -> str:
    """Run scripts/services/NAME COMMAND; return stdout or raise RuntimeError with its stderr."""
    proc = subprocess.run(
        [str(SERVICES / name), command],
        env={**os.environ, **env},
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if proc.returncode != 0:
        raise RuntimeError(
            f"scripts/services/{name} {command} failed (exit {proc.returncode}):\n{proc.stderr}"
        )
    return proc.stdout


def _port_open(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=2):
            return True
    except OSError:
        return False


def _make_service_dir(prefix: str) -> Path:
    # Not pytest's tmp_path: its parents are 0700, and Dovecot's mail processes (uid 10143) and
    # PostgreSQL (user postgres) must reach into this directory.  Short, too: Unix socket paths
    # are limited to 107 bytes.
    path = Path(tempfile.mkdtemp(prefix=prefix))
    path.chmod(0o755)
    return path


# --------------------------------------------------------------------------------------------
# Dovecot


_APPENDUID = re.compile(rb"\[APPENDUID (\d+) ([0-9:,]+)\]")


def _parse_uid_set(text: bytes) -> list[int]:
    uids: list[int] = []
    for part in text.decode().split(","):
        lo, _, hi = part.partition(":")
        uids.extend(range(int(lo), int(hi or lo) + 1))
    return uids


@dataclass(frozen=True)
class Dovecot:
    """A running throwaway Dovecot: where it listens, who may log in, and test helpers."""

    host: str
    imap_port: int  # plain IMAP with STARTTLS
    imaps_port: int  # implicit TLS
    user: str
    password: str
    user2: str
    password2: str
    oauth_user: str
    oauth_token: str  # checked like a password by XOAUTH2 / OAUTHBEARER
    cafile: str  # the CA that signed the server certificate
    conf: str
    mail_home: Path  # the users' homes: mail_home / USER / "Maildir"
    doveadm_path: str = field(default="doveadm")

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> Dovecot:
        return cls(
            host=env["CURATOR_DOVECOT_HOST"],
            imap_port=int(env["CURATOR_DOVECOT_IMAP_PORT"]),
            imaps_port=int(env["CURATOR_DOVECOT_IMAPS_PORT"]),
            user=env["CURATOR_DOVECOT_USER"],
            password=env["CURATOR_DOVECOT_PASSWORD"],
            user2=env["CURATOR_DOVECOT_USER2"],
            password2=env["CURATOR_DOVECOT_PASSWORD2"],
            oauth_user=env["CURATOR_DOVECOT_OAUTH_USER"],
            oauth_token=env["CURATOR_DOVECOT_OAUTH_TOKEN"],
            cafile=env["CURATOR_DOVECOT_CAFILE"],
            conf=env["CURATOR_DOVECOT_CONF"],
            mail_home=Path(env["CURATOR_DOVECOT_MAIL_HOME"]),
            doveadm_path=shutil.which("doveadm", path=_SBIN_PATH) or "doveadm",
        )

    @property
    def users(self) -> dict[str, str]:
        """Every user and password (the OAuth user's password is its bearer token)."""
        return {
            self.user: self.password,
            self.user2: self.password2,
            self.oauth_user: self.oauth_token,
        }

    def ssl_context(self) -> ssl.SSLContext:
        """A verifying client context that trusts only this server's CA."""
        return ssl.create_default_context(cafile=self.cafile)

    def connect(
        self,
        user: str | None = None,
        *,
        starttls: bool = False,
        login: bool = True,
        timeout: float = IMAP_TIMEOUT,
    ) -> IMAPClient:
        """An IMAPClient over IMAPS (or plain IMAP + STARTTLS), verified, logged in as `user`.

        Use it as a context manager so the socket is closed (filterwarnings=error turns an
        unclosed socket's ResourceWarning into a failure).
        """
        user = user or self.user
        if starttls:
            client = IMAPClient(self.host, self.imap_port, ssl=False, timeout=timeout)
        else:
            client = IMAPClient(
                self.host,
                self.imaps_port,
                ssl=True,
                ssl_context=self.ssl_context(),
                timeout=timeout,
            )
        try:
            if starttls:
                client.starttls(self.ssl_context())
            if login:
                client.login(user, self.users[user])
        except BaseException:
            client.shutdown()
            raise
        return client

    def doveadm(self, *args: str) -> str:
        """Run `doveadm -c CONF ARGS...` against this server; return stdout."""
        proc = subprocess.run(
            [self.doveadm_path, "-c", self.conf, *args],
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        if proc.returncode != 0:
            raise RuntimeError(
                f"doveadm {shlex.join(args)} failed (exit {proc.returncode}): {proc.stderr.strip()}"
            )
        return proc.stdout

    def append(
        self,
        folder: str,
        messages: Iterable[bytes],
        *,
        user: str | None = None,
        flags: Sequence[str] = (),
    ) -> list[int]:
        """Store raw messages in `folder` (created if missing) by MULTIAPPEND; return the UIDs."""
        batch: list[bytes] = []
        uids: list[int] = []
        with self.connect(user) as client:
            if not client.folder_exists(folder):
                client.create_folder(folder)
            for message in messages:
                batch.append(message)
                if len(batch) == APPEND_BATCH:
                    uids += self._multiappend(client, folder, batch, flags)
                    batch = []
            if batch:
                uids += self._multiappend(client, folder, batch, flags)
        return uids

    @staticmethod
    def _multiappend(
        client: IMAPClient, folder: str, batch: list[bytes], flags: Sequence[str]
    ) -> list[int]:
        items = [{"msg": message, "flags": tuple(flags)} for message in batch]
        # imapclient returns the tagged response, e.g. ('OK', [b'[APPENDUID 17 1:100] ...']).
        _status, data = client.multiappend(folder, items)
        text = b" ".join(part for part in data if isinstance(part, bytes))
        found = _APPENDUID.search(text)
        return _parse_uid_set(found.group(2)) if found else []

    def kick(self, user: str | None = None) -> None:
        """Drop every IMAP session of `user` (`doveadm kick`) and wait until they are gone."""
        user = user or self.user
        with contextlib.suppress(RuntimeError):  # exit 68: nobody was logged in
            self.doveadm("kick", user)
        deadline = time.monotonic() + 10
        while self._logged_in(user):
            if time.monotonic() > deadline:
                raise RuntimeError(f"{user}'s IMAP sessions survived doveadm kick for 10 s")
            time.sleep(0.02)

    def _logged_in(self, user: str) -> bool:
        return any(line.split()[:1] == [user] for line in self.doveadm("who").splitlines()[1:])

    def reset(self, folder: str = "INBOX", *, user: str | None = None) -> None:
        """Empty `folder` as if it were new: no mail, a fresh UIDVALIDITY, UIDs from 1.

        Sessions of `user` are kicked first.  A folder other than INBOX is deleted and created
        again; INBOX (which IMAP cannot delete) is reset on disk.
        """
        user = user or self.user
        self.kick(user)
        if folder.upper() != "INBOX":
            with contextlib.suppress(RuntimeError):  # it did not exist
                self.doveadm("mailbox", "delete", "-u", user, folder)
            self.doveadm("mailbox", "create", "-u", user, folder)
            return
        maildir = self.mail_home / user / "Maildir"
        if not maildir.exists():
            return
        for path in maildir.iterdir():
            # cur/new/tmp hold INBOX's mail; dovecot-uidlist and the indexes its UIDs.  Keep
            # dovecot-uidvalidity*: it makes the next UIDVALIDITY differ from the old one.
            if path.name in {"cur", "new", "tmp"}:
                shutil.rmtree(path)
            elif path.name == "dovecot-uidlist" or path.name.startswith(
                ("dovecot.index", "dovecot.list.index")
            ):
                path.unlink()

    def reset_user(self, user: str | None = None) -> None:
        """Delete every folder and message of `user`: a brand-new account (fresh UIDVALIDITY)."""
        user = user or self.user
        self.kick(user)
        maildir = self.mail_home / user / "Maildir"
        if not maildir.exists():
            return
        for path in maildir.iterdir():
            if path.name.startswith("dovecot-uidvalidity"):
                continue
            if path.is_dir():
                shutil.rmtree(path)
            else:
                path.unlink()

    def status(self, folder: str = "INBOX", *, user: str | None = None) -> dict[str, int]:
        """messages, uidnext and uidvalidity of `folder`, read by doveadm (no IMAP session)."""
        fields = "messages uidnext uidvalidity"
        user = user or self.user
        out = self.doveadm("-f", "pager", "mailbox", "status", "-u", user, fields, folder)
        values: dict[str, int] = {}
        for line in out.splitlines():
            key, sep, value = line.partition(":")
            if sep and value.strip().isdigit():
                values[key.strip()] = int(value)
        return values

    def set_uid_validity(
        self, value: int, folder: str = "INBOX", *, user: str | None = None
    ) -> None:
        """Force a UIDVALIDITY change (what a server rebuild does to a poller's cursor)."""
        user = user or self.user
        self.doveadm("mailbox", "update", "-u", user, "--uid-validity", str(value), folder)

    def is_up(self) -> bool:
        return _port_open(self.host, self.imap_port) and _port_open(self.host, self.imaps_port)

    def mailbox_toml(
        self,
        name: str = "test",
        *,
        folder: str = "INBOX",
        security: str = "ssl",
        user: str | None = None,
        password_env: str = "CURATOR_IMAP_PASSWORD",
    ) -> str:
        """A `[[mailboxes]]` block for curator's config (DESIGN.md §7) pointing at this server.

        The password is not in it: export `password_env` (see `users`), e.g. with monkeypatch.
        """
        user = user or self.user
        port = {"ssl": self.imaps_port, "starttls": self.imap_port, "none": self.imap_port}
        return (
            "[[mailboxes]]\n"
            f"name = {_toml_str(name)}\n"
            f"host = {_toml_str(self.host)}\n"
            f"port = {port[security]}\n"
            f"security = {_toml_str(security)}\n"
            f"username = {_toml_str(user)}\n"
            f"password_env = {_toml_str(password_env)}\n"
            f"folder = {_toml_str(folder)}\n"
            f"ca_file = {_toml_str(self.cafile)}\n"
        )


def _toml_str(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _can_start_dovecot() -> str | None:
    """None when this process can start a Dovecot itself, else the reason why not."""
    if shutil.which("dovecot", path=_SBIN_PATH) is None:
        return (
            "Dovecot is not installed: run ./scripts/test as root, or "
            "`sudo scripts/services/dovecot install`"
        )
    if os.geteuid() != 0:
        return (
            "a throwaway Dovecot needs root to start (run ./scripts/test as root, or start one "
            f"with `sudo scripts/services/dovecot start` and export {DOVECOT_ENV_VAR}="
            "<its dir>/env)"
        )
    return None


@contextlib.contextmanager
def dovecot_server() -> Iterator[Dovecot]:
    """The Dovecot from scripts/test, or one started (and stopped) here; skips when neither."""
    env_file = os.environ.get(DOVECOT_ENV_VAR)
    if env_file:
        path = Path(env_file)
        if not path.is_file():
            unavailable(f"{DOVECOT_ENV_VAR}={env_file} does not exist")
        server = Dovecot.from_env(parse_env_file(path))
        if not server.is_up():
            unavailable(
                f"{DOVECOT_ENV_VAR}={env_file}, but nothing answers on "
                f"{server.host}:{server.imap_port}/{server.imaps_port}"
            )
        yield server
        return
    reason = _can_start_dovecot()
    if reason:
        unavailable(reason)
    directory = _make_service_dir("curator-dovecot-")
    env = {"CURATOR_DOVECOT_DIR": str(directory), "CURATOR_SERVICES_OWNER": str(os.getpid())}
    try:
        try:
            _run_script("dovecot", "sweep", {})  # leftovers of a killed session
            _run_script("dovecot", "start", env)
        except (RuntimeError, subprocess.TimeoutExpired) as exc:
            pytest.fail(f"could not start Dovecot: {exc}", pytrace=False)
        yield Dovecot.from_env(parse_env_file(directory / "env"))
    finally:
        _run_script("dovecot", "stop", env)
        shutil.rmtree(directory, ignore_errors=True)


# --------------------------------------------------------------------------------------------
# PostgreSQL


@dataclass(frozen=True)
class Postgres:
    """A running throwaway PostgreSQL; `url` is the SQLAlchemy URL of its curator_test database."""

    host: str
    port: int
    user: str
    database: str

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> Postgres:
        return cls(
            host=env["CURATOR_POSTGRES_HOST"],
            port=int(env["CURATOR_POSTGRES_PORT"]),
            user=env["CURATOR_POSTGRES_USER"],
            database=env["CURATOR_POSTGRES_DB"],
        )

    @property
    def url(self) -> str:
        return self.url_for(self.database)

    def url_for(self, database: str) -> str:
        return f"postgresql+psycopg://{self.user}@{self.host}:{self.port}/{database}"

    def _admin(self) -> psycopg.Connection[tuple[object, ...]]:
        import psycopg  # only tests that use PostgreSQL need it

        return psycopg.connect(
            host=self.host,
            port=self.port,
            user=self.user,
            dbname=self.database,
            autocommit=True,
            connect_timeout=10,
        )

    @contextlib.contextmanager
    def fresh_database(self) -> Iterator[str]:
        """CREATE DATABASE for one test; yield its URL; DROP it (even with sessions open) after."""
        name = f"curator_t_{uuid.uuid4().hex[:12]}"
        with self._admin() as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        try:
            yield self.url_for(name)
        finally:
            with self._admin() as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def is_up(self) -> bool:
        return _port_open(self.host, self.port)


def _find_postgres_bin() -> Path | None:
    found = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/initdb"),
        key=lambda p: int(p.parent.parent.name) if p.parent.parent.name.isdigit() else 0,
    )
    return found[-1].parent if found else None


@contextlib.contextmanager
def postgres_server() -> Iterator[Postgres]:
    """The PostgreSQL from scripts/test, or one started (and stopped) here; skips when neither."""
    env_file = os.environ.get(POSTGRES_ENV_VAR)
    if env_file:
        path = Path(env_file)
        if not path.is_file():
            unavailable(f"{POSTGRES_ENV_VAR}={env_file} does not exist")
        server = Postgres.from_env(parse_env_file(path))
        if not server.is_up():
            unavailable(f"{POSTGRES_ENV_VAR}={env_file}, but nothing answers on port {server.port}")
        yield server
        return
    if _find_postgres_bin() is None:
        unavailable(
            "PostgreSQL is not installed (no /usr/lib/postgresql/*/bin): run ./scripts/test as "
            "root, or `sudo scripts/services/postgres install`"
        )
    directory = _make_service_dir("curator-postgres-")
    env = {"CURATOR_POSTGRES_DIR": str(directory), "CURATOR_SERVICES_OWNER": str(os.getpid())}
    try:
        try:
            _run_script("postgres", "sweep", {})  # leftovers of a killed session
            _run_script("postgres", "start", env)
        except (RuntimeError, subprocess.TimeoutExpired) as exc:
            pytest.fail(f"could not start PostgreSQL: {exc}", pytrace=False)
        yield Postgres.from_env(parse_env_file(directory / "env"))
    finally:
        _run_script("postgres", "stop", env)
        shutil.rmtree(directory, ignore_errors=True)
