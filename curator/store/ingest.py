"""Storing raw mail exactly once, and the per-mailbox cursor that commits with it."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, and_, bindparam, insert, or_, select, update
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from curator.store.models import Mailbox, Message, utcnow


@dataclass(frozen=True)
class IncomingMail:
    """A mail ready to store. Built by `curator.mail` (which computes its identity)."""

    raw: bytes
    ingest_key: str
    sha256: str
    message_id: str | None
    source: str  # imap | file
    uid: int | None = None
    received_at: datetime | None = None
    source_ref: str | None = None


@dataclass
class IngestResult:
    stored: int = 0  # new rows, duplicates included
    duplicates: int = 0  # of which second copies of a mail already stored
    already: int = 0  # seen before under the same identity: nothing written
    rekeyed: int = 0  # known mail found under a new UIDVALIDITY

    def add(self, other: IngestResult) -> None:
        self.stored += other.stored
        self.duplicates += other.duplicates
        self.already += other.already
        self.rekeyed += other.rekeyed


MESSAGE_TABLE = Message.metadata.tables["message"]
ROW_COLUMNS = (
    "ingest_key",
    "mailbox_id",
    "uidvalidity",
    "uid",
    "source",
    "source_ref",
    "message_id",
    "sha256",
    "size",
    "raw",
    "received_at",
    "stored_at",
    "duplicate_of_id",
    "kind",
)


@dataclass(frozen=True)
class _Insert:
    """The message INSERT compiled once per dialect, with the columns' bind processors."""

    sql: str
    positional: bool
    order: tuple[str, ...]
    processors: tuple[tuple[str, Callable[[Any], Any]], ...]


_INSERTS: dict[str, _Insert] = {}


def _compiled_insert(dialect: Dialect) -> _Insert:
    key = f"{dialect.name}+{dialect.driver}:{dialect.paramstyle}"
    if key not in _INSERTS:
        stmt = insert(MESSAGE_TABLE).values({c: bindparam(c) for c in ROW_COLUMNS})
        compiled = stmt.compile(dialect=dialect)
        processors = []
        for name in ROW_COLUMNS:
            proc = MESSAGE_TABLE.c[name].type.dialect_impl(dialect).bind_processor(dialect)
            if proc is not None:
                processors.append((name, proc))
        _INSERTS[key] = _Insert(
            sql=compiled.string,
            positional=bool(compiled.positional),
            order=tuple(compiled.positiontup or ()),
            processors=tuple(processors),
        )
    return _INSERTS[key]


def insert_messages(connection: Connection, rows: list[dict[str, Any]]) -> None:
    """INSERT message rows with one DB-API executemany.

    The statement is compiled once and each column's bind processor (e.g. UTC timestamps)
    applied here, which is what SQLAlchemy's executemany does per row too, at a third of the
    cost: this runs for every fetched mail while the IMAP thread waits for the GIL.
    """
    ins = _compiled_insert(connection.dialect)
    for name, proc in ins.processors:
        last_in: Any = object()
        last_out: Any = None
        for row in rows:
            value = row[name]
            if value is not last_in:  # e.g. stored_at: one timestamp for the whole batch
                last_in, last_out = value, proc(value)
            row[name] = last_out
    params: list[Any] = (
        [tuple(row[name] for name in ins.order) for row in rows] if ins.positional else rows
    )
    connection.exec_driver_sql(ins.sql, params)


def imap_key(mailbox_id: int, uidvalidity: int, uid: int) -> str:
    return f"imap:{mailbox_id}:{uidvalidity}:{uid}"


def file_key(sha256: str, ref: str) -> str:
    # The same file imported again is the same mail; an identical copy elsewhere (two
    # deliveries of one mail) is kept, as a duplicate row, so nothing disappears silently.
    return f"file:{sha256}:{hashlib.sha256(ref.encode()).hexdigest()[:16]}"


def get_or_create_mailbox(session: Session, name: str, folder: str) -> Mailbox:
    box = session.scalar(select(Mailbox).where(Mailbox.name == name))
    if box is None:
        box = Mailbox(name=name, folder=folder, last_uid=0)
        session.add(box)
        session.flush()
    elif box.folder != folder:
        # A different folder is a different UID space: start its cursor again (dedup by content).
        box.folder, box.uidvalidity, box.last_uid = folder, None, 0
    return box


