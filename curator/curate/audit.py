"""The audit trail: reading it (`curator log`) and walking it back (`curator undo`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from curator.curate.service import load_response, new_batch
from curator.errors import UsageError
from curator.store import curation as db
from curator.store.curation import EventRow, StaleError
from curator.store.engine import Store


def history(
    store: Store, response_id: int | None = None, limit: int | None = None
) -> list[EventRow]:
    """Events, newest first."""
    with store.transaction() as session:
        return db.list_events(session, response_id, limit)


def describe(event: EventRow) -> str:
    """One line: ``status: new → picked, pick_order: – → 3``."""
    old, new = event.old or {}, event.new or {}
    parts = [f"{k}: {_short(old.get(k))} → {_short(v)}" for k, v in new.items() if old.get(k) != v]
    return ", ".join(parts) if parts else "(details erased)"


def _short(value: Any) -> str:
    if value is None:
        return "–"
    if isinstance(value, list):
        return (
            "["
            + ", ".join(str(v.get("key", v)) if isinstance(v, dict) else str(v) for v in value)
            + "]"
        )
    text = " ".join(str(value).split())
    return text if len(text) <= 40 else text[:39] + "…"


@dataclass(frozen=True)
class Undone:
    response_id: int
    action: str
    event_id: int


def undo(store: Store, *, actor: str) -> list[Undone]:
    """Revert this editor's latest command that has not been undone yet (all of its changes).

    Refused if someone changed one of those responses since: undo never overwrites another
    editor's work. The undo is itself an event; undoing again goes one command further back."""
    batch = new_batch()
    with store.transaction() as session:
        events = db.last_undoable_batch(session, actor)
        if not events:
            raise UsageError(f"nothing to undo for {actor} — see `curator log`")
        undone: list[Undone] = []
        for event in events:  # newest first: the exact reverse of how they were applied
            assert event.response_id is not None and event.new is not None
            response = load_response(session, event.response_id)
            now = {k: getattr(response, k) for k in event.new}
            if now != event.new:
                raise StaleError(
                    f"response {response.id} changed after your {event.action} — not undone; "
                    f"see `curator log {response.id}`"
                )
            db.change(
                session,
                response,
                actor,
                "undo",
                dict(event.old or {}),
                batch=batch,
                undoes_id=event.id,
            )
            undone.append(Undone(response.id, event.action, event.id))
    return undone
