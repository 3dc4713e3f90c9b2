"""kill -9 at any point of a large poll, then a re-poll: nothing lost, nothing stored twice.

The kill points are the poller's own crash checkpoints (``CURATOR_FAULT=name:n`` SIGKILLs the
process the n-th time it passes ``name``): before a batch is fetched, after it was fetched and
before the transaction, inside the transaction after rows and cursor were written but before
COMMIT, and just after COMMIT. Timed kills from outside add points the checkpoints don't name.
"""

from __future__ import annotations

import random
import signal
import time
from pathlib import Path

import pytest

from tests.mailfactory import replies
from tests.pollhelpers import Setup, make_setup
from tests.services import Dovecot

MESSAGES = 240
BATCH = 20  # so 12 batches: every kill point below is inside the run
POINTS = [
    f"{name}:{n}" for name in ("fetch", "store", "commit", "committed") for n in (1, 2, 5, 9, 12)
]


@pytest.fixture(scope="module")
def mailbox_uids(dovecot: Dovecot) -> list[int]:
    dovecot.reset_user()
    return dovecot.append("INBOX", replies(MESSAGES, pad=12))


def _setup(tmp_path: Path, dovecot: Dovecot, db_url: str) -> Setup:
    return make_setup(tmp_path, dovecot, db_url, extra=f"batch_size = {BATCH}")


def _check_consistent(setup: Setup, uids: list[int]) -> None:
    stored = [u for u, _, _ in setup.stored()]
    assert len(stored) == len(set(stored)), "a message was stored twice"
    assert set(stored) <= set(uids)


def _repoll_and_check(setup: Setup, uids: list[int]) -> None:
    done = setup.run("poll", "--no-process")
    assert done.returncode == 0, done.stderr
    stored = setup.stored()
    assert [u for u, _, _ in stored] == uids, "lost or doubled after the re-poll"
    assert all(kind is None for _, _, kind in stored)


@pytest.mark.slow
@pytest.mark.parametrize("point", POINTS)
def test_kill_at_checkpoint_then_repoll(
    tmp_path: Path, dovecot: Dovecot, mailbox_uids: list[int], db_url: str, point: str
) -> None:
    setup = _setup(tmp_path, dovecot, db_url)
    killed = setup.run("poll", "--no-process", extra_env={"CURATOR_FAULT": point})
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    _check_consistent(setup, mailbox_uids)
    name, n = point.split(":")
    committed = len(setup.stored())
    # The batches committed before the kill are the ones the kill point implies. The fetcher
    # runs ahead of the committer by at most two batches (one queued, one in flight).
    n_batches = committed // BATCH
    expected = {
        "fetch": set(range(max(0, int(n) - 3), int(n))),
        "store": {int(n) - 1},
        "commit": {int(n) - 1},
        "committed": {int(n)},
    }
    assert committed % BATCH == 0 and n_batches in expected[name]
    _repoll_and_check(setup, mailbox_uids)


@pytest.mark.slow
@pytest.mark.parametrize("seed", range(4))
def test_kill_at_a_random_moment_then_repoll(
    tmp_path: Path, dovecot: Dovecot, mailbox_uids: list[int], db_url: str, seed: int
) -> None:
    setup = _setup(tmp_path, dovecot, db_url)
    proc = setup.popen("poll", "--no-process")
    time.sleep(random.Random(seed).uniform(0.3, 1.2))
    proc.send_signal(signal.SIGKILL)
    proc.communicate(timeout=60)
    _check_consistent(setup, mailbox_uids)
    _repoll_and_check(setup, mailbox_uids)
