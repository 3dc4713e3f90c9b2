"""`curator doctor` (✓/✗ per step, against the real Dovecot) and `curator status` (exit 1 when
the last successful poll is too old, for monitors and cron)."""

from __future__ import annotations

import json
import socket
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import update

from curator.store.engine import open_store
from curator.store.models import Mailbox
from tests.mailfactory import replies
from tests.pollhelpers import Setup, make_setup
from tests.services import Dovecot


def _sqlite(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'curator.db'}"


def _lines(text: str, mark: str) -> list[str]:
    return [line for line in text.splitlines() if line.startswith(mark)]


@pytest.mark.parametrize("security", ["ssl", "starttls"])
def test_doctor_passes_a_working_setup(
    tmp_path: Path, fresh_dovecot: Dovecot, security: str
) -> None:
    setup = make_setup(
        tmp_path, fresh_dovecot, _sqlite(tmp_path), security=security, extra='after_ingest = "move"'
    )
    assert setup.run("db", "upgrade").returncode == 0
    done = setup.run("doctor")
    assert done.returncode == 0, done.stdout + done.stderr
    for step in ("DNS", "TCP", "TLS", "login", "folder", "after_ingest"):
        assert any(f"test: {step}" in line for line in _lines(done.stdout, "✓")), step
    assert "expires in" in done.stdout and "IDLE yes, MOVE yes, UIDPLUS yes" in done.stdout
    assert _lines(done.stdout, "✗") == []
    report = json.loads(setup.run("doctor", "--json").stdout)
    assert report["ok"] is True
    assert {"name", "ok", "detail", "fix", "warning"} <= set(report["checks"][0])


def _failing(setup: Setup) -> tuple[int, str]:
    done = setup.run("doctor")
    return done.returncode, done.stdout


def test_doctor_names_a_refused_login_and_the_fix(tmp_path: Path, fresh_dovecot: Dovecot) -> None:
    setup = make_setup(tmp_path, fresh_dovecot, _sqlite(tmp_path), password="wrong")
    code, out = _failing(setup)
    assert code == 1
    (bad,) = [line for line in _lines(out, "✗") if "login" in line]
    assert "refused the login" in bad and "wrong" not in out
    assert "check the username and password source" in out


def test_doctor_lists_folders_when_the_folder_is_missing(
    tmp_path: Path, fresh_dovecot: Dovecot
) -> None:
    fresh_dovecot.append("Replies", replies(1))
    setup = make_setup(tmp_path, fresh_dovecot, _sqlite(tmp_path))
    setup.config.write_text(
        setup.config.read_text().replace('folder = "INBOX"', 'folder = "Replys"'),
        encoding="utf-8",
    )
    code, out = _failing(setup)
    assert code == 1
    assert "✗ test: folder: 'Replys' does not exist" in out and "Replies" in out


def test_doctor_stops_at_an_untrusted_certificate(tmp_path: Path, fresh_dovecot: Dovecot) -> None:
    setup = make_setup(tmp_path, fresh_dovecot, _sqlite(tmp_path), ca=False)
    code, out = _failing(setup)
    assert code == 1
    assert "✗ test: TLS: certificate not trusted" in out and "ca_file" in out
    assert "test: login" not in out  # no password sent over an untrusted connection


def test_doctor_reports_a_closed_port(tmp_path: Path, fresh_dovecot: Dovecot) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # nothing listens once it is closed
    setup = make_setup(tmp_path, fresh_dovecot, _sqlite(tmp_path), port=port)
    code, out = _failing(setup)
    assert code == 1 and "✗ test: TCP: cannot connect" in out and "firewall" in out


def test_doctor_flags_a_database_that_needs_upgrading(
    tmp_path: Path, fresh_dovecot: Dovecot
) -> None:
    setup = make_setup(tmp_path, fresh_dovecot, _sqlite(tmp_path))
    code, out = _failing(setup)  # no `db upgrade` yet
    assert code == 1 and "✗ database" in out and "curator db upgrade" in out


def test_doctor_on_a_broken_config_is_exit_2(tmp_path: Path, fresh_dovecot: Dovecot) -> None:
    setup = make_setup(tmp_path, fresh_dovecot, _sqlite(tmp_path), extra="hots = 'x'")
    code, out = _failing(setup)
    assert code == 2 and "✗ config" in out and "unknown key 'hots'" in out


def _age_last_success(setup: Setup, hours: float) -> None:
    store = open_store(setup.db_url)
    try:
        with store.transaction() as s:
            s.execute(
                update(Mailbox).values(last_success_at=datetime.now(UTC) - timedelta(hours=hours))
            )
    finally:
        store.dispose()


def test_status_exits_1_when_the_last_success_is_too_old(
    tmp_path: Path, fresh_dovecot: Dovecot, db_url: str
) -> None:
    setup = make_setup(tmp_path, fresh_dovecot, db_url)
    never = setup.run("status")
    assert never.returncode == 1 and "never polled" in never.stdout
    assert "has never been polled successfully" in never.stderr and "curator doctor" in never.stderr
    fresh_dovecot.append("INBOX", replies(3))
    assert setup.poll_json("--no-process")["_rc"] == 0
    fine = setup.run("status", "--json")
    assert fine.returncode == 0, fine.stderr
    (box,) = json.loads(fine.stdout)["mailboxes"]
    assert (box["name"], box["stored"], box["healthy"]) == ("test", 3, True)
    assert box["cursor"] == 3 and box["last_success_at"] and box["uidvalidity"]

    _age_last_success(setup, 2)
    assert setup.run("status", "--max-age", "1h").returncode == 1
    assert setup.run("status", "--max-age", "3h").returncode == 0
    setup.config.write_text(
        setup.config.read_text() + '\n[health]\nmax_age = "90m"\n', encoding="utf-8"
    )
    stale = setup.run("status")
    assert stale.returncode == 1
    assert "last polled successfully 2.0 h ago" in stale.stderr


def test_status_shows_the_last_failure(tmp_path: Path, fresh_dovecot: Dovecot) -> None:
    setup = make_setup(tmp_path, fresh_dovecot, _sqlite(tmp_path))
    assert setup.poll_json("--no-process")["_rc"] == 0
    setup.env["CURATOR_IMAP_PASSWORD"] = "wrong"
    assert setup.run("poll").returncode == 1
    _age_last_success(setup, 1)
    done = setup.run("status", "--max-age", "30m")
    assert done.returncode == 1
    assert "last result: test/INBOX: error:" in done.stdout and "refused the login" in done.stdout


def test_bad_max_age_is_a_usage_error(curator_home: Path) -> None:
    from click.testing import CliRunner

    from curator.cli import cli

    result = CliRunner().invoke(cli, ["status", "--max-age", "soon"])
    assert result.exit_code == 2 and "not a duration" in result.output
