"""Two editors at once on PostgreSQL: a change made on a stale view is refused, not applied
over the other editor's work; simultaneous picks take turns in the running order."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest

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
