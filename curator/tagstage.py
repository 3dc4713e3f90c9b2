"""The tagging step over stored responses: one tagger per question, fitted on the question's
config and on every editor correction in the database, applied to model-owned tags only.

`curator.tagging` is pure; this module feeds it from the store. Tagging failures are logged
and leave responses untagged (they then sit at the top of the review queue), never stopping
the batch.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy.orm import Session

from curator.questions import Question
from curator.store import processing as db
from curator.store.engine import Store

if TYPE_CHECKING:
    from curator.tagging import Tagger, Tagging

log = logging.getLogger(__name__)
MAX_ARGUMENTS = 5  # suggestions stored per response, ranked


class Taggers:
    """Fitted taggers by question id, built on first use within one run."""

    def __init__(self, questions: Sequence[Question], question_ids: dict[str, int]) -> None:
        self.by_id = {question_ids[q.slug]: q for q in questions if q.slug in question_ids}
        self._fitted: dict[int, Tagger | None] = {}
        self.fit_seconds = 0.0

    def get(self, session: Session, question_id: int | None) -> Tagger | None:
        if question_id is None or question_id not in self.by_id:
            return None
        if question_id not in self._fitted:
            self._fitted[question_id] = self._fit(session, self.by_id[question_id], question_id)
        return self._fitted[question_id]

    def _fit(self, session: Session, question: Question, question_id: int) -> Tagger | None:
        if not question.positions:
            return None
        from curator.tagging import Correction, Tagger  # numpy and the model: load on use

        corrections = [
            Correction(text, position, tuple(added), tuple(removed))
            for text, position, added, removed in db.editor_corrections(
                session, question_id, [a.key for a in question.arguments]
            )
        ]
        start = time.perf_counter()
        try:
            tagger = Tagger.fit(question, corrections)
        except Exception:
            log.exception("could not fit the tagger for %s; responses stay untagged", question.slug)
            return None
        self.fit_seconds += time.perf_counter() - start
        log.info(
            "fitted the tagger for %s on %d editor corrections in %.2f s",
            question.slug,
            len(corrections),
            time.perf_counter() - start,
        )
        return tagger

    def apply(self, session: Session, rows: list[dict[str, Any]]) -> None:
        """Add model position and argument fields to new response rows, in place."""
        by_question: dict[int | None, list[dict[str, Any]]] = {}
        for row in rows:
            by_question.setdefault(row.get("question_id"), []).append(row)
        for question_id, group in by_question.items():
            tagger = self.get(session, question_id)
            if tagger is None:
                continue
            try:
                taggings = tagger.tag([str(r["reply"]) for r in group])
            except Exception:
                log.exception("tagging failed for question id %s", question_id)
                continue
            for row, tagging in zip(group, taggings, strict=True):
                row.update(model_fields(tagging))


def model_fields(tagging: Tagging) -> dict[str, Any]:
    return {
        "position": tagging.position.key,
        "position_confidence": round(float(tagging.position.confidence), 4),
        "position_source": "model",
        "arguments": [
            {"key": a.key, "score": round(float(a.score), 4), "source": "model"}
            for a in tagging.arguments[:MAX_ARGUMENTS]
        ],
    }


@dataclass
class RetagReport:
    question: str
    corrections: int
    retagged: int
    seconds: float


def retag_question(store: Store, question: Question, question_ids: dict[str, int]) -> RetagReport:
    """Refit on the current corrections and re-tag every response whose tags the model owns."""
    start = time.perf_counter()
    taggers = Taggers([question], question_ids)
    qid = question_ids[question.slug]
    with store.transaction() as session:
        tagger = taggers.get(session, qid)
        rows = db.model_tagged_responses(session, qid)
        if tagger is not None and rows:
            taggings = tagger.tag([reply for _, reply in rows])
            db.save_responses(
                session,
                [
                    {"id": rid, **model_fields(t)}
                    for (rid, _), t in zip(rows, taggings, strict=True)
                ],
            )
        corrections = len(db.editor_corrections(session, qid, [a.key for a in question.arguments]))
    return RetagReport(question.slug, corrections, len(rows), time.perf_counter() - start)
