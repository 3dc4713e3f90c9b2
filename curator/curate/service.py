"""Status changes and the running order of picks.

One stored status per response — new, shortlisted, picked, rejected (with an optional reason);
picks carry a running order per question, kept as 1…k. Every change is one audit event, and
the events of one command share a batch so `curator undo` reverts the command as a whole.
"""

from __future__ import annotations

import getpass
import os
import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy.orm import Session

from curator.errors import UsageError
from curator.store import curation as db
from curator.store.engine import Store
from curator.store.models import Response

STATUSES = ("new", "shortlisted", "picked", "rejected")
ACTIONS = {"new": "unpick", "shortlisted": "shortlist", "picked": "pick", "rejected": "reject"}


def current_actor(explicit: str | None = None) -> str:
    """Who is making the change: ``--as NAME``, else ``$CURATOR_EDITOR``, else the OS user."""
    if explicit:
        return explicit
    try:
        return os.environ.get("CURATOR_EDITOR") or getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def new_batch() -> str:
    return uuid.uuid4().hex


@dataclass(frozen=True)
class Changed:
    id: int
    status: str
    pick_order: int | None
    version: int


def as_changed(r: Response) -> Changed:
    return Changed(r.id, r.status, r.pick_order, r.version)


def load_response(session: Session, rid: int) -> Response:
    response = db.find_response(session, rid, lock=True)
    if response is None:
        raise UsageError(f"no response with id {rid} — see `curator list`")
    return response


def set_status(
    store: Store,
    ids: Sequence[int],
    status: str,
    *,
    actor: str,
    reason: str | None = None,
    expect_version: int | None = None,
    at: int | None = None,
) -> list[Changed]:
    """Move responses to a status. Picks join the end of their question's running order (or
    go in at position ``at``); leaving the picks closes the gap."""
    if status not in STATUSES:
        raise UsageError(f"unknown status {status!r} — use one of {', '.join(STATUSES)}")
    if expect_version is not None and len(ids) != 1:
        raise UsageError("--expect-version goes with exactly one ID")
    batch = new_batch()
    with store.transaction() as session:
        changed = [
            _set_one(session, rid, status, actor, reason, expect_version, at, batch)
            for rid in dict.fromkeys(ids)
        ]
    return changed


def _set_one(
    session: Session,
    rid: int,
    status: str,
    actor: str,
    reason: str | None,
    expect_version: int | None,
    at: int | None,
    batch: str,
) -> Changed:
    response = load_response(session, rid)
    db.check_version(response, expect_version)
    was_picked = response.status == "picked"
    new: dict[str, object] = {"status": status, "status_reason": reason}
    if status == "picked" and (not was_picked or at is not None):
        picks = [p for p in db.picks_in_order(session, response.question_id) if p.id != rid]
        slot = len(picks) if at is None else min(max(at, 1), len(picks) + 1) - 1
        new["pick_order"] = slot + 1
        db.change(session, response, actor, ACTIONS[status], new, batch=batch)
        renumber(session, [*picks[:slot], response, *picks[slot:]], actor, batch)
    else:
        if status != "picked":
            new["pick_order"] = None
        db.change(session, response, actor, ACTIONS[status], new, batch=batch)
        if was_picked and status != "picked":
            renumber(session, db.picks_in_order(session, response.question_id), actor, batch)
    return as_changed(response)


def renumber(session: Session, ordered: Sequence[Response], actor: str, batch: str) -> None:
    session.flush()
    for i, pick in enumerate(ordered, start=1):
        if pick.pick_order != i:
            db.change(session, pick, actor, "order", {"pick_order": i}, batch=batch)


def reorder(store: Store, ids: Sequence[int], *, actor: str) -> list[Changed]:
    """Put these picks first, in this order; the question's other picks follow as they were."""
    batch = new_batch()
    with store.transaction() as session:
        first = [load_response(session, rid) for rid in dict.fromkeys(ids)]
        questions = {r.question_id for r in first}
        if len(questions) != 1:
            raise UsageError("these responses answer different questions — order one at a time")
        not_picked = [str(r.id) for r in first if r.status != "picked"]
        if not_picked:
            raise UsageError(f"not picked: {', '.join(not_picked)} — `curator pick` them first")
        rest = [p for p in db.picks_in_order(session, first[0].question_id) if p not in first]
        ordered = [*first, *rest]
        renumber(session, ordered, actor, batch)
        return [as_changed(r) for r in ordered]
