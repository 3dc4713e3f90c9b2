"""The understanding stage over stored mail: run by poll, import and `curator reprocess`.

`curator.understand` interprets one message (pure); this module feeds it stored raw mail in
batches, applies the decisions that need other messages (the same answer sent twice, a "use
this version instead" that supersedes an earlier reply) and writes the results. A message that
fails is recorded with its error and never stops the batch.

Each batch is read in a short transaction, understood outside any transaction, and written in
one transaction with ``processed_at``: a process killed at any point leaves the batches it had
not committed pending, and the next run does them. For a large backlog (a backfill, a
reprocess) tagging runs in a worker process (``curator.tagpool``) while this one understands
the next batch and writes the previous one: the two halves of the work take about as long
each, so two cores finish in about half the time.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from curator.questions import Question
from curator.store import processing as db
from curator.store.engine import Store
from curator.tagstage import Taggers

if TYPE_CHECKING:
    from curator.tagpool import TagFuture, TagPool
    from curator.understand import Understanding

log = logging.getLogger(__name__)
BATCH = 500  # messages per transaction: bounded memory, few commits
# From this many pending messages, tagging moves to a worker process (its start-up and the
# second fit cost about two seconds: worth it for a backfill, not for a poll of a few mails).
PARALLEL_FROM = 2_000


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
    parallel: bool | None = None,
) -> ProcessReport:
    """Understand every stored message not processed yet, oldest first.

    ``parallel``: tag in a worker process (None: when the backlog is large, the machine has
    more than one core and the database is a file or a server).
    """
    report = ProcessReport()
    start = time.perf_counter()
    with store.transaction() as session:
        question_ids = db.sync_questions(session, questions)
        total = db.count_pending(session)
    if parallel is None:
        parallel = total >= PARALLEL_FROM and _cores() > 1 and _shareable(store)
    run = _Run(questions, question_ids, Taggers(questions, question_ids))
    if parallel:
        from curator.tagpool import TagPool

        run.pool = TagPool(store, questions, question_ids)

    def write(understood: _Understood | None) -> None:
        if understood is not None:
            _write(store, understood, run, report)
            if progress:
                progress(report.processed, total)

    try:
        waiting: _Understood | None = None
        for batch in _pending_batches(store):
            # While this process understands a batch, the worker tags the one before it.
            understood = _understand_batch(batch, run)
            write(waiting)
            waiting = understood
        write(waiting)
    finally:
        if run.pool is not None:
            run.pool.close()
    report.seconds = time.perf_counter() - start
    return report


def reprocess_all(
    store: Store,
    questions: Sequence[Question],
    *,
    progress: Callable[[int, int], None] | None = None,
    parallel: bool | None = None,
) -> ProcessReport:
    with store.transaction() as session:
        db.mark_all_pending(session)
    return process_pending(store, questions, progress=progress, parallel=parallel)


def _cores() -> int:
    if hasattr(os, "sched_getaffinity"):  # the cores this process may use, not the host's
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def _shareable(store: Store) -> bool:
    """Can another process open this database? (Not an in-memory SQLite.)"""
    return store.dialect != "sqlite" or store.engine.url.database not in (None, "", ":memory:")


@dataclass
class _Run:
    """What every batch of one run shares."""

    questions: Sequence[Question]
    question_ids: dict[str, int]
    taggers: Taggers  # in this process: the default, and the fallback if the pool fails
    pool: TagPool | None = None


@dataclass
class _Understood:
    """One batch, understood (outside any transaction), waiting to be written."""

    batch: Sequence[db.PendingMail]
    results: dict[int, Understanding] = field(default_factory=dict)
    failures: dict[int, str] = field(default_factory=dict)
    tags: TagFuture | None = None  # the worker's model fields by message id


def _pending_batches(store: Store) -> Iterator[list[db.PendingMail]]:
    after = 0
    while True:
        with store.transaction() as session:
            batch = db.pending_mail(session, BATCH, after)
        if not batch:
            return
        yield batch
        after = batch[-1].id


def _understand_batch(batch: Sequence[db.PendingMail], run: _Run) -> _Understood:
    out = _Understood(batch)
    for mail in batch:
        try:
            out.results[mail.id] = understand_message(mail.raw, run.questions)
        except Exception as exc:  # a bug in one message's handling must not stop the batch
            log.warning("message %d could not be understood: %s", mail.id, exc, exc_info=True)
            out.failures[mail.id] = f"{type(exc).__name__}: {exc}"
    if run.pool is not None:
        # Every reply that may be stored as a response; the few found to be sent twice are
        # tagged for nothing. Each text is tagged as if alone, so the tags are the same.
        texts = [
            (mail_id, run.question_ids.get(u.question) if u.question else None, u.reply)
            for mail_id, u in out.results.items()
            if u.kind == "response"
        ]
        out.tags = run.pool.submit(texts)
    return out


def _write(store: Store, understood: _Understood, run: _Run, report: ProcessReport) -> None:
    tags = None
    if understood.tags is not None:
        # Wait before the transaction: the worker may need the database to fit its taggers.
        tags = understood.tags.result()
        if tags is None and run.pool is not None:
            log.warning("the tagging worker failed: tagging in this process from now on")
            run.pool.close()
            run.pool = None
    with store.transaction() as session:
        _process_guarded(session, understood.batch, understood, tags, run, report)
    report.processed += len(understood.batch)


def _process_guarded(
    session: Session,
    batch: Sequence[db.PendingMail],
    understood: _Understood,
    tags: dict[int, dict[str, Any]] | None,
    run: _Run,
    report: ProcessReport,
) -> None:
    """Write a batch in one go; if the database refuses it, one message at a time, so one
    bad message is recorded as failed instead of taking the batch down with it."""
    counts = ProcessReport()
    try:
        with session.begin_nested():
            _process_batch(session, batch, understood, tags, run, counts)
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
        _process_guarded(session, [mail], understood, tags, run, report)


def _process_batch(
    session: Session,
    batch: Sequence[db.PendingMail],
    understood: _Understood,
    tags: dict[int, dict[str, Any]] | None,
    run: _Run,
    report: ProcessReport,
) -> None:
    results: list[tuple[db.PendingMail, Understanding]] = []
    for mail in batch:
        if mail.id in understood.failures:
            db.save_failure(session, mail.id, understood.failures[mail.id])
            report.failed += 1
        else:
            results.append((mail, understood.results[mail.id]))
    headers: list[dict[str, object]] = []
    responses: list[dict[str, object]] = []
    kinds: list[dict[str, object]] = []
    supersedes: list[tuple[int, int]] = []
    latest = db.earlier_responses(
        session, [u.from_addr for _, u in results if u.from_addr], batch[0].id
    )
    for mail, u in results:
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
    if tags is None:
        run.taggers.apply(session, responses)
    else:
        for row in responses:
            row.update(tags.get(int(str(row["id"])), {}))
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
