"""Read-side queries: the records `curator list` and `curator show` print."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session

from curator.store.models import Mailbox, Message, Question, Response

GENUINE = "response"


@dataclass(frozen=True)
class ListFilter:
    question: str | None = None
    kinds: tuple[str, ...] = (GENUINE,)  # empty: every kind, unprocessed mail included
    position: str | None = None
    status: str | None = None
    search: str | None = None
    limit: int | None = None
    newest_first: bool = False


def list_records(session: Session, flt: ListFilter) -> list[dict[str, Any]]:
    stmt = _list_query(flt)
    rows = session.execute(stmt).all()
    return [message_record(row[0], row[1], row[2]) for row in rows]


def _list_query(flt: ListFilter) -> Select[Message, Response, str]:
    stmt = (
        select(Message, Response, Question.slug)
        .outerjoin(Response, Response.id == Message.id)
        .outerjoin(Question, Question.id == Response.question_id)
    )
    if flt.kinds:
        stmt = stmt.where(Message.kind.in_(flt.kinds))
    if flt.question:
        stmt = stmt.where(Question.slug == flt.question)
    if flt.position:
        stmt = stmt.where(Response.position == flt.position)
    if flt.status:
        stmt = stmt.where(Response.status == flt.status)
    if flt.search:
        like = f"%{flt.search.lower()}%"
        stmt = stmt.where(
            or_(
                func.lower(Response.reply).like(like),
                func.lower(Response.name).like(like),
                func.lower(Response.location).like(like),
                func.lower(Message.subject).like(like),
            )
        )
    stmt = stmt.order_by(Message.id.desc() if flt.newest_first else Message.id)
    if flt.limit:
        stmt = stmt.limit(flt.limit)
    return stmt


def find_record(session: Session, message_id: int) -> dict[str, Any] | None:
    row = session.execute(
        select(Message, Response, Question.slug)
        .outerjoin(Response, Response.id == Message.id)
        .outerjoin(Question, Question.id == Response.question_id)
        .where(Message.id == message_id)
    ).first()
    if row is None:
        return None
    return message_record(row[0], row[1], row[2])


def find_raw(session: Session, message_id: int) -> bytes | None:
    return session.scalar(select(Message.raw).where(Message.id == message_id))


def message_record(m: Message, r: Response | None, slug: str | None) -> dict[str, Any]:
    """The stable JSON shape of one message (DESIGN §6 fields first)."""
    withhold = None
    if r is not None:
        withhold = r.withhold_override if r.withhold_override is not None else r.withhold_name
    return {
        "id": m.id,
        "message_id": m.message_id,
        "kind": m.kind,
        "question": slug,
        "position": r.position if r else None,
        "arguments": [a["key"] for a in r.arguments] if r else [],
        "name": (r.name_override or r.name) if r else None,
        "location": (r.location_override or r.location) if r else None,
        "country": r.country if r else None,
        "withhold_name": withhold,
        "reply": r.reply if r else None,
        "elided": r.elided if r else None,
        "status": r.status if r else None,
        "excerpt": r.excerpt if r else None,
        "language": r.language if r else None,
        "position_confidence": r.position_confidence if r else None,
        "position_source": r.position_source if r else None,
        "pick_order": r.pick_order if r else None,
        "from": m.from_addr,
        "from_name": m.from_name,
        "subject": m.subject,
        "received_at": m.received_at.isoformat() if m.received_at else None,
        "duplicate_of": m.duplicate_of_id,
        "source": m.source,
        "source_ref": m.source_ref,
        "error": m.error,
    }


def counts_by_kind(session: Session) -> dict[str, int]:
    rows = session.execute(select(Message.kind, func.count()).group_by(Message.kind)).all()
    return {(k or "unprocessed"): n for k, n in rows}


def mailbox_states(session: Session) -> Sequence[Mailbox]:
    return session.scalars(select(Mailbox).order_by(Mailbox.name)).all()
