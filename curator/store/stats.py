"""Counts for `curator stats`: how the genuine responses to a question split."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from curator.store.models import Message, Question, Response

MODEL_ARGUMENTS_COUNTED = 2  # a reply's top model suggestions that count as "its" arguments


@dataclass
class Split:
    total: int = 0
    positions: dict[str, int] = field(default_factory=dict)  # key ("untagged" too) → count
    editor_positions: int = 0  # of which an editor set or confirmed the position
    arguments: dict[str, int] = field(default_factory=dict)
    editor_arguments: int = 0  # responses whose arguments an editor owns
    needs_review: int = 0


def question_split(session: Session, slug: str, review_below: float) -> Split | None:
    qid = session.scalar(select(Question.id).where(Question.slug == slug))
    if qid is None:
        return None
    rows = session.execute(
        select(
            Response.position,
            Response.position_source,
            Response.position_confidence,
            Response.arguments,
        )
        .join(Message, Message.id == Response.id)
        .where(Response.question_id == qid, Message.kind == "response")
    ).all()
    split = Split(total=len(rows))
    for position, source, confidence, arguments in rows:
        key = position or "untagged"
        split.positions[key] = split.positions.get(key, 0) + 1
        split.editor_positions += source == "editor"
        if source != "editor" and (confidence is None or confidence < review_below):
            split.needs_review += 1
        for arg in _counted(arguments):
            split.arguments[arg] = split.arguments.get(arg, 0) + 1
        split.editor_arguments += bool(arguments) and all(
            a.get("source") == "editor" for a in arguments
        )
    return split


def _counted(arguments: list[dict[str, Any]]) -> list[str]:
    if arguments and all(a.get("source") == "editor" for a in arguments):
        return [a["key"] for a in arguments]
    return [a["key"] for a in arguments[:MODEL_ARGUMENTS_COUNTED]]
