"""Bulk-insert understood responses directly (tests and `scripts/bench --only list`).

Real mail goes through `store.ingest` and the understanding stage; this writes the rows that
stage would have written, fast (one executemany per table), so curation can be exercised and
timed at 100,000 responses without parsing 100,000 mails.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from curator.store.models import Message, Question, Response, utcnow


@dataclass(frozen=True)
class SeedResponse:
    reply: str
    name: str | None = None
    location: str | None = None
    country: str | None = None
    position: str | None = None
    confidence: float | None = None
    arguments: tuple[str, ...] = ()
    language: str = "en"
    from_addr: str | None = None
    quality: float | None = None
    withhold: bool = False
    extra: dict[str, Any] = field(default_factory=dict)


def ensure_question(
    session: Session, slug: str, positions: Sequence[str], arguments: Sequence[str]
) -> int:
    row = session.scalar(select(Question).where(Question.slug == slug))
    if row is None:
        row = Question(slug=slug, title=slug, prompt="", match={})
        session.add(row)
    row.positions = [{"key": k, "label": k, "description": ""} for k in positions]
    row.arguments = [{"key": k, "label": k, "description": ""} for k in arguments]
    session.flush()
    return row.id


def insert_responses(
    session: Session, question_id: int | None, rows: Sequence[SeedResponse]
) -> list[int]:
    """Insert message + response rows; returns their ids in order."""
    start = (session.scalar(select(func.max(Message.id))) or 0) + 1
    base = datetime(2026, 1, 8, 9, 0, tzinfo=UTC)
    now = utcnow()
    messages, responses = [], []
    for i, r in enumerate(rows):
        mid = start + i
        raw = f"From: {r.from_addr or 'x@example.org'}\r\n\r\n{r.reply}\r\n".encode()
        messages.append(_message(mid, raw, r, base + timedelta(seconds=mid), now))
        responses.append(_response(mid, question_id, r))
    if messages:
        session.execute(insert(Message), messages)
        session.execute(insert(Response), responses)
    return [m["id"] for m in messages]


def _message(mid: int, raw: bytes, r: SeedResponse, at: datetime, now: datetime) -> dict[str, Any]:
    return {
        "id": mid,
        "ingest_key": f"seed:{mid}",
        "source": "file",
        "message_id": f"<seed-{mid}@readers.example.org>",
        "sha256": hashlib.sha256(raw).hexdigest(),
        "size": len(raw),
        "raw": raw,
        "received_at": at,
        "stored_at": now,
        "from_addr": r.from_addr or f"reader{mid}@readers.example.org",
        "from_name": r.name,
        "subject": "Re: Signal",
        "kind": "response",
        "processed_at": now,
    }


def _response(mid: int, question_id: int | None, r: SeedResponse) -> dict[str, Any]:
    return {
        "id": mid,
        "question_id": question_id,
        "reply": r.reply,
        "elided": "",
        "signoff": "",
        "name": r.name,
        "location": r.location,
        "country": r.country,
        "withhold_name": r.withhold,
        "language": r.language,
        "word_count": len(r.reply.split()),
        "position": r.position,
        "position_confidence": r.confidence,
        "position_source": "model" if r.position else None,
        "arguments": [{"key": k, "score": 0.8, "source": "model"} for k in r.arguments],
        "quality": r.quality,
        "status": "new",
        "version": 1,
        "updated_at": utcnow(),
        **r.extra,
    }
