"""After-ingest actions: flag or move stored mail on the server (research G7).

Always after the commit and driven from the database (``message.acted_at IS NULL``), never from
what was just fetched, so a crash anywhere just repeats the action on the next run, and each
step is harmless to repeat:

* flag — ``UID STORE +FLAGS.SILENT``, only when ``PERMANENTFLAGS`` allows it (``\\*`` for a
  keyword: Exchange's does not, and some servers drop unknown keywords silently); otherwise a
  warning, once, and the mail is kept as it is.
* move — ``UID MOVE`` (RFC 6851) when advertised; else ``UID COPY`` + ``UID STORE \\Deleted`` +
  ``UID EXPUNGE`` (UIDPLUS, RFC 4315), which removes only our UIDs. Never a bare EXPUNGE: it
  would also remove mail other clients marked \\Deleted. Without either, a warning and keep.
  UIDs are first narrowed to those still in the folder (and, for the copy path, not yet marked
  \\Deleted), so a repeat does not copy twice. One window remains on servers without MOVE: a
  crash between COPY and STORE copies that batch again on the next run.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from imapclient import DELETED, IMAPClient

from curator import faults
from curator.config import MailboxConfig
from curator.mail.imap import classify_errors
from curator.store.actions import mark_acted, pending_actions
from curator.store.engine import Store
from curator.store.ingest import get_or_create_mailbox

log = logging.getLogger(__name__)
ACTION_BATCH = 500
_warned: set[tuple[str, str]] = set()


def apply_after_ingest(
    store: Store, mailbox: MailboxConfig, client: IMAPClient, selected: dict[bytes, Any]
) -> int:
    """Carry out the pending action on every stored mail of the selected folder; how many."""
    if mailbox.after_ingest == "keep":
        return 0
    where = f"{mailbox.name} ({mailbox.host})"
    with classify_errors(where):
        problem = unsupported_reason(mailbox, client, selected)
    if problem:
        if (mailbox.name, problem) not in _warned:
            _warned.add((mailbox.name, problem))
            log.warning("%s: after_ingest = %r skipped: %s", where, mailbox.after_ingest, problem)
        return 0
    uidvalidity = int(selected[b"UIDVALIDITY"])
    with store.transaction() as session:
        box_id = get_or_create_mailbox(session, mailbox.name, mailbox.folder).id
    done = 0
    while True:
        with store.transaction() as session:
            uids = pending_actions(session, box_id, uidvalidity, ACTION_BATCH)
        if not uids:
            return done
        faults.checkpoint("act")
        with classify_errors(where):
            _act(mailbox, client, uids)
        faults.checkpoint("acted")
        with store.transaction() as session:
            mark_acted(session, box_id, uidvalidity, uids)
        done += len(uids)


def unsupported_reason(
    mailbox: MailboxConfig, client: IMAPClient, selected: dict[bytes, Any]
) -> str | None:
    """Why this server cannot do the mailbox's action (None when it can)."""
    if mailbox.after_ingest == "flag":
        permanent = {bytes(f).lower() for f in selected.get(b"PERMANENTFLAGS", ())}
        flag = mailbox.after_ingest_flag.encode()
        if flag.lower() in permanent or (not flag.startswith(b"\\") and b"\\*" in permanent):
            return None
        return (
            f"the server does not keep the flag {mailbox.after_ingest_flag} (PERMANENTFLAGS "
            f"{b' '.join(sorted(permanent)).decode()}) — mail is kept as it is"
        )
    if mailbox.after_ingest == "move":
        if client.has_capability("MOVE") or client.has_capability("UIDPLUS"):
            return None
        return "the server offers neither MOVE nor UIDPLUS — mail is kept as it is"
    return None


def _act(mailbox: MailboxConfig, client: IMAPClient, uids: list[int]) -> None:
    present = client.search(["UID", uid_set(uids)])
    if mailbox.after_ingest == "flag":
        if present:
            client.add_flags(present, [mailbox.after_ingest_flag], silent=True)
        return
    folder = mailbox.after_ingest_folder
    if not client.folder_exists(folder):
        client.create_folder(folder)
    if client.has_capability("MOVE"):
        if present:
            client.move(present, folder)
        return
    to_copy = client.search(["UID", uid_set(uids), "NOT", "DELETED"])
    if to_copy:
        client.copy(to_copy, folder)
        client.add_flags(to_copy, [DELETED], silent=True)
    if present:
        client.uid_expunge(present)  # UIDPLUS: only these UIDs, never other clients' mail


def uid_set(uids: Sequence[int]) -> str:
    """``[1, 2, 3, 7]`` → ``"1:3,7"`` (an IMAP sequence set of UIDs, RFC 3501 §9)."""
    parts: list[str] = []
    ordered = sorted(set(uids))
    start = prev = ordered[0]
    for uid in [*ordered[1:], None]:
        if uid is not None and uid == prev + 1:
            prev = uid
            continue
        parts.append(str(start) if start == prev else f"{start}:{prev}")
        if uid is not None:
            start = prev = uid
    return ",".join(parts)
