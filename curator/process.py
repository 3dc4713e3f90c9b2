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
from typing import TYPE_CHECKING

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from curator.questions import Question
from curator.store import processing as db
from curator.store.engine import Store
from curator.tagstage import Taggers

if TYPE_CHECKING:
    from curator.understand import Understanding

log = logging.getLogger(__name__)
BATCH = 200


def understand_message(raw: bytes, questions: Sequence[Question]) -> Understanding:
    # Imported on first use: loading the gazetteer takes a while, and most commands never
    # understand a message.
    from curator.understand import understand_message as understand

    return understand(raw, questions)


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
    run = _Run(questions, question_ids, Taggers(questions, question_ids))
    after = 0
    while True:
        with store.transaction() as session:
            batch = db.pending_mail(session, BATCH, after)
            if not batch:
                break
            _process_guarded(session, batch, run, report)
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


@dataclass(frozen=True)
class _Run:
    """What every batch of one run shares."""

    questions: Sequence[Question]
    question_ids: dict[str, int]
    taggers: Taggers


def _process_guarded(
    session: Session, batch: Sequence[db.PendingMail], run: _Run, report: ProcessReport
) -> None:
    """Process a batch in one go; if the database refuses it, one message at a time, so one
    bad message is recorded as failed instead of taking the batch down with it."""
    counts = ProcessReport()
    try:
        with session.begin_nested():
            _process_batch(session, batch, run, counts)
        report.responses += counts.responses
        report.failed += counts.failed
        return
    except SQLAlchemyError as exc:
        if len(batch) == 1:
            log.warning("message %d could not be stored: %s", batch[0].id, exc)
            db.save_failure(session, batch[0].id, f"{type(exc).__name__}: {exc}")
            report.failed += 1
            return
    for mail in batch:
        _process_guarded(session, [mail], run, report)


def _process_batch(
    session: Session, batch: Sequence[db.PendingMail], run: _Run, report: ProcessReport
) -> None:
    understood: list[tuple[db.PendingMail, Understanding]] = []
    for mail in batch:
        try:
            understood.append((mail, understand_message(mail.raw, run.questions)))
        except Exception as exc:  # a bug in one message's handling must not stop the batch
            log.warning("message %d could not be understood: %s", mail.id, exc, exc_info=True)
            db.save_failure(session, mail.id, f"{type(exc).__name__}: {exc}")
            report.failed += 1
    headers: list[dict[str, object]] = []
    responses: list[dict[str, object]] = []
    kinds: list[dict[str, object]] = []
    supersedes: list[tuple[int, int]] = []
    latest = db.earlier_responses(
        session, [u.from_addr for _, u in understood if u.from_addr], batch[0].id
    )
    for mail, u in understood:
        kind = "duplicate" if mail.duplicate_of_id is not None else u.kind
        headers.append({"id": mail.id, **_header_fields(u, kind)})
        if kind != "response":
            continue
        question_id = run.question_ids.get(u.question) if u.question else None
        key = (u.from_addr or "", question_id)
        earlier = latest.get(key) if u.from_addr else None
        if earlier and _same_text(earlier[1], u.reply):
            # The same answer sent twice (a new Message-ID, so the store could not tell).
            kinds.append({"id": mail.id, "kind": "duplicate", "duplicate_of_id": earlier[0]})
            continue
        responses.append({"id": mail.id, **_response_fields(u, question_id)})
        if earlier and u.asks_to_supersede:
            kinds.append({"id": earlier[0], "kind": "superseded"})
            supersedes.append((mail.id, earlier[0]))
        if u.from_addr:
            latest[key] = (mail.id, u.reply)
    db.save_headers(session, headers)
    run.taggers.apply(session, responses)
    db.save_responses(session, responses)
    db.set_kinds(session, kinds)
    db.set_supersedes(session, supersedes)
    report.responses += len(responses)


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
