"""Write side of the understanding stage: pending mail in, interpretation out.

Editors' decisions (status, excerpt, overrides, an editor's position and arguments, picks) are
never touched here, so `curator reprocess` can re-run everything after an improvement.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Table, bindparam, func, insert, or_, select, update
from sqlalchemy.orm import Session

from curator.questions import Question as QuestionSpec
from curator.store.models import Message, Question, Response, utcnow

MESSAGE: Table = Message.__table__  # type: ignore[assignment]
RESPONSE: Table = Response.__table__  # type: ignore[assignment]


@dataclass(frozen=True)
class PendingMail:
    id: int
    raw: bytes
    duplicate_of_id: int | None


def sync_questions(session: Session, questions: Sequence[QuestionSpec]) -> dict[str, int]:
    """Mirror the configured questions into the database; returns slug → id."""
    existing = {q.slug: q for q in session.scalars(select(Question))}
    for spec in questions:
        row = existing.get(spec.slug)
        if row is None:
            row = Question(slug=spec.slug)
            session.add(row)
            existing[spec.slug] = row
        row.title = spec.title
        row.prompt = spec.prompt
        row.match = {
            "references": list(spec.references),
            "subject_contains": list(spec.subject_contains),
            "date_from": spec.date_from.isoformat() if spec.date_from else None,
            "date_to": spec.date_to.isoformat() if spec.date_to else None,
        }
        row.positions = [
            {"key": p.key, "label": p.label, "description": p.description} for p in spec.positions
        ]
        row.arguments = [
            {"key": a.key, "label": a.label, "description": a.description} for a in spec.arguments
        ]
    session.flush()
    return {slug: q.id for slug, q in existing.items()}


def pending_mail(session: Session, limit: int, after_id: int = 0) -> list[PendingMail]:
    rows = session.execute(
        select(Message.id, Message.raw, Message.duplicate_of_id)
        .where(Message.processed_at.is_(None), Message.id > after_id)
        .order_by(Message.id)
        .limit(limit)
    ).all()
    return [PendingMail(i, raw, dup) for i, raw, dup in rows]


def count_pending(session: Session) -> int:
    return session.scalar(select(func.count()).where(Message.processed_at.is_(None))) or 0


def mark_all_pending(session: Session) -> int:
    result = session.execute(update(Message).values(processed_at=None))
    return int(getattr(result, "rowcount", 0) or 0)


def storable(row: dict[str, Any]) -> dict[str, Any]:
    """Text as every database takes it: PostgreSQL refuses NUL characters in text columns
    (binary junk and broken encodings produce them); the raw bytes keep the original."""
    return {k: v.replace("\x00", "\ufffd") if isinstance(v, str) else v for k, v in row.items()}


def save_headers(session: Session, rows: Sequence[dict[str, Any]]) -> None:
    """Bulk UPDATE by primary key: each dict holds ``id`` and the message fields to set."""
    _update_by_id(session, MESSAGE, [storable(r) for r in rows])


def save_failure(session: Session, message_id: int, error: str) -> None:
    session.execute(
        update(Message)
        .where(Message.id == message_id)
        .values(error=error[:4000], processed_at=utcnow())
    )


def save_responses(session: Session, rows: Sequence[dict[str, Any]]) -> None:
    """Create or refresh response rows (each dict holds ``id``), keeping editor-owned fields.

    Core executemany statements rather than ORM objects: a backfill writes 100,000 of these,
    and the ORM's per-row bookkeeping cost more than the database itself.
    """
    if not rows:
        return
    owned = {
        rid: (source, arguments)
        for rid, source, arguments in session.execute(
            select(Response.id, Response.position_source, Response.arguments).where(
                Response.id.in_([x["id"] for x in rows])
            )
        )
    }
    fresh = [storable({"status": "new", **x}) for x in rows if x["id"] not in owned]
    for group in _by_columns(fresh):
        session.connection().execute(insert(RESPONSE), group)
    changed: list[dict[str, Any]] = []
    for fields in rows:
        if fields["id"] not in owned:
            continue
        source, arguments = owned[fields["id"]]
        if source == "editor":
            fields = {k: v for k, v in fields.items() if not k.startswith("position")}
        if any(a.get("source") == "editor" for a in arguments or ()):
            fields = {k: v for k, v in fields.items() if k != "arguments"}
        changed.append(storable(fields))
    _update_by_id(session, RESPONSE, changed)


def _by_columns(rows: Sequence[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """Rows grouped by the columns they set: one executemany needs the same keys in each."""
    groups: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for row in rows:
        groups.setdefault(tuple(sorted(row)), []).append(row)
    return list(groups.values())


def _update_by_id(session: Session, table: Table, rows: Sequence[dict[str, Any]]) -> None:
    """``UPDATE table SET … WHERE id = :id`` as one executemany per set of columns."""
    for group in _by_columns(rows):
        columns = [k for k in group[0] if k != "id"]
        if not columns:
            continue
        statement = (
            update(table)
            .where(table.c.id == bindparam("row_id"))
            .values({k: bindparam(f"new_{k}") for k in columns})
        )
        params = [{**{f"new_{k}": r[k] for k in columns}, "row_id": r["id"]} for r in group]
        session.connection().execute(statement, params)


def earlier_responses(
    session: Session, from_addrs: Sequence[str], before_id: int
) -> dict[tuple[str, int | None], tuple[int, str]]:
    """Each reader's latest genuine response before ``before_id``, per question:
    (from address, question id) → (response id, reply)."""
    if not from_addrs:
        return {}
    # The kind is checked here, not in SQL: given ``kind = 'response'``, SQLite walks the kind
    # index over every earlier response (a batch's cost then grows with the database); without
    # it, it looks up the addresses in the from_addr index.
    rows = session.execute(
        select(Message.from_addr, Message.kind, Response.question_id, Response.id, Response.reply)
        .join(Message, Message.id == Response.id)
        .where(Message.from_addr.in_(sorted(set(from_addrs))), Message.id < before_id)
        .order_by(Message.id)
    ).all()
    return {
        (addr, qid): (rid, reply)
        for addr, kind, qid, rid, reply in rows
        if addr and kind == "response"
    }


def set_kinds(session: Session, rows: Sequence[dict[str, Any]]) -> None:
    """Bulk kind changes: dicts of ``id``, ``kind`` and optionally ``duplicate_of_id``."""
    for row in rows:  # few per batch; each may set different columns
        session.execute(
            update(Message)
            .where(Message.id == row["id"])
            .values(**{k: v for k, v in row.items() if k != "id"})
        )


def set_supersedes(session: Session, rows: Sequence[tuple[int, int]]) -> None:
    for response_id, earlier_id in rows:
        session.execute(
            update(Response).where(Response.id == response_id).values(supersedes_id=earlier_id)
        )


def editor_corrections(
    session: Session, question_id: int, argument_keys: Sequence[str]
) -> list[tuple[str, str | None, list[str], list[str]]]:
    """Editors' tags as training data: (reply, position or None, arguments added, removed).

    An editor-owned argument list is complete (curate.editing marks the whole list), so every
    configured argument not in it counts as removed.
    """
    rows = session.execute(
        select(Response.reply, Response.position, Response.position_source, Response.arguments)
        .join(Message, Message.id == Response.id)
        .where(Response.question_id == question_id, Message.kind == "response")
    ).all()
    out: list[tuple[str, str | None, list[str], list[str]]] = []
    for reply, position, source, arguments in rows:
        editor_position = position if source == "editor" else None
        owned = bool(arguments) and all(a.get("source") == "editor" for a in arguments)
        added = [a["key"] for a in arguments] if owned else []
        removed = [k for k in argument_keys if k not in added] if owned else []
        if editor_position is not None or owned:
            out.append((reply, editor_position, added, removed))
    return out


def model_tagged_responses(session: Session, question_id: int) -> list[tuple[int, str]]:
    """(id, reply) of genuine responses whose position the model owns (or nobody yet)."""
    rows = session.execute(
        select(Response.id, Response.reply)
        .join(Message, Message.id == Response.id)
        .where(
            Response.question_id == question_id,
            Message.kind == "response",
            or_(Response.position_source.is_(None), Response.position_source != "editor"),
        )
        .order_by(Response.id)
    ).all()
    return [(i, r) for i, r in rows]


def processed_now() -> datetime:
    return utcnow()
