"""Read side of the digest: the picks of a question in running order and the split by position.

Rows come back as plain frozen records so that `curator.digest` never holds ORM objects.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from curator.store.models import Message, Question, Response


@dataclass(frozen=True)
class QuestionRecord:
    slug: str
    title: str
    prompt: str
    positions: tuple[tuple[str, str], ...]  # (key, label) in config order


@dataclass(frozen=True)
class PickRecord:
    """A picked response with everything its quote and attribution need."""

    id: int
    reply: str
    excerpt: str | None
    name: str | None
    location: str | None
    withhold_name: bool
    name_override: str | None
    location_override: str | None
    withhold_override: bool | None
    position: str | None
    pick_order: int | None


def find_question_record(session: Session, slug: str) -> QuestionRecord | None:
    question = session.scalar(select(Question).where(Question.slug == slug))
    if question is None:
        return None
    return QuestionRecord(
        slug=question.slug,
        title=question.title,
        prompt=question.prompt or "",
        positions=tuple(_position_pairs(question.positions)),
    )


def _position_pairs(raw: list[Any]) -> list[tuple[str, str]]:
    pairs = []
    for item in raw or ():
        if isinstance(item, dict) and isinstance(item.get("key"), str):
            pairs.append((item["key"], str(item.get("label") or item["key"])))
    return pairs


def picked_records(session: Session, slug: str) -> list[PickRecord]:
    """Genuine responses picked for the question, in the editor's running order."""
    rows = session.scalars(
        select(Response)
        .join(Message, Message.id == Response.id)
        .join(Question, Question.id == Response.question_id)
        .where(Question.slug == slug, Response.status == "picked", Message.kind == "response")
        .order_by(Response.pick_order, Response.id)
    ).all()
    return [
        PickRecord(
            id=r.id,
            reply=r.reply or "",
            excerpt=r.excerpt,
            name=r.name,
            location=r.location,
            withhold_name=bool(r.withhold_name),
            name_override=r.name_override,
            location_override=r.location_override,
            withhold_override=r.withhold_override,
            position=r.position,
            pick_order=r.pick_order,
        )
        for r in rows
    ]


def response_position_counts(session: Session, slug: str) -> dict[str | None, int]:
    """How many genuine responses (kind ``response``) the question got, by position."""
    rows = session.execute(
        select(Response.position, func.count())
        .join(Message, Message.id == Response.id)
        .join(Question, Question.id == Response.question_id)
        .where(Question.slug == slug, Message.kind == "response")
        .group_by(Response.position)
    ).all()
    return {position: int(count) for position, count in rows}
