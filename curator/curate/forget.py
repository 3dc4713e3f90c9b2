"""`curator forget --email ADDR`: erase one reader from the store."""

from __future__ import annotations

from curator.curate.service import new_batch, renumber
from curator.errors import UsageError
from curator.store import curation as db
from curator.store.engine import Store
from curator.store.erasure import Erased, erase_reader


def forget(store: Store, email: str, *, actor: str, dry_run: bool = False) -> Erased:
    """Remove every message, response, excerpt and event payload of the reader at ``email``.

    Their mail stays on the IMAP server (curator never deletes there) — remove it there too."""
    if "@" not in email:
        raise UsageError(f"{email!r} is not an email address — give the reader's From address")
    with store.transaction() as session:
        erased, lost_picks = erase_reader(session, email, actor=actor, dry_run=dry_run)
        batch = new_batch()
        for question_id in lost_picks:  # close the gap in the running order
            renumber(session, db.picks_in_order(session, question_id), actor, batch)
        return erased
