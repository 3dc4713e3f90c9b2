"""`curator import`: .eml files, folders, mbox and Maildir through the same store path."""

from __future__ import annotations

import json
import mailbox
from pathlib import Path

import pytest
from click.testing import CliRunner

from curator.cli import cli
from tests.mailfactory import replies, reply


@pytest.fixture
def runner(curator_home: Path, db_url: str, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("CURATOR_DATABASE_URL", db_url)
    return CliRunner()


def run_json(runner: CliRunner, *args: str) -> object:
    result = runner.invoke(cli, [*args, "--json"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_eml_files_and_folders(runner: CliRunner, tmp_path: Path) -> None:
    folder = tmp_path / "replies" / "nested"
    folder.mkdir(parents=True)
    for i, raw in enumerate(replies(4)):
        (folder / f"{i}.eml").write_bytes(raw)
    (folder / "notes.pdf").write_bytes(b"%PDF-1.4 not mail")
    summary = run_json(runner, "import", "--no-process", str(tmp_path / "replies"))
    assert summary == {
        "read": 4,
        "stored": 4,
        "duplicates": 0,
        "already": 0,
        "processed": 0,
        "responses": 0,
        "failed_to_understand": 0,
    }
    again = run_json(runner, "import", "--no-process", str(tmp_path / "replies"))
    assert again["stored"] == 0 and again["already"] == 4  # type: ignore[index]


def test_mbox_and_maildir(runner: CliRunner, tmp_path: Path) -> None:
    mbox = mailbox.mbox(tmp_path / "replies.mbox")
    for raw in replies(3):
        mbox.add(raw)
    mbox.close()
    maildir = mailbox.Maildir(tmp_path / "Maildir", create=True)
    for raw in replies(2, start=10):
        maildir.add(raw)
    # A mail delivered to both (other trace headers): the second copy is a duplicate.
    maildir.add(b"Received: from mx2.example.net; Thu, 8 Jan 2026 09:01:00 +0000\r\n" + reply(1))
    summary = run_json(
        runner, "import", "--no-process", str(tmp_path / "replies.mbox"), str(tmp_path / "Maildir")
    )
    assert summary["read"] == 6  # type: ignore[index]
    assert summary["duplicates"] == 1  # type: ignore[index]
    listed = run_json(runner, "list", "--all")
    assert [r["kind"] for r in listed].count("duplicate") == 1  # type: ignore[union-attr, index]


def test_missing_path_is_a_usage_error(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(cli, ["import", str(tmp_path / "nope")])
    assert result.exit_code == 2
    assert "does not exist" in result.output


def test_list_json_has_the_contract_fields(runner: CliRunner, tmp_path: Path) -> None:
    (tmp_path / "a.eml").write_bytes(reply(1))
    run_json(runner, "import", "--no-process", str(tmp_path / "a.eml"))
    (record,) = run_json(runner, "list", "--all")  # type: ignore[misc]
    for key in (
        "id",
        "message_id",
        "kind",
        "question",
        "position",
        "arguments",
        "name",
        "location",
        "withhold_name",
        "reply",
        "status",
        "excerpt",
    ):
        assert key in record
    assert record["message_id"] == "<reply-1@readers.example.org>"
