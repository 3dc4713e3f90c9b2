"""Engine, sessions and schema migrations. The only module that knows about dialects."""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import logging
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, create_engine, event, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

if TYPE_CHECKING:
    from alembic.config import Config as AlembicConfig

from curator.errors import ConfigError, DatabaseError

log = logging.getLogger(__name__)
MIGRATIONS = Path(__file__).parent / "migrations"


@dataclass
class Store:
    """A database: its engine and a session factory (one transaction per unit of work)."""

    engine: Engine
    sessions: sessionmaker[Session]

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Session]:
        """A session whose work commits on success and rolls back on any exception."""
        with self.sessions.begin() as session:
            yield session

    def dispose(self) -> None:
        self.engine.dispose()


def connect_store(url: str) -> Store:
    """Connect without looking at the schema (for `curator db …`)."""
    engine = make_engine(url)
    return Store(engine, sessionmaker(engine, expire_on_commit=False))


def open_store(url: str, *, upgrade: bool = True) -> Store:
    """Connect; a brand-new database is created at the current schema, an old one refused."""
    store = connect_store(url)
    current, head = schema_revisions(store)
    if current != head and upgrade:
        # Two commands started at once on a new database must not both create it, and one
        # may see the other half-way through creating it: look again holding the lock.
        with exclusive_lock(store, "schema", wait=True):
            current, head = schema_revisions(store)
            if current is None:
                log.info("creating a new database at %s", safe_url(url))
                upgrade_schema(store)
                current = head
    if current != head:
        store.dispose()
        raise DatabaseError(
            f"database schema is at {current or 'nothing'}, this curator needs {head} — "
            "run `curator db upgrade`"
        )
    return store


def make_engine(url: str) -> Engine:
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise ConfigError(f"database url {url!r} is not a valid SQLAlchemy URL") from None
    kwargs: dict[str, Any] = {}
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database
        if database and database != ":memory:":
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        kwargs["connect_args"] = {"timeout": 30}
    elif parsed.get_backend_name() == "postgresql" and parsed.drivername == "postgresql":
        parsed = parsed.set(drivername="postgresql+psycopg")
    try:
        engine = create_engine(parsed, **kwargs)
    except (NoSuchModuleError, ModuleNotFoundError) as exc:
        raise ConfigError(
            f"no driver for {parsed.drivername} ({exc}) — pip install 'curator[postgres]'"
        ) from None
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
    return engine


def _sqlite_begin(conn: Any) -> None:
    # IMMEDIATE takes the write lock up front, so concurrent writers wait (busy_timeout) instead
    # of failing on a lock upgrade; and the DDL of a migration is inside the transaction too.
    conn.exec_driver_sql("BEGIN IMMEDIATE")


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # pysqlite's own transaction handling leaves DDL outside transactions, so a process killed
    # while creating the schema would leave half of it: take over, and BEGIN explicitly.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    # WAL lets editors read while a poll writes; FULL makes a commit durable across power loss.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def safe_url(url: str) -> str:
    """The URL with any password masked, for logs and messages."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return "<invalid url>"


# ---------------------------------------------------------------------------------------------
# Migrations


def _alembic_config(connection: Any) -> AlembicConfig:
    # Imported here: alembic costs ~0.7 s to import, and only `db upgrade` and a brand-new
    # database need it; every other command just reads alembic_version.
    from alembic.config import Config as AlembicConfig

    cfg = AlembicConfig()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["connection"] = connection
    return cfg


def schema_head() -> str:
    """The newest revision: migrations are named ``NNNN_what.py`` with ``revision = "NNNN"``
    and form one line (a test checks both against alembic's own view)."""
    return max(p.name[:4] for p in (MIGRATIONS / "versions").glob("[0-9][0-9][0-9][0-9]_*.py"))


def schema_revisions(store: Store) -> tuple[str | None, str]:
    """(current revision of the database, newest revision this code knows)."""
    head = schema_head()
    try:
        with store.engine.connect() as conn:
            current = None
            if inspect(conn).has_table("alembic_version"):
                current = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
    except OperationalError as exc:
        raise DatabaseError(
            f"cannot open database {safe_url(str(store.engine.url))}: {exc.orig} — "
            "check [database] url"
        ) from None
    return current, head


def upgrade_schema(store: Store, revision: str = "head") -> None:
    from alembic import command

    with store.engine.begin() as conn:
        command.upgrade(_alembic_config(conn), revision)


def downgrade_schema(store: Store, revision: str) -> None:
    from alembic import command

    with store.engine.begin() as conn:
        command.downgrade(_alembic_config(conn), revision)


# ---------------------------------------------------------------------------------------------
# One poll at a time per database


@contextlib.contextmanager
def exclusive_lock(store: Store, name: str, *, wait: bool = False) -> Iterator[bool]:
    """Yield True if this process got the named lock for this database, False if another has it
    (with ``wait``, block until it is free and always yield True).

    SQLite: ``flock`` on a file beside the database (released by the kernel if we are killed).
    PostgreSQL: a session advisory lock, which also covers pollers on other hosts.
    """
    if store.dialect == "postgresql":
        key = int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big", signed=True)
        with store.engine.connect() as conn:
            if wait:
                conn.execute(text("SELECT pg_advisory_lock(:k)"), {"k": key})
                got = True
            else:
                got = bool(
                    conn.execute(text("SELECT pg_try_advisory_lock(:k)"), {"k": key}).scalar()
                )
            try:
                yield got
            finally:
                if got:
                    conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": key})
                conn.commit()
        return
    database = store.engine.url.database or "memory"
    path = Path(f"{database}.{name}.lock") if database != ":memory:" else None
    if path is None:
        yield True
        return
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX if wait else fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)
