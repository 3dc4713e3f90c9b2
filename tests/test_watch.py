"""`curator watch` against the real Dovecot: new mail within seconds (IDLE), reconnect after
`doveadm kick`, the poll lock respected, clean exit on SIGTERM."""

from __future__ import annotations

import signal
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import select

from curator.config import parse_config
from curator.mail.watch import Watcher, WatchSettings
from curator.store.engine import exclusive_lock, open_store
from curator.store.models import Mailbox
from tests.mailfactory import replies
from tests.pollhelpers import Setup, make_setup
from tests.services import Dovecot

WITHIN = 5.0  # seconds: "new mail is stored within seconds"


@pytest.fixture
def setup(tmp_path: Path, fresh_dovecot: Dovecot) -> Setup:
    return make_setup(
        tmp_path,
        fresh_dovecot,
        f"sqlite:///{tmp_path / 'curator.db'}",
        extra="batch_size = 50\nretry_backoff = 0.2",
    )


def wait_for(condition: Callable[[], bool], timeout: float, what: str) -> float:
    started = time.monotonic()
    while not condition():
        if time.monotonic() - started > timeout:
            raise AssertionError(f"not within {timeout} s: {what}")
        time.sleep(0.05)
    return time.monotonic() - started


def polled_once(setup: Setup) -> bool:
    store = open_store(setup.db_url)
    try:
        with store.transaction() as s:
            return s.scalar(select(Mailbox.last_success_at)) is not None
    finally:
        store.dispose()


@contextmanager
def watching(setup: Setup, *args: str) -> Iterator[subprocess.Popen[str]]:
    proc = setup.popen("watch", "--no-process", *args)
    try:
        wait_for(lambda: polled_once(setup), 30, "watch made its first sync")
        yield proc
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.communicate(timeout=30)


def stop(proc: subprocess.Popen[str]) -> tuple[int, str, float]:
    started = time.monotonic()
    proc.send_signal(signal.SIGTERM)
    _out, err = proc.communicate(timeout=30)
    return proc.returncode, err, time.monotonic() - started


def test_new_mail_is_stored_within_seconds(setup: Setup, fresh_dovecot: Dovecot) -> None:
    with watching(setup) as proc:
        assert setup.count() == 0
        uids = fresh_dovecot.append("INBOX", replies(2))
        wait_for(lambda: setup.count() == 2, WITHIN, "IDLE woke the watcher")
        more = fresh_dovecot.append("INBOX", replies(1, start=10))
        wait_for(lambda: setup.count() == 3, WITHIN, "a second wake-up")
        code, err, took = stop(proc)
    assert code == 0, err
    assert "Traceback" not in err and took < 10
    assert [u for u, _, _ in setup.stored()] == uids + more
    # It logged out: Dovecot has no session of the user left.
    assert not fresh_dovecot._logged_in(fresh_dovecot.user)


def test_watch_survives_a_kick(setup: Setup, fresh_dovecot: Dovecot) -> None:
    with watching(setup) as proc:
        fresh_dovecot.kick()
        uids = fresh_dovecot.append("INBOX", replies(3))
        wait_for(lambda: setup.count() == 3, WITHIN, "reconnected after the kick")
        fresh_dovecot.kick()
        fresh_dovecot.kick()
        more = fresh_dovecot.append("INBOX", replies(1, start=20))
        wait_for(lambda: setup.count() == 4, WITHIN, "reconnected after two more kicks")
        code, err, _ = stop(proc)
    assert code == 0, err
    assert "reconnecting" in err
    assert [u for u, _, _ in setup.stored()] == uids + more


def test_sigterm_mid_backfill_finishes_the_batch_and_exits_zero(
    setup: Setup, fresh_dovecot: Dovecot
) -> None:
    uids = fresh_dovecot.append("INBOX", replies(1500, pad=20))
    proc = setup.popen("watch", "--no-process")
    try:
        wait_for(lambda: setup.count() > 0, 30, "the backfill started")
        code, err, took = stop(proc)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    assert code == 0, err
    assert took < 10
    stored = setup.count()
    assert stored % 50 == 0  # whole batches only: the one being committed was finished
    done = setup.run("poll", "--no-process")
    assert done.returncode == 0, done.stderr
    assert [u for u, _, _ in setup.stored()] == uids


def test_watch_waits_while_a_poll_holds_the_lock(setup: Setup, fresh_dovecot: Dovecot) -> None:
    with watching(setup) as proc:
        store = open_store(setup.db_url)
        try:
            with exclusive_lock(store, "poll") as got:
                assert got
                fresh_dovecot.append("INBOX", replies(2))
                time.sleep(2.0)
                assert setup.count() == 0  # no write while "cron's poll" runs
            wait_for(lambda: setup.count() == 2, WITHIN, "the skipped round was retried")
        finally:
            store.dispose()
        code, err, _ = stop(proc)
    assert code == 0, err


def test_a_refused_login_stops_watch_with_an_error(tmp_path: Path, fresh_dovecot: Dovecot) -> None:
    setup = make_setup(tmp_path, fresh_dovecot, f"sqlite:///{tmp_path / 'c.db'}", password="wrong")
    done = setup.run("watch", timeout=30)
    assert done.returncode == 1
    assert done.stderr.count("Error:") == 1 and "refused the login" in done.stderr


def test_without_idle_it_polls_at_the_interval(
    tmp_path: Path, fresh_dovecot: Dovecot, monkeypatch: pytest.MonkeyPatch
) -> None:
    from imapclient import IMAPClient

    real = IMAPClient.has_capability
    monkeypatch.setattr(
        IMAPClient, "has_capability", lambda self, c: c.upper() != "IDLE" and real(self, c)
    )
    monkeypatch.setenv("CURATOR_IMAP_PASSWORD", fresh_dovecot.password)
    config = parse_config(
        {
            "mailboxes": [
                {
                    "name": "test",
                    "host": fresh_dovecot.host,
                    "port": fresh_dovecot.imaps_port,
                    "username": fresh_dovecot.user,
                    "password_env": "CURATOR_IMAP_PASSWORD",
                    "ca_file": fresh_dovecot.cafile,
                }
            ]
        },
        home=tmp_path,
    )
    store = open_store(f"sqlite:///{tmp_path / 'c.db'}")
    watcher = Watcher(store, config.mailboxes, WatchSettings(interval=0.5))
    thread = threading.Thread(target=watcher.run)
    thread.start()
    try:
        fresh_dovecot.append("INBOX", replies(2))
        setup = Setup(tmp_path, tmp_path / "unused.toml", f"sqlite:///{tmp_path / 'c.db'}", {})
        wait_for(lambda: setup.count() == 2, WITHIN, "the fallback poll found the mail")
    finally:
        watcher.stop.set()
        thread.join(30)
        store.dispose()
    assert watcher.failure is None
