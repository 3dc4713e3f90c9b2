"""Two editors at once on PostgreSQL: a change made on a stale view is refused, not applied
over the other editor's work; simultaneous picks take turns in the running order."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from curator.curate.service import set_status
from curator.store import curation as db
from curator.store.curation import StaleError
from curator.store.engine import Store, open_store
from tests.curate_seed import seed
from tests.services import Postgres


@pytest.fixture
def two_editors(postgres: Postgres) -> Iterator[tuple[Store, Store, list[int]]]:
    with postgres.fresh_database() as url:
        ids = seed(url)
        a, b = open_store(url), open_store(url)
        try:
            yield a, b, ids
        finally:
            a.dispose()
            b.dispose()


def test_stale_change_is_refused_while_the_other_commits(
    two_editors: tuple[Store, Store, list[int]],
) -> None:
    anna, jan, ids = two_editors
    rid = ids[0]
    outcome: list[BaseException | None] = []
    started = threading.Event()

    def jan_picks() -> None:
        started.set()
        try:
            set_status(jan, [rid], "picked", actor="jan", expect_version=1)
            outcome.append(None)
        except BaseException as exc:
            outcome.append(exc)

    with anna.transaction() as session:  # anna's connection holds the row...
        response = db.find_response(session, rid, lock=True)
        assert response is not None and response.version == 1
        worker = threading.Thread(target=jan_picks)
        worker.start()
        started.wait()
        worker.join(timeout=1.0)
        assert worker.is_alive(), "jan's change must wait for anna's transaction"
        db.change(session, response, "anna", "reject", {"status": "rejected"})
    worker.join(timeout=30)  # ...and jan, who saw version 1, is refused once she commits
    assert len(outcome) == 1 and isinstance(outcome[0], StaleError)
    assert "changed since you saw it (version 1, now 2)" in str(outcome[0])
    with jan.transaction() as session:
        final = db.find_response(session, rid)
        assert final is not None and (final.status, final.version) == ("rejected", 2)


def test_simultaneous_picks_get_distinct_places(
    two_editors: tuple[Store, Store, list[int]],
) -> None:
    anna, jan, ids = two_editors
    barrier = threading.Barrier(2)

    def pick(store: Store, who: str, chunk: list[int]) -> None:
        barrier.wait()
        for rid in chunk:
            set_status(store, [rid], "picked", actor=who)

    workers = [
        threading.Thread(target=pick, args=(anna, "anna", ids[0::2])),
        threading.Thread(target=pick, args=(jan, "jan", ids[1::2])),
    ]
    for w in workers:
        w.start()
    for w in workers:
        w.join(timeout=60)
    with anna.transaction() as session:
        orders = sorted(r.pick_order or 0 for r in db.responses_by_ids(session, ids).values())
    assert orders == list(range(1, len(ids) + 1))


def test_compare_and_set_catches_a_write_between_read_and_update(
    two_editors: tuple[Store, Store, list[int]],
) -> None:
    """A read without a row lock: the UPDATE itself checks the version it read.

    (SQLite needs no such test: curator's SQLite transactions BEGIN IMMEDIATE, one writer at
    a time, so nothing can commit between a read and a write of the same transaction.)"""
    anna, jan, ids = two_editors
    stale = pytest.raises(StaleError, match="changed by someone else just now")
    with stale, anna.transaction() as session:
        response = db.find_response(session, ids[0])
        assert response is not None and response.version == 1
        set_status(jan, [ids[0]], "rejected", actor="jan")  # commits in between
        db.change(session, response, "anna", "pick", {"status": "picked"})
    with anna.transaction() as session:
        final = db.find_response(session, ids[0])
        assert final is not None and (final.status, final.version) == ("rejected", 2)


def test_two_editors_through_the_cli_on_two_connections(postgres: Postgres, tmp_path: Path) -> None:
    """Editor anna holds the response in an open transaction on one connection; editor jan runs
    `curator pick ID --expect-version 1` (the version he was shown) as a separate process, on
    its own connection. Jan waits for the row, then is refused with exit code 4 and a clear
    message; anna's change stands and only hers is in the log."""
    with postgres.fresh_database() as url:
        rid = seed(url)[0]
        anna = open_store(url)
        env = {
            **os.environ,
            "CURATOR_DATABASE_URL": url,
            "CURATOR_HOME": str(tmp_path),
            "PYTHONPATH": str(Path(__file__).parents[1]),
        }
        try:
            with anna.transaction() as session:
                response = db.find_response(session, rid, lock=True)
                assert response is not None and response.version == 1
                pick = ["pick", str(rid), "--expect-version", "1", "--as", "jan"]
                jan = subprocess.Popen(
                    [sys.executable, "-m", "curator", *pick],
                    env=env,
                    stdout=subprocess.PIPE,
                    stderr=subprocess.PIPE,
                    text=True,
                )
                _wait_until_blocked(anna, jan)
                db.change(session, response, "anna", "reject", {"status": "rejected"})
            _out, err = jan.communicate(timeout=60)
            assert jan.returncode == 4, err
            assert err.strip() == (
                f"Error: response {rid} changed since you saw it (version 1, now 2) — "
                f"see `curator show {rid}` and try again"
            )
            with anna.transaction() as session:
                final = db.find_response(session, rid)
                assert final is not None and (final.status, final.version) == ("rejected", 2)
                assert [(e.actor, e.action) for e in db.list_events(session, rid)] == [
                    ("anna", "reject")
                ]
        finally:
            anna.dispose()


def _wait_until_blocked(store: Store, proc: subprocess.Popen[str]) -> None:
    """Until another backend waits on a lock (jan's SELECT … FOR UPDATE on anna's row)."""
    deadline = time.monotonic() + 60
    with store.engine.connect() as conn:
        while time.monotonic() < deadline:
            assert proc.poll() is None, proc.communicate()
            waiting = conn.execute(
                text("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'")
            ).scalar()
            if waiting:
                return
            conn.rollback()
            time.sleep(0.05)
    raise AssertionError("jan's pick never reached the locked row")