def store_mail(
    session: Session,
    mails: Sequence[IncomingMail],
    *,
    mailbox_id: int | None = None,
    uidvalidity: int | None = None,
    rekey: bool = False,
) -> IngestResult:
    """Insert the mails not stored yet; a second copy of a known mail becomes a duplicate row.

    With ``rekey`` (after a UIDVALIDITY change), a mail already stored from this mailbox under
    an older UIDVALIDITY — matched by its bytes, then by Message-ID — takes its new UID instead
    of being stored again.
    """
    result = IngestResult()
    unique: dict[str, IncomingMail] = {}
    for m in mails:
        unique.setdefault(m.ingest_key, m)
    known = set(
        session.scalars(select(Message.ingest_key).where(Message.ingest_key.in_(list(unique))))
    )
    fresh = [m for k, m in unique.items() if k not in known]
    result.already = len(mails) - len(fresh)
    if rekey and mailbox_id is not None and uidvalidity is not None:
        fresh = _rekey(session, fresh, mailbox_id, uidvalidity, result)
    if not fresh:
        return result

    originals = _find_originals(session, fresh)
    firsts: list[IncomingMail] = []
    copies: list[IncomingMail] = []
    for m in fresh:
        ident = _identity(m)
        if ident in originals:
            copies.append(m)
        else:
            originals[ident] = -1  # placeholder: filled in once inserted
            firsts.append(m)
    now = utcnow()
    if firsts:
        # A plain DB-API executemany: the ORM's bulk path costs a quarter more, and RETURNING
        # would make SQLite insert row by row.
        rows = [_row(m, mailbox_id, uidvalidity, now, None) for m in firsts]
        insert_messages(session.connection(), rows)
    if copies:
        pending = {i: k for i, k in originals.items() if k == -1}
        if pending:
            keys = {_identity(m): m.ingest_key for m in firsts}
            ids = dict(
                session.execute(
                    select(Message.ingest_key, Message.id).where(
                        Message.ingest_key.in_([keys[i] for i in pending])
                    )
                ).all()
            )
            originals.update({i: ids[keys[i]] for i in pending})
        insert_messages(
            session.connection(),
            [_row(m, mailbox_id, uidvalidity, now, originals[_identity(m)]) for m in copies],
        )
    result.stored = len(firsts) + len(copies)
    result.duplicates = len(copies)
    return result


def advance_cursor(session: Session, mailbox_id: int, uidvalidity: int, last_uid: int) -> None:
    """Move the cursor in the same transaction as the rows it covers (never ahead of them)."""
    session.execute(
        update(Mailbox)
        .where(Mailbox.id == mailbox_id)
        .values(uidvalidity=uidvalidity, last_uid=last_uid)
    )


def record_poll(session: Session, mailbox_id: int, *, ok: bool, summary: str) -> None:
    now = utcnow()
    values: dict[str, object] = {"last_poll_at": now, "last_result": summary}
    if ok:
        values["last_success_at"] = now
    session.execute(update(Mailbox).where(Mailbox.id == mailbox_id).values(**values))


def _identity(m: IncomingMail) -> str:
    return f"mid:{m.message_id}" if m.message_id else f"sha:{m.sha256}"


def _find_originals(session: Session, mails: Sequence[IncomingMail]) -> dict[str, int]:
    mids = {m.message_id for m in mails if m.message_id}
    shas = {m.sha256 for m in mails if not m.message_id}
    clauses: list[ColumnElement[bool]] = []
    if mids:
        clauses.append(Message.message_id.in_(mids))
    if shas:
        clauses.append(and_(Message.message_id.is_(None), Message.sha256.in_(shas)))
    found: dict[str, int] = {}
    rows = session.execute(
        select(Message.id, Message.message_id, Message.sha256)
        .where(Message.duplicate_of_id.is_(None), or_(*clauses))
        .order_by(Message.id)
    )
    for row_id, mid, sha in rows:
        found.setdefault(f"mid:{mid}" if mid else f"sha:{sha}", row_id)
    return found


def _rekey(
    session: Session,
    mails: list[IncomingMail],
    mailbox_id: int,
    uidvalidity: int,
    result: IngestResult,
) -> list[IncomingMail]:
    stale = session.execute(
        select(Message.id, Message.sha256, Message.message_id).where(
            Message.mailbox_id == mailbox_id,
            or_(Message.uidvalidity.is_(None), Message.uidvalidity != uidvalidity),
        )
    ).all()
    by_sha: dict[str, list[int]] = {}
    by_mid: dict[str, list[int]] = {}
    for row_id, sha, mid in stale:
        by_sha.setdefault(sha, []).append(row_id)
        if mid:
            by_mid.setdefault(mid, []).append(row_id)
    taken: set[int] = set()
    remaining: list[IncomingMail] = []
    for m in mails:
        candidates = by_sha.get(m.sha256, []) + by_mid.get(m.message_id or "", [])
        match = next((c for c in candidates if c not in taken), None)
        if match is None:
            remaining.append(m)
            continue
        taken.add(match)
        session.execute(
            update(Message)
            .where(Message.id == match)
            .values(uidvalidity=uidvalidity, uid=m.uid, ingest_key=m.ingest_key)
        )
        result.rekeyed += 1
    return remaining


def _row(
    m: IncomingMail,
    mailbox_id: int | None,
    uidvalidity: int | None,
    now: datetime,
    duplicate_of: int | None,
) -> dict[str, object]:
    return {
        "ingest_key": m.ingest_key,
        "mailbox_id": mailbox_id,
        "uidvalidity": uidvalidity,
        "uid": m.uid,
        "source": m.source,
        "source_ref": m.source_ref,
        "message_id": m.message_id,
        "sha256": m.sha256,
        "size": len(m.raw),
        "raw": m.raw,
        "received_at": m.received_at,
        "stored_at": now,
        "duplicate_of_id": duplicate_of,
        "kind": "duplicate" if duplicate_of is not None else None,
    }
