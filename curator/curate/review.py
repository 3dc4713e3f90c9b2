"""The state behind `curator review`: a queue, a cursor, and one service call per key.

Screen-independent so it can be tested without a terminal. Every change passes the version
of the response the editor is looking at; if another editor changed it meanwhile the change
is refused, the screen says so and shows the fresh version.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from curator.curate.audit import undo
from curator.curate.editing import Edit, edit, tag
from curator.curate.queue import select_ids
from curator.curate.service import set_status
from curator.errors import CuratorError
from curator.store import curation as db
from curator.store.engine import Store
from curator.store.queries import ListFilter, find_record

VERBS = {"picked": "picked", "shortlisted": "shortlisted", "rejected": "rejected"}


@dataclass(frozen=True)
class Label:
    key: str
    label: str


class ReviewSession:
    def __init__(self, store: Store, flt: ListFilter, actor: str) -> None:
        self.store = store
        self.flt = flt
        self.actor = actor
        self.index = 0
        self.message = ""
        self.ids: list[int] = select_ids(store, flt)
        self.record: dict[str, Any] | None = None
        self._labels: dict[str | None, tuple[list[Label], list[Label]]] = {}
        self.load()

    # -- navigation --------------------------------------------------------------------------

    def load(self) -> None:
        if not self.ids:
            self.record = None
            return
        self.index = max(0, min(self.index, len(self.ids) - 1))
        with self.store.transaction() as session:
            self.record = find_record(session, self.ids[self.index])

    def move(self, delta: int) -> None:
        self.message = ""
        self.index += delta
        self.load()

    def search(self, text: str) -> None:
        self.flt = replace(self.flt, search=text.strip() or None)
        self.ids = select_ids(self.store, self.flt)
        self.index = 0
        self.message = f"{len(self.ids)} match “{text.strip()}”" if text.strip() else "all"
        self.load()

    @property
    def rid(self) -> int | None:
        return None if self.record is None else int(self.record["id"])

    @property
    def version(self) -> int | None:
        return None if self.record is None else self.record["version"]

    # -- the question's tags -----------------------------------------------------------------

    def labels(self) -> tuple[list[Label], list[Label]]:
        """(positions, arguments) of the current response's question."""
        slug = None if self.record is None else self.record["question"]
        if slug not in self._labels:
            with self.store.transaction() as session:
                q = db.find_question(session, slug) if slug else None
                pos = [
                    Label(p["key"], p.get("label") or p["key"]) for p in (q.positions if q else [])
                ]
                arg = [
                    Label(a["key"], a.get("label") or a["key"]) for a in (q.arguments if q else [])
                ]
            self._labels[slug] = (pos, arg)
        return self._labels[slug]

    # -- decisions ---------------------------------------------------------------------------

    def _do(self, what: str, action: Any, advance: bool) -> bool:
        if self.rid is None:
            return False
        try:
            action()
        except CuratorError as exc:
            self.message = f"Not done: {exc}"
            self.load()
            return False
        self.message = what
        if advance and self.index < len(self.ids) - 1:
            self.index += 1
        self.load()
        return True

    def _target(self) -> tuple[int, int | None]:
        assert self.record is not None
        return int(self.record["id"]), self.record["version"]

    def decide(self, status: str) -> bool:
        if self.record is None:
            return False
        rid, version = self._target()
        return self._do(
            f"#{rid} {VERBS[status]}",
            lambda: set_status(self.store, [rid], status, actor=self.actor, expect_version=version),
            advance=True,
        )

    def tag_position(self, key: str) -> bool:
        if self.record is None:
            return False
        rid, version = self._target()
        return self._do(
            f"#{rid} tagged {key}",
            lambda: tag(self.store, [rid], actor=self.actor, position=key, expect_version=version),
            advance=False,
        )

    def toggle_argument(self, key: str) -> bool:
        if self.record is None:
            return False
        rid, version = self._target()
        has = key in self.record["arguments"]
        add, remove = ((), (key,)) if has else ((key,), ())
        return self._do(
            f"#{rid} {'−' if has else '+'}{key}",
            lambda: tag(
                self.store, [rid], actor=self.actor, add=add, remove=remove, expect_version=version
            ),
            advance=False,
        )

    def set_excerpt(self, text: str) -> bool:
        if self.record is None:
            return False
        rid, version = self._target()
        warnings: list[str] = []

        def save() -> None:
            result = edit(
                self.store, rid, Edit(excerpt=text), actor=self.actor, expect_version=version
            )
            warnings.extend(result.check.warnings)

        done = self._do(f"#{rid} excerpt saved", save, advance=False)
        if done and warnings:
            self.message += " — warning: " + "; ".join(warnings)
        return done

    def undo(self) -> bool:
        try:
            undone = undo(self.store, actor=self.actor)
        except CuratorError as exc:
            self.message = f"Not undone: {exc}"
            return False
        first = undone[0].response_id
        self.message = f"undid {undone[0].action} of #{first}"
        if first in self.ids:
            self.index = self.ids.index(first)
        self.load()
        return True
