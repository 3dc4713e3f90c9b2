"""Read-side queries: the records `curator list` and `curator show` print."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, TypeAlias

from sqlalchemy import ColumnElement, Select, bindparam, false, func, or_, select, text
from sqlalchemy.orm import Session, defer

from curator.store.models import Mailbox, Message, Question, Response
from curator.store.search import search_condition

GENUINE = "response"
# A SELECT of any columns (Select is variadic over its row type).
AnySelect: TypeAlias = "Select[*tuple[Any, ...]]"
SORTS = ("oldest", "newest", "quality", "confidence", "length")
# PostgreSQL: a search matching fewer responses than this is resolved to its ids first.
PG_PROBE = 2000


@dataclass(frozen=True)
class ListFilter:
    question: str | None = None
    kinds: tuple[str, ...] = (GENUINE,)  # empty: every kind, unprocessed mail included
    position: str | None = None
    status: str | None = None
    search: str | None = None
    limit: int | None = None
    newest_first: bool = False  # the same as sort="newest"
    argument: str | None = None
    language: str | None = None
    country: str | None = None
    confidence_below: float | None = None  # untagged responses count as confidence 0
    sort: str = "oldest"  # one of SORTS
    ids: tuple[int, ...] | None = None


def list_records(session: Session, flt: ListFilter) -> list[dict[str, Any]]:
    stmt = _list_query(flt, _dialect(session), _rare_search_hits(session, flt))
    rows = session.execute(stmt).all()
    return [message_record(row[0], row[1], row[2]) for row in rows]


def matching_ids(session: Session, flt: ListFilter) -> list[int]:
    """The ids of the messages a filter selects, in its order (for bulk changes)."""
    hits = _rare_search_hits(session, flt)
    stmt = _filtered(select(Message.id), flt, _dialect(session), hits)
    return list(session.scalars(_ordered(stmt, flt)))


def _dialect(session: Session) -> str:
    return session.get_bind().dialect.name


def _rare_search_hits(session: Session, flt: ListFilter) -> list[int] | None:
    """PostgreSQL: the ids a rare search matches, or None when it matches many (or no search).

    The planner cannot tell "riga" (a quarter of the replies) from a word nobody wrote: for
    ``ORDER BY id LIMIT 50`` it walks the ids and tests each row, which is instant for a common
    word and reads all 100,000 rows for a rare one. So ask the GIN index first, for at most
    `PG_PROBE` ids (a bitmap scan, milliseconds): fewer means the search is rare, and those
    ids are the filter; as many means matches are dense, and the walk finds 50 at once."""
    if not flt.search or _dialect(session) != "postgresql":
        return None
    found = search_condition("postgresql", flt.search)
    if found is None:
        return None
    hits = list(session.scalars(select(Response.id).where(found).limit(PG_PROBE)))
    return hits if len(hits) < PG_PROBE else None


def _list_query(flt: ListFilter, dialect: str, hits: list[int] | None = None) -> AnySelect:
    stmt = select(Message, Response, Question.slug).options(defer(Message.raw))
    return _ordered(_filtered(stmt, flt, dialect, hits), flt)


def _filtered(
    stmt: AnySelect, flt: ListFilter, dialect: str, hits: list[int] | None = None
) -> AnySelect:
    stmt = stmt.outerjoin(Response, Response.id == Message.id).outerjoin(
        Question, Question.id == Response.question_id
    )
    conditions: list[ColumnElement[bool]] = []
    if flt.kinds:
        conditions.append(Message.kind.in_(flt.kinds))
    for column, value in (
        (Question.slug, flt.question),
        (Response.position, flt.position),
        (Response.status, flt.status),
        (Response.language, flt.language),
        (Response.country, flt.country and flt.country.upper()),
    ):
        if value:
            conditions.append(column == value)
    if flt.ids is not None:
        conditions.append(Message.id.in_(flt.ids))
    if flt.confidence_below is not None:
        conditions.append(
            or_(Response.position.is_(None), Response.position_confidence < flt.confidence_below)
        )
    if flt.argument:
        conditions.append(_has_argument(dialect, flt.argument))
    if flt.search:
        conditions.append(_search(dialect, flt, hits))
    return stmt.where(*conditions) if conditions else stmt


def _search(dialect: str, flt: ListFilter, hits: list[int] | None) -> ColumnElement[bool]:
    assert flt.search is not None
    if hits is not None:
        found: ColumnElement[bool] | None = Message.id.in_(hits)
    else:
        # Message.id, not Response.id: SQLite then walks the FTS matches by primary key.
        found = search_condition(dialect, flt.search, Message.id)
    if flt.kinds == (GENUINE,):
        return found if found is not None else false()
    # Other kinds have no response row: look at their subject too (fine at these volumes).
    subject = func.lower(Message.subject).like(f"%{flt.search.lower()}%")
    return subject if found is None else or_(found, subject)


def _has_argument(dialect: str, key: str) -> ColumnElement[bool]:
    if dialect == "postgresql":
        sql = (
            "EXISTS (SELECT 1 FROM json_array_elements(response.arguments) AS a "
            "WHERE a->>'key' = :argument_key)"
        )
    else:
        sql = (
            "EXISTS (SELECT 1 FROM json_each(response.arguments) AS a "
            "WHERE json_extract(a.value, '$.key') = :argument_key)"
        )
    return text(sql).bindparams(bindparam("argument_key", key))  # type: ignore[return-value]


def _ordered(stmt: AnySelect, flt: ListFilter) -> AnySelect:
    sort = "newest" if flt.newest_first else flt.sort
    keys: dict[str, tuple[Any, ...]] = {
        "oldest": (Message.id,),
        "newest": (Message.id.desc(),),
        "quality": (Response.quality.desc().nulls_last(), Message.id),
        "confidence": (Response.position_confidence.asc().nulls_first(), Message.id),
        "length": (Response.word_count.desc().nulls_last(), Message.id),
    }
    if sort not in keys:
        raise ValueError(f"unknown sort {sort!r}")
    stmt = stmt.order_by(*keys[sort])
    return stmt.limit(flt.limit) if flt.limit else stmt


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
        "status_reason": r.status_reason if r else None,
        "excerpt": r.excerpt if r else None,
        "language": r.language if r else None,
        "position_confidence": r.position_confidence if r else None,
        "position_source": r.position_source if r else None,
        "pick_order": r.pick_order if r else None,
        "version": r.version if r else None,
        "quality": r.quality if r else None,
        "word_count": r.word_count if r else None,
        "argument_details": list(r.arguments) if r else [],
        "original_name": r.name if r else None,
        "original_location": r.location if r else None,
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


def slate_candidates(session: Session, slug: str) -> list[dict[str, Any]]:
    """Responses to a question still open to picking (new or shortlisted), for `suggest`."""
    rows = session.execute(
        select(Response)
        .join(Message, Message.id == Response.id)
        .join(Question, Question.id == Response.question_id)
        .where(
            Question.slug == slug,
            Message.kind == GENUINE,
            Response.status.in_(("new", "shortlisted")),
        )
        .order_by(Response.id)
    ).scalars()
    return [
        {
            "id": r.id,
            "status": r.status,
            "position": r.position,
            "confidence": r.position_confidence,
            "arguments": list(r.arguments),
            "quality": r.quality,
            "words": len((r.excerpt or r.reply).split()),
            "name": r.name_override or r.name,
            "location": r.location_override or r.location,
            "country": r.country,
            "withhold": r.withhold_override if r.withhold_override is not None else r.withhold_name,
        }
        for r in rows
    ]
