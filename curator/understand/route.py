"""Which question does a reply answer? Thread headers first, then subject, then date."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from curator.questions import Question


def find_question(
    questions: Sequence[Question],
    *,
    in_reply_to: str | None,
    references: Sequence[str],
    subject: str | None,
    date: datetime | None,
) -> Question | None:
    """The question a reply belongs to, or None.

    1. In-Reply-To or References names the newsletter issue that asked it (the most
       recent reference wins when several questions match);
    2. the subject contains one of its ``subject_contains`` phrases;
    3. the reply arrived inside its date window, when exactly one window holds it.
    """
    thread = [*references, *([in_reply_to] if in_reply_to else [])]
    for message_id in reversed(thread):
        key = message_id.strip().lower()
        for question in questions:
            if any(ref.strip().lower() == key for ref in question.references):
                return question
    text = (subject or "").casefold()
    for question in questions:
        if any(p.casefold() in text for p in question.subject_contains if p):
            return question
    if date is not None:
        inside = [q for q in questions if _in_window(q, date)]
        if len(inside) == 1:
            return inside[0]
    return None


def _in_window(question: Question, date: datetime) -> bool:
    if question.date_from is None and question.date_to is None:
        return False
    if question.date_from is not None and date < question.date_from:
        return False
    return not (question.date_to is not None and date >= question.date_to)
