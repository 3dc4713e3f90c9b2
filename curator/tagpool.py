"""Tagging in a worker process, for the understanding stage over a large backlog.

Understanding a batch and tagging its replies cost about the same; the process stage
(``curator.process``) understands and writes in its own process and hands each batch's replies
to this worker, so on two cores the two halves overlap. The worker fits the same taggers as
``curator.tagstage`` (from the question config and the editors' corrections in the database,
which it reads itself) and returns the model's fields per message; nothing is written here.
A reply seen recently (a quarter of a large mailbox repeats one) is not tagged again.

The worker is spawned (not forked: the parent holds database connections and may hold
onnxruntime threads), and single-threaded BLAS is asked for before numpy loads: with two
processes on two cores, OpenBLAS threads only spin against each other (a third less CPU time
per reply, measured). If the worker dies, ``TagFuture.result`` returns None and the caller
tags in its own process from then on.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import threading
import time
from collections import OrderedDict
from collections.abc import Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from multiprocessing import get_context
from typing import Any

from curator.questions import Question
from curator.store.engine import Store

log = logging.getLogger(__name__)
# (message id, question id, reply text) in; model fields by message id out.
Texts = Sequence[tuple[int, int | None, str]]
# Distinct replies whose tags are remembered (about 10 MB; a fifth of a 100,000-reply backfill
# are repeats seen within that many).
SEEN_TEXTS = 20_000
_THREAD_VARIABLES = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")


class TagFuture:
    def __init__(self, future: Future[dict[int, dict[str, Any]]] | None) -> None:
        self._future = future

    def result(self) -> dict[int, dict[str, Any]] | None:
        """The model fields by message id; None if the worker failed (already logged)."""
        if self._future is None:
            return None
        try:
            return self._future.result()
        except Exception:
            log.exception("tagging in the worker process failed")
            return None


class TagPool:
    """One worker process that tags batches of replies, in order of submission."""

    def __init__(
        self, store: Store, questions: Sequence[Question], question_ids: dict[str, int]
    ) -> None:
        url = store.engine.url.render_as_string(hide_password=False)
        self._executor: ProcessPoolExecutor | None = ProcessPoolExecutor(
            max_workers=1,
            mp_context=get_context("spawn"),
            initializer=_start_worker,
            initargs=(url, list(questions), dict(question_ids)),
        )

    def submit(self, texts: Texts) -> TagFuture:
        if self._executor is None:
            return TagFuture(None)
        try:
            return TagFuture(self._executor.submit(_tag, list(texts)))
        except RuntimeError:  # the pool broke earlier (a worker died)
            log.exception("the tagging worker is gone")
            return TagFuture(None)

    def close(self) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)
            self._executor = None


# ---------------------------------------------------------------------------------------------
# In the worker process

_worker: dict[str, Any] = {}


def _start_worker(url: str, questions: list[Question], question_ids: dict[str, int]) -> None:
    for name in _THREAD_VARIABLES:  # before numpy loads (it loads with curator.tagging)
        os.environ.setdefault(name, "1")
    threading.Thread(target=_exit_with_parent, args=(os.getppid(),), daemon=True).start()
    from curator.store.engine import open_store
    from curator.tagstage import Taggers

    _worker["store"] = open_store(url, upgrade=False)
    _worker["taggers"] = Taggers(questions, question_ids)
    _worker["seen"] = _Seen()


def _exit_with_parent(parent: int) -> None:
    """A parent killed outright (kill -9, the OOM killer) cannot stop its pool: the worker
    would wait for work forever, so it watches and leaves with it."""
    while os.getppid() == parent:
        time.sleep(0.5)
    os._exit(1)


def _tag(texts: list[tuple[int, int | None, str]]) -> dict[int, dict[str, Any]]:
    store: Store = _worker["store"]
    seen: _Seen = _worker["seen"]
    out: dict[int, dict[str, Any]] = {}
    rows: dict[bytes, dict[str, Any]] = {}  # one per distinct text still to tag
    keys: dict[int, bytes] = {}
    for i, qid, reply in texts:
        keys[i] = key = _key(qid, reply)
        if (fields := seen.get(key)) is not None:
            out[i] = fields
        else:
            rows.setdefault(key, {"question_id": qid, "reply": reply})
    # A session only for the first batch of each question, when the tagger is fitted on the
    # editors' corrections; after that no connection is taken.
    with store.transaction() as session:
        _worker["taggers"].apply(session, list(rows.values()))
    for key, row in rows.items():
        seen.put(key, {k: v for k, v in row.items() if k not in ("question_id", "reply")})
    for i, key in keys.items():
        if i not in out:
            out[i] = seen.get(key) or {}
    return out


def _key(question_id: int | None, reply: str) -> bytes:
    return hashlib.blake2b(
        f"{question_id}\0{reply}".encode(errors="replace"), digest_size=16
    ).digest()


class _Seen:
    """The model fields of the last ``size`` distinct replies: a quarter of the replies in a
    large mailbox repeat one seen before (short answers, form letters, copies), and a text is
    tagged as if alone, so its tags are the same. Kept as JSON: a fifth of the memory."""

    def __init__(self, size: int = SEEN_TEXTS) -> None:
        self.size = size
        self._fields: OrderedDict[bytes, str] = OrderedDict()

    def get(self, key: bytes) -> dict[str, Any] | None:
        found = self._fields.get(key)
        if found is None:
            return None
        self._fields.move_to_end(key)
        fields: dict[str, Any] = json.loads(found)
        return fields

    def put(self, key: bytes, fields: dict[str, Any]) -> None:
        self._fields[key] = json.dumps(fields)
        while len(self._fields) > self.size:
            self._fields.popitem(last=False)
