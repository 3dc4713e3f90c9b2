"""Write side of editors' decisions: every change goes with an audit event (append-only).

Compare-and-set: a caller that showed the editor version N of a response passes
``expect_version=N``; the row is locked (``SELECT … FOR UPDATE`` on PostgreSQL; SQLite has one
writer at a time) and the change is refused with `StaleError` if someone changed it since.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from curator.errors import CuratorError, ExitCode
from curator.store.models import Event, Question, Response

# Fields an editor may change, and so the only ones an event may record or undo restore.
EDITABLE = (
    "status",
    "status_reason",
    "pick_order",
    "position",
    "position_confidence",
    "position_source",
    "arguments",
    "excerpt",
    "name_override",
    "location_override",
    "withhold_override",
)


class StaleError(CuratorError):
    """The response changed after the editor saw it; their change was not applied.

    Its own exit code, so a script (or a second editor's wrapper) can tell "look again and
    retry" from a real failure."""

    exit_code = ExitCode.CONFLICT


@dataclass(frozen=True)
class EventRow:
    id: int
    at: str
    actor: str
    action: str
    response_id: int | None
    old: dict[str, Any] | None
    new: dict[str, Any] | None
    batch: str | None
    undoes_id: int | None


def find_response(session: Session, response_id: int, *, lock: bool = False) -> Response | None:
    if not lock:
        return session.get(Response, response_id)
    return session.scalar(
        select(Response)
        .where(Response.id == response_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )


def question_slug(session: Session, response: Response) -> str | None:
    if response.question_id is None:
        return None
    return session.scalar(select(Question.slug).where(Question.id == response.question_id))


def find_question_by_id(session: Session, question_id: int | None) -> Question | None:
    return None if question_id is None else session.get(Question, question_id)


def _same_question(question_id: int | None) -> Any:
    if question_id is None:
        return Response.question_id.is_(None)
    return Response.question_id == question_id


def picks_in_order(session: Session, question_id: int | None) -> list[Response]:
    """The picked responses of a question in running order, locked for renumbering.

    The question row is locked first, so two editors picking at once take turns rather than
    both claiming the same place in the order."""
    if question_id is not None:
        session.execute(select(Question.id).where(Question.id == question_id).with_for_update())
    return list(
        session.scalars(
            select(Response)
            .where(Response.status == "picked", _same_question(question_id))
            .order_by(Response.pick_order, Response.id)
            .with_for_update()
        )
    )


def check_version(response: Response, expect_version: int | None) -> None:
    if expect_version is not None and response.version != expect_version:
        raise StaleError(
            f"response {response.id} changed since you saw it (version {expect_version}, now "
            f"{response.version}) — see `curator show {response.id}` and try again"
        )


def change(
    session: Session,
    response: Response,
    actor: str,
    action: str,
    new: dict[str, Any],
    *,
    batch: str | None = None,
    expect_version: int | None = None,
    undoes_id: int | None = None,
) -> bool:
    """Apply field changes to a response and record old → new in the audit trail.

    Returns False (and writes nothing) when nothing would change."""
    check_version(response, expect_version)
    old = {k: getattr(response, k) for k in new}
    if old == new:
        return False
    # Compare-and-set in the UPDATE itself, so a change made between our read and this write
    # (SQLite reads outside the write transaction) is caught, never overwritten.
    seen = response.version
    result = session.execute(
        update(Response)
        .where(Response.id == response.id, Response.version == seen)
        .values(**new, version=seen + 1)
        .execution_options(synchronize_session=False)
    )
    if getattr(result, "rowcount", 1) != 1:
        session.expire(response)
        raise StaleError(
            f"response {response.id} was changed by someone else just now — "
            f"see `curator show {response.id}` and try again"
        )
    for key, value in {**new, "version": seen + 1}.items():
        set_committed_value(response, key, value)
    session.add(
        Event(
            actor=actor,
            action=action,
            response_id=response.id,
            old=old,
            new=new,
            batch=batch,
            undoes_id=undoes_id,
        )
    )
    return True


def _event_row(e: Event) -> EventRow:
    return EventRow(
        e.id, e.at.isoformat(), e.actor, e.action, e.response_id, e.old, e.new, e.batch, e.undoes_id
    )


def list_events(
    session: Session, response_id: int | None = None, limit: int | None = None
) -> list[EventRow]:
    """Audit events, newest first (of one response, or all)."""
    stmt = select(Event).order_by(Event.id.desc())
    if response_id is not None:
        stmt = stmt.where(Event.response_id == response_id)
    if limit:
        stmt = stmt.limit(limit)
    return [_event_row(e) for e in session.scalars(stmt)]


def last_undoable_batch(session: Session, actor: str) -> list[Event]:
    """The actor's latest batch of changes that has not been undone yet (newest event first)."""
    undone = select(Event.undoes_id).where(Event.undoes_id.is_not(None))
    latest = session.scalar(
        select(Event)
        .where(
            Event.actor == actor,
            Event.action != "undo",
            Event.response_id.is_not(None),
            Event.id.not_in(undone),
        )
        .order_by(Event.id.desc())
        .limit(1)
    )
    if latest is None:
        return []
    if latest.batch is None:
        return [latest]
    return list(
        session.scalars(
            select(Event)
            .where(Event.batch == latest.batch, Event.id.not_in(undone))
            .order_by(Event.id.desc())
        )
    )


def find_question(session: Session, slug: str) -> Question | None:
    return session.scalar(select(Question).where(Question.slug == slug))


def responses_by_ids(session: Session, ids: Sequence[int]) -> dict[int, Response]:
    return {r.id: r for r in session.scalars(select(Response).where(Response.id.in_(ids)))}
