"""Status changes and the running order of picks."""

from __future__ import annotations

import getpass
import os
from collections.abc import Sequence
from dataclasses import dataclass

from curator.errors import UsageError
from curator.store import curation as db
from curator.store.engine import Store

STATUSES = ("new", "shortlisted", "picked", "rejected")


def current_actor(explicit: str | None = None) -> str:
    """Who is making the change: ``--as NAME``, else ``$CURATOR_EDITOR``, else the OS user."""
    if explicit:
        return explicit
    try:
        return os.environ.get("CURATOR_EDITOR") or getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


@dataclass(frozen=True)
class Changed:
    id: int
    status: str
    pick_order: int | None


def set_status(
    store: Store,
    ids: Sequence[int],
    status: str,
    *,
    actor: str,
    reason: str | None = None,
) -> list[Changed]:
    """Move responses to a status; picks join the end of their question's running order."""
    if status not in STATUSES:
        raise UsageError(f"unknown status {status!r} — use one of {', '.join(STATUSES)}")
    changed: list[Changed] = []
    with store.transaction() as session:
        for rid in ids:
            response = db.find_response(session, rid)
            if response is None:
                raise UsageError(f"no response with id {rid} — see `curator list`")
            new: dict[str, object] = {"status": status, "status_reason": reason}
            if status == "picked" and response.status != "picked":
                new["pick_order"] = db.next_pick_order(session, response.question_id)
            elif status != "picked":
                new["pick_order"] = None
            db.change(session, response, actor, status if status != "new" else "unpick", new)
            changed.append(Changed(rid, response.status, response.pick_order))
    return changed
