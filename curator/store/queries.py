"""Read-side queries: the records `curator list` and `curator show` print."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, TypeAlias

from sqlalchemy import (
    Boolean,
    ColumnElement,
    Select,
    bindparam,
    false,
    func,
    or_,
    select,
    text,
)
from sqlalchemy.orm import Session, defer

from curator.store.models import Mailbox, Message, Question, Response
from curator.store.search import search_condition

GENUINE = "response"
# A SELECT of any columns (Select is variadic over its row type).
AnySelect: TypeAlias = "Select[*tuple[Any, ...]]"
SORTS = ("oldest", "newest", "quality", "confidence", "length")
# The sorts by a response column, each served by an index of migration 0004 (key, id).
RESPONSE_SORTS = ("quality", "confidence", "length")
# PostgreSQL: a search matching fewer responses than this is resolved to its ids first.
PG_PROBE = 2000
# SQLite, sorting by a response column: question and status filters matching at least this
# many responses are walked along the sort's index rather than looked up and then sorted.
SQLITE_PROBE = 2000


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
    stmt = _list_query(flt, _plan(session, flt))
    rows = session.execute(stmt).all()
    return [message_record(row[0], row[1], row[2]) for row in rows]


def matching_ids(session: Session, flt: ListFilter) -> list[int]:
    """The ids of the messages a filter selects, in its order (for bulk changes)."""
    stmt = _filtered(select(Message.id), flt, _plan(session, flt))
    return list(session.scalars(_ordered(stmt, flt)))


@dataclass(frozen=True)
class _Plan:
    """How to shape one listing's query for the database's planner."""

    dialect: str
    hits: list[int] | None = None  # see _rare_search_hits
    # SQLite: mark the kind (and question/status) tests as true of most rows (``likely()``),
    # so the planner walks an index in the requested order instead of their indexes.
    likely_kind: bool = False
    likely_filters: bool = False


def _sort(flt: ListFilter) -> str:
    return "newest" if flt.newest_first else flt.sort


def _responses_only(flt: ListFilter) -> bool:
    """Only genuine responses: each has its response row (the understanding stage writes the
    kind and the row in one transaction), so the join to it can be an inner one — which
    lets the database start from `response` and its indexes."""
    return flt.kinds == (GENUINE,)


def _plan(session: Session, flt: ListFilter) -> _Plan:
    dialect = _dialect(session)
    hits = _rare_search_hits(session, flt)
    if dialect != "sqlite" or not _responses_only(flt):
        return _Plan(dialect, hits)
    if _sort(flt) not in RESPONSE_SORTS:
        return _Plan(dialect, hits)
    # SQLite keeps no statistics: an equality on an indexed column looks selective, so it
    # would fetch all 60,000 new responses and sort them, rather than walk the sort's index
    # and stop at the 50th. Count (on an index, at most SQLITE_PROBE) to tell which it is.
    return _Plan(dialect, hits, likely_kind=True, likely_filters=_dense(session, flt))


def _dense(session: Session, flt: ListFilter) -> bool:
    if not (flt.question or flt.status):
        return False
    probe = select(Response.id)
    if flt.question:
        probe = probe.join(Question, Question.id == Response.question_id).where(
            Question.slug == flt.question
        )
    if flt.status:
        probe = probe.where(Response.status == flt.status)
    found = session.scalar(select(func.count()).select_from(probe.limit(SQLITE_PROBE).subquery()))
    return (found or 0) >= SQLITE_PROBE


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


def _list_query(flt: ListFilter, plan: _Plan) -> AnySelect:
    stmt = select(Message, Response, Question.slug).options(defer(Message.raw))
    return _ordered(_filtered(stmt, flt, plan, with_question=True), flt)


def _filtered(
    stmt: AnySelect, flt: ListFilter, plan: _Plan, *, with_question: bool = False
) -> AnySelect:
    dialect, hits = plan.dialect, plan.hits
    on = Response.id == Message.id
    stmt = stmt.join(Response, on) if _responses_only(flt) else stmt.outerjoin(Response, on)
    if with_question or flt.question:
        # Not for ids alone: the join would make the review queue read response rows for
        # `question_id` instead of its index.
        stmt = stmt.outerjoin(Question, Question.id == Response.question_id)
    conditions: list[ColumnElement[bool]] = []
    if flt.kinds:
        kind = Message.kind.in_(flt.kinds)
        conditions.append(_likely(kind) if plan.likely_kind else kind)
    for column, value, probed in (
        (Question.slug, flt.question, True),
        (Response.position, flt.position, False),
        (Response.status, flt.status, True),
        (Response.language, flt.language, False),
        (Response.country, flt.country and flt.country.upper(), False),
    ):
        if value:
            test = column == value
            conditions.append(_likely(test) if probed and plan.likely_filters else test)
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


def _likely(condition: ColumnElement[bool]) -> ColumnElement[bool]:
    """SQLite's planner hint that a condition holds for most rows (a no-op when run)."""
    return func.likely(condition, type_=Boolean)


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
    sort = _sort(flt)
    # The response sorts match the indexes of migration 0004 (key, then Response.id; then
    # Message.id for the rows of other kinds under --all, which have no response row). The
    # two ids are one with responses only: given a status, Response.id has the review queue
    # (and the other statuses) come out of their index (status, id, …) in order; without,
    # Message.id walks the kind index in order.
    rid = Response.id if _responses_only(flt) and flt.status else Message.id
    keys: dict[str, tuple[Any, ...]] = {
        "oldest": (rid,),
        "newest": (rid.desc(),),
        "quality": (Response.quality.desc().nulls_last(), Response.id, Message.id),
        "confidence": (Response.position_confidence.asc().nulls_first(), Response.id, Message.id),
        "length": (Response.word_count.desc().nulls_last(), Response.id, Message.id),
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
