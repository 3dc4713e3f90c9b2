"""After-ingest actions (flag / move) against the real Dovecot: only after the commit, driven
from the database, repeated harmlessly after a crash (research G7, G19)."""

from __future__ import annotations

import signal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from curator.config import parse_config
from curator.mail.actions import apply_after_ingest, uid_set, unsupported_reason
from curator.store.engine import open_store
from curator.store.models import Message
from tests.mailfactory import replies
from tests.pollhelpers import Setup, make_setup
from tests.services import Dovecot

N = 30


def _setup(tmp_path: Path, dovecot: Dovecot, db_url: str, action: str) -> Setup:
    return make_setup(
        tmp_path, dovecot, db_url, extra=f'batch_size = 10\nafter_ingest = "{action}"'
    )


def _folder(dovecot: Dovecot, folder: str) -> dict[int, tuple[bytes, ...]]:
    """UID → flags of every mail in ``folder`` (empty when it does not exist)."""
    with dovecot.connect() as c:
        if not c.folder_exists(folder):
            return {}
        c.select_folder(folder, readonly=True)
        return {uid: tuple(flags) for uid, flags in c.get_flags(c.search("ALL")).items()}


def _acted(setup: Setup) -> tuple[int, int]:
    """(stored rows, rows whose action is done)."""
    store = open_store(setup.db_url)
    try:
        with store.transaction() as s:
            total = s.scalar(select(func.count()).select_from(Message))
            done = s.scalar(select(func.count()).where(Message.acted_at.is_not(None)))
            return int(total or 0), int(done or 0)
    finally:
        store.dispose()


def test_move_after_commit(tmp_path: Path, fresh_dovecot: Dovecot, db_url: str) -> None:
    uids = fresh_dovecot.append("INBOX", replies(N))
    setup = _setup(tmp_path, fresh_dovecot, db_url, "move")
    summary = setup.poll_json("--no-process")
    assert summary["_rc"] == 0, summary["_stderr"]
    assert (summary["stored"], summary["mailboxes"][0]["acted"]) == (N, N)
    assert _folder(fresh_dovecot, "INBOX") == {}
    assert len(_folder(fresh_dovecot, "Processed")) == N
    assert _acted(setup) == (N, N)
    assert [u for u, _, _ in setup.stored()] == uids
    again = setup.poll_json("--no-process")
    assert (again["stored"], again["mailboxes"][0]["acted"]) == (0, 0)


def test_flag_keeps_mail_in_place_and_unseen(
    tmp_path: Path, fresh_dovecot: Dovecot, db_url: str
) -> None:
    fresh_dovecot.append("INBOX", replies(5))
    setup = _setup(tmp_path, fresh_dovecot, db_url, "flag")
    assert setup.poll_json("--no-process")["mailboxes"][0]["acted"] == 5
    flags = _folder(fresh_dovecot, "INBOX")
    assert len(flags) == 5
    assert all(b"$Curated" in f and b"\\Seen" not in f for f in flags.values())


@pytest.mark.parametrize("point", ["act:1", "acted:1"])
def test_kill_between_commit_and_move_loses_and_doubles_nothing(
    tmp_path: Path, fresh_dovecot: Dovecot, point: str
) -> None:
    uids = fresh_dovecot.append("INBOX", replies(N))
    setup = _setup(tmp_path, fresh_dovecot, f"sqlite:///{tmp_path / 'c.db'}", "move")
    killed = setup.run("poll", "--no-process", extra_env={"CURATOR_FAULT": point})
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    assert _acted(setup) == (N, 0)  # every mail committed; none marked as moved
    moved = len(_folder(fresh_dovecot, "Processed"))
    assert moved == (0 if point == "act:1" else N)
    done = setup.run("poll", "--no-process")
    assert done.returncode == 0, done.stderr
    assert _acted(setup) == (N, N)
    assert _folder(fresh_dovecot, "INBOX") == {}
    assert len(_folder(fresh_dovecot, "Processed")) == N  # not one moved twice
    assert [u for u, _, _ in setup.stored()] == uids


def test_without_move_copy_store_and_uid_expunge_spare_other_deleted_mail(
    tmp_path: Path, fresh_dovecot: Dovecot
) -> None:
    fresh_dovecot.append("INBOX", replies(4))
    setup = _setup(tmp_path, fresh_dovecot, f"sqlite:///{tmp_path / 'c.db'}", "keep")
    assert setup.poll_json("--no-process")["stored"] == 4
    # Another client's mail marked \Deleted, not stored by us: a bare EXPUNGE would destroy it.
    (theirs,) = fresh_dovecot.append("INBOX", replies(1, start=50), flags=["\\Deleted"])
    config = parse_config(
        {"mailboxes": [{**_mailbox_table(fresh_dovecot), "after_ingest": "move"}]},
        home=tmp_path,
    )
    store = open_store(setup.db_url)
    try:
        with fresh_dovecot.connect() as client:
            client.has_capability = lambda name: name.upper() != "MOVE"
            selected = client.select_folder("INBOX")
            assert apply_after_ingest(store, config.mailboxes[0], client, selected) == 4
            assert apply_after_ingest(store, config.mailboxes[0], client, selected) == 0
    finally:
        store.dispose()
    assert list(_folder(fresh_dovecot, "INBOX")) == [theirs]
    assert len(_folder(fresh_dovecot, "Processed")) == 4


def _mailbox_table(dovecot: Dovecot) -> dict[str, Any]:
    return {
        "name": "test",
        "host": dovecot.host,
        "port": dovecot.imaps_port,
        "username": dovecot.user,
        "password_env": "CURATOR_IMAP_PASSWORD",
        "ca_file": dovecot.cafile,
    }


def test_a_flag_the_server_does_not_keep_is_skipped() -> None:
    config = parse_config(
        {"mailboxes": [{**_mailbox_table_stub(), "after_ingest": "flag"}]}, home=Path("/tmp")
    )
    exchange = {b"PERMANENTFLAGS": (b"\\Seen", b"\\Flagged", b"\\Deleted")}
    reason = unsupported_reason(config.mailboxes[0], None, exchange)
    assert reason is not None and "$Curated" in reason
    assert unsupported_reason(config.mailboxes[0], None, {b"PERMANENTFLAGS": (b"\\*",)}) is None


def _mailbox_table_stub() -> dict[str, Any]:
    return {"name": "m", "host": "h", "username": "u", "password_env": "P"}


def test_uid_set() -> None:
    assert uid_set([7, 1, 2, 3, 9, 10]) == "1:3,7,9:10"
    assert uid_set([4]) == "4"
