"""Write side of editors' decisions: every change goes with an audit event (append-only)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from curator.store.models import Event, Message, Question, Response


def find_response(session: Session, response_id: int) -> Response | None:
    return session.get(Response, response_id)


def question_slug(session: Session, response: Response) -> str | None:
    if response.question_id is None:
        return None
    return session.scalar(select(Question.slug).where(Question.id == response.question_id))


def next_pick_order(session: Session, question_id: int | None) -> int:
    current = session.scalar(
        select(func.max(Response.pick_order)).where(
            Response.status == "picked",
            Response.question_id.is_(None)
            if question_id is None
            else Response.question_id == question_id,
        )
    )
    return (current or 0) + 1


def change(
    session: Session, response: Response, actor: str, action: str, new: dict[str, Any]
) -> None:
    """Apply field changes to a response and record old → new in the audit trail."""
    old = {k: getattr(response, k) for k in new}
    if old == new:
        return
    for key, value in new.items():
        setattr(response, key, value)
    response.version += 1
    session.add(Event(actor=actor, action=action, response_id=response.id, old=old, new=new))


def picked_responses(session: Session, slug: str) -> list[tuple[Response, Message]]:
    rows = session.execute(
        select(Response, Message)
        .join(Message, Message.id == Response.id)
        .join(Question, Question.id == Response.question_id)
        .where(Question.slug == slug, Response.status == "picked", Message.kind == "response")
        .order_by(Response.pick_order, Response.id)
    ).all()
    return [(r, m) for r, m in rows]


def position_counts(session: Session, slug: str) -> dict[str | None, int]:
    rows = session.execute(
        select(Response.position, func.count())
        .join(Message, Message.id == Response.id)
        .join(Question, Question.id == Response.question_id)
        .where(Question.slug == slug, Message.kind == "response")
        .group_by(Response.position)
    ).all()
    return {p: n for p, n in rows}


def find_question(session: Session, slug: str) -> Question | None:
    return session.scalar(select(Question).where(Question.slug == slug))
