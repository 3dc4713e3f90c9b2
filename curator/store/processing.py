"""Write side of the understanding stage: pending mail in, interpretation out.

Editors' decisions (status, excerpt, overrides, an editor's position and arguments, picks) are
never touched here, so `curator reprocess` can re-run everything after an improvement.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from curator.questions import Question as QuestionSpec
from curator.store.models import Message, Question, Response, utcnow


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
    from sqlalchemy import func

    return session.scalar(select(func.count()).where(Message.processed_at.is_(None))) or 0


def mark_all_pending(session: Session) -> int:
    result = session.execute(update(Message).values(processed_at=None))
    return int(getattr(result, "rowcount", 0) or 0)


def save_headers(session: Session, message_id: int, headers: dict[str, Any]) -> None:
    session.execute(update(Message).where(Message.id == message_id).values(**headers))


def save_failure(session: Session, message_id: int, error: str) -> None:
    session.execute(
        update(Message)
        .where(Message.id == message_id)
        .values(error=error[:4000], processed_at=utcnow())
    )


def save_response(session: Session, message_id: int, fields: dict[str, Any]) -> None:
    """Create or refresh the response row, leaving editor-owned fields as they are."""
    row = session.get(Response, message_id)
    if row is None:
        session.add(Response(id=message_id, status="new", **fields))
        return
    if row.position_source == "editor":
        fields = {k: v for k, v in fields.items() if not k.startswith("position")}
    if any(a.get("source") == "editor" for a in row.arguments):
        fields.pop("arguments", None)
    for key, value in fields.items():
        setattr(row, key, value)


def find_earlier_response(
    session: Session, from_addr: str, before_id: int, question_id: int | None
) -> tuple[int, str] | None:
    """The reader's latest earlier genuine response to the same question: (id, reply)."""
    row = session.execute(
        select(Response.id, Response.reply)
        .join(Message, Message.id == Response.id)
        .where(
            Message.from_addr == from_addr,
            Message.id < before_id,
            Message.kind == "response",
            Response.question_id.is_(None)
            if question_id is None
            else Response.question_id == question_id,
        )
        .order_by(Message.id.desc())
        .limit(1)
    ).first()
    return (row[0], row[1]) if row else None


def set_kind(
    session: Session, message_id: int, kind: str, *, duplicate_of: int | None = None
) -> None:
    values: dict[str, Any] = {"kind": kind}
    if duplicate_of is not None:
        values["duplicate_of_id"] = duplicate_of
    session.execute(update(Message).where(Message.id == message_id).values(**values))


def set_supersedes(session: Session, response_id: int, earlier_id: int) -> None:
    session.execute(
        update(Response).where(Response.id == response_id).values(supersedes_id=earlier_id)
    )


def processed_now() -> datetime:
    return utcnow()
