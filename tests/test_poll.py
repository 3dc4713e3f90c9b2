"""`curator poll` against a real Dovecot: every mail stored exactly once, whatever happens."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from tests.mailfactory import replies, reply
from tests.pollhelpers import CuttingProxy, Setup, make_setup
from tests.services import Dovecot


@pytest.fixture
def setup(tmp_path: Path, fresh_dovecot: Dovecot, db_url: str) -> Setup:
    return make_setup(tmp_path, fresh_dovecot, db_url, extra="batch_size = 25")


def assert_exactly_once(setup: Setup, uids: list[int]) -> None:
    stored = setup.stored()
    assert [u for u, _, _ in stored] == uids
    assert all(kind is None for _, _, kind in stored)  # --no-process: nothing was a duplicate


def test_first_poll_then_repoll_stores_nothing_twice(setup: Setup, fresh_dovecot: Dovecot) -> None:
    uids = fresh_dovecot.append("INBOX", replies(60))
    first = setup.poll_json("--no-process")
    assert first["_rc"] == 0, first["_stderr"]
    box = first["mailboxes"][0]
    assert (box["found"], box["stored"], box["cursor_before"], box["cursor_after"]) == (
        60,
        60,
        0,
        uids[-1],
    )
    assert box["last_success_at"]
    assert set(box["seconds"]) == {"connect", "search", "fetch", "store"}
    again = setup.poll_json("--no-process")
    assert (again["stored"], again["mailboxes"][0]["found"]) == (0, 0)
    more = fresh_dovecot.append("INBOX", replies(3, start=100))
    third = setup.poll_json("--no-process")
    assert third["stored"] == 3
    assert_exactly_once(setup, uids + more)


def test_poll_is_silent_on_success_and_never_sets_seen(
    setup: Setup, fresh_dovecot: Dovecot
) -> None:
    fresh_dovecot.append("INBOX", replies(5))
    done = setup.run("poll", "--no-process")
    assert (done.returncode, done.stdout, done.stderr) == (0, "", "")
    with fresh_dovecot.connect() as c:
        c.select_folder("INBOX", readonly=True)
        flags = c.get_flags(c.search("ALL"))
    assert all(b"\\Seen" not in f for f in flags.values())


def test_verbose_poll_says_what_happened(setup: Setup, fresh_dovecot: Dovecot) -> None:
    fresh_dovecot.append("INBOX", replies(2))
    done = setup.run("-v", "poll", "--no-process")
    assert done.returncode == 0
    assert "stored 2" in done.stderr


def test_same_mail_delivered_twice_is_a_duplicate(setup: Setup, fresh_dovecot: Dovecot) -> None:
    raw = reply(1)
    fresh_dovecot.append("INBOX", [raw, raw, reply(2)])
    summary = setup.poll_json("--no-process")
    assert (summary["stored"], summary["duplicates"]) == (3, 1)
    assert [k for _, _, k in setup.stored()] == [None, "duplicate", None]


def test_uidvalidity_change_rescans_without_duplicates(
    setup: Setup, fresh_dovecot: Dovecot
) -> None:
    fresh_dovecot.append("INBOX", replies(30))
    assert setup.poll_json("--no-process")["stored"] == 30
    status = fresh_dovecot.status("INBOX")
    fresh_dovecot.set_uid_validity(status["uidvalidity"] + 1000)
    fresh_dovecot.append("INBOX", replies(2, start=500))
    summary = setup.poll_json("--no-process")
    box = summary["mailboxes"][0]
    assert box["uidvalidity_changed"] is True
    assert (box["rekeyed"], box["stored"], box["duplicates"]) == (30, 2, 0)
    assert setup.count() == 32
    assert setup.poll_json("--no-process")["stored"] == 0  # and the new cursor holds


def test_dropped_connection_mid_fetch_resumes(
    tmp_path: Path, fresh_dovecot: Dovecot, db_url: str
) -> None:
    uids = fresh_dovecot.append("INBOX", replies(200, pad=20))
    proxy = CuttingProxy((fresh_dovecot.host, fresh_dovecot.imaps_port), cut_after=120_000)
    with proxy.running():
        setup = make_setup(
            tmp_path,
            fresh_dovecot,
            db_url,
            port=proxy.port,
            extra="batch_size = 20\nretry_backoff = 0.1",
        )
        summary = setup.poll_json("--no-process")
    assert summary["_rc"] == 0, summary["_stderr"]
    assert summary["mailboxes"][0]["reconnects"] >= 1
    assert proxy.connections >= 2
    assert "reconnecting" in summary["_stderr"]
    assert_exactly_once(setup, uids)


def test_connection_lost_for_good_is_partial_success(
    tmp_path: Path, fresh_dovecot: Dovecot, db_url: str
) -> None:
    uids = fresh_dovecot.append("INBOX", replies(200, pad=20))
    proxy = CuttingProxy((fresh_dovecot.host, fresh_dovecot.imaps_port), 120_000, cuts=99)
    with proxy.running():
        setup = make_setup(
            tmp_path,
            fresh_dovecot,
            db_url,
            port=proxy.port,
            extra="batch_size = 20\nretries = 1\nretry_backoff = 0.1",
        )
        summary = setup.poll_json("--no-process")
    assert summary["_rc"] == 3  # some mail stored, then the mailbox failed
    assert 0 < summary["stored"] < 200
    assert "gave up after 1 retries" in summary["_stderr"]
    # Nothing stored is lost, and the next poll (network back) completes the job exactly once.
    setup = make_setup(tmp_path, fresh_dovecot, db_url, extra="batch_size = 20")
    assert setup.poll_json("--no-process")["_rc"] == 0
    assert_exactly_once(setup, uids)


def test_kick_during_poll_is_survived(setup: Setup, fresh_dovecot: Dovecot) -> None:
    uids = fresh_dovecot.append("INBOX", replies(400, pad=40))
    proc = setup.popen("poll", "--no-process")
    time.sleep(0.3)  # the kick lands while it fetches
    fresh_dovecot.kick()
    _out, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err
    setup.poll_json("--no-process")
    assert_exactly_once(setup, uids)


def test_wrong_password_is_a_clear_error_not_a_retry_loop(
    tmp_path: Path, fresh_dovecot: Dovecot, db_url: str
) -> None:
    setup = make_setup(tmp_path, fresh_dovecot, db_url, password="wrong", extra="retries = 5")
    started = time.monotonic()
    done = setup.run("poll")
    assert done.returncode == 1
    assert "refused the login" in done.stderr
    assert "wrong" not in done.stderr  # the password never reaches the output
    assert time.monotonic() - started < 10  # no backoff loop
    assert done.stderr.count("Error:") == 1


def test_missing_password_env_is_a_config_error(
    tmp_path: Path, fresh_dovecot: Dovecot, db_url: str
) -> None:
    setup = make_setup(tmp_path, fresh_dovecot, db_url)
    del setup.env["CURATOR_IMAP_PASSWORD"]
    done = setup.run("poll")
    assert done.returncode == 2
    assert "CURATOR_IMAP_PASSWORD is not set" in done.stderr


def test_untrusted_certificate_is_refused(
    tmp_path: Path, fresh_dovecot: Dovecot, db_url: str
) -> None:
    setup = make_setup(tmp_path, fresh_dovecot, db_url, ca=False)
    done = setup.run("poll")
    assert done.returncode == 1
    assert "certificate not trusted" in done.stderr
    assert "ca_file" in done.stderr


@pytest.mark.parametrize("security", ["ssl", "starttls"])
def test_tls_modes_work_with_verification(
    tmp_path: Path, fresh_dovecot: Dovecot, db_url: str, security: str
) -> None:
    fresh_dovecot.append("INBOX", replies(3))
    setup = make_setup(tmp_path, fresh_dovecot, db_url, security=security)
    summary = setup.poll_json("--no-process")
    assert (summary["_rc"], summary["stored"]) == (0, 3), summary["_stderr"]


def test_two_polls_at_once_store_everything_once(setup: Setup, fresh_dovecot: Dovecot) -> None:
    uids = fresh_dovecot.append("INBOX", replies(300, pad=10))
    procs = [setup.popen("poll", "--no-process") for _ in range(2)]
    results = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], results
    notes = [err for _, err in results if "another curator poll is running" in err]
    assert len(notes) <= 1
    assert_exactly_once(setup, uids)


def test_second_poll_while_one_holds_the_lock_exits_zero(
    setup: Setup, fresh_dovecot: Dovecot
) -> None:
    from curator.store.engine import exclusive_lock, open_store

    fresh_dovecot.append("INBOX", replies(2))
    store = open_store(setup.db_url)
    try:
        with exclusive_lock(store, "poll") as got:
            assert got
            done = setup.run("poll", "--no-process")
    finally:
        store.dispose()
    assert done.returncode == 0
    assert "another curator poll is running" in done.stderr
    assert setup.count() == 0
