"""The understanding stage over stored mail: run by poll, import and `curator reprocess`.

`curator.understand` interprets one message (pure); this module feeds it stored raw mail in
batches, applies the decisions that need other messages (the same answer sent twice, a "use
this version instead" that supersedes an earlier reply) and writes the results. A message that
fails is recorded with its error and never stops the batch.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from sqlalchemy.orm import Session

from curator.questions import Question
from curator.store import processing as db
from curator.store.engine import Store
from curator.understand import Understanding, understand_message

log = logging.getLogger(__name__)
BATCH = 200


@dataclass
class ProcessReport:
    processed: int = 0
    responses: int = 0
    failed: int = 0
    seconds: float = 0.0


def process_pending(
    store: Store,
    questions: Sequence[Question],
    *,
    progress: Callable[[int, int], None] | None = None,
) -> ProcessReport:
    """Understand every stored message not processed yet, oldest first."""
    report = ProcessReport()
    start = time.perf_counter()
    with store.transaction() as session:
        question_ids = db.sync_questions(session, questions)
        total = db.count_pending(session)
    after = 0
    while True:
        with store.transaction() as session:
            batch = db.pending_mail(session, BATCH, after)
            if not batch:
                break
            for mail in batch:
                _process_one(session, mail, questions, question_ids, report)
            after = batch[-1].id
        report.processed += len(batch)
        if progress:
            progress(report.processed, total)
    report.seconds = time.perf_counter() - start
    return report


def reprocess_all(
    store: Store,
    questions: Sequence[Question],
    *,
    progress: Callable[[int, int], None] | None = None,
) -> ProcessReport:
    with store.transaction() as session:
        db.mark_all_pending(session)
    return process_pending(store, questions, progress=progress)


def _process_one(
    session: Session,
    mail: db.PendingMail,
    questions: Sequence[Question],
    question_ids: dict[str, int],
    report: ProcessReport,
) -> None:
    try:
        u = understand_message(mail.raw, questions)
    except Exception as exc:  # a bug in one message's handling must not stop the batch
        log.warning("message %d could not be understood: %s", mail.id, exc, exc_info=True)
        db.save_failure(session, mail.id, f"{type(exc).__name__}: {exc}")
        report.failed += 1
        return
    kind = "duplicate" if mail.duplicate_of_id is not None else u.kind
    db.save_headers(session, mail.id, _header_fields(u, kind))
    if kind != "response":
        return
    question_id = question_ids.get(u.question) if u.question else None
    earlier = None
    if u.from_addr:
        earlier = db.find_earlier_response(session, u.from_addr, mail.id, question_id)
    if earlier and _same_text(earlier[1], u.reply):
        # The same answer sent twice (a new Message-ID, so the store could not tell).
        db.set_kind(session, mail.id, "duplicate", duplicate_of=earlier[0])
        return
    db.save_response(session, mail.id, _response_fields(u, question_id))
    report.responses += 1
    if earlier and u.asks_to_supersede:
        db.set_kind(session, earlier[0], "superseded")
        db.set_supersedes(session, mail.id, earlier[0])


def _header_fields(u: Understanding, kind: str) -> dict[str, object]:
    return {
        "from_addr": u.from_addr,
        "from_name": u.from_name,
        "subject": u.subject,
        "sent_at": u.date,
        "in_reply_to": u.in_reply_to,
        "references": " ".join(u.references) or None,
        "kind": kind,
        "error": None,
        "processed_at": db.processed_now(),
    }


def _response_fields(u: Understanding, question_id: int | None) -> dict[str, object]:
    return {
        "question_id": question_id,
        "reply": u.reply,
        "elided": u.elided,
        "signoff": u.signoff,
        "name": u.name,
        "location": u.location,
        "country": u.country,
        "withhold_name": u.withhold_name,
        "language": u.language,
        "word_count": u.word_count,
    }


def _same_text(a: str, b: str) -> bool:
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold() and bool(a.strip())
