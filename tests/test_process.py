"""The understanding stage over stored mail: kinds that need other messages, failures kept,
and `curator reprocess` keeping editors' decisions."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

import curator.process
from curator.cli import cli

CORPORA = Path(os.environ.get("CURATOR_CORPORA", Path(__file__).parents[2] / "shared" / "corpora"))
SIGNAL = CORPORA / "signal_dev"


@pytest.fixture
def runner(curator_home: Path, db_url: str, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("CURATOR_DATABASE_URL", db_url)
    return CliRunner()


def invoke(runner: CliRunner, *args: str) -> str:
    result = runner.invoke(cli, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.stdout


def records_by_file(runner: CliRunner) -> dict[str, dict[str, object]]:
    records = json.loads(invoke(runner, "list", "--all", "--json"))
    return {Path(str(r["source_ref"])).name: r for r in records}


@pytest.fixture
def signal(runner: CliRunner) -> dict[str, dict[str, object]]:
    if not SIGNAL.is_dir():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{SIGNAL} is missing (CI=true)")
        pytest.skip(f"{SIGNAL} is missing")
    invoke(runner, "import", str(SIGNAL / "emails"))
    return records_by_file(runner)


def test_duplicates_and_superseded_need_other_messages(
    signal: dict[str, dict[str, object]],
) -> None:
    # 032 is the same mail delivered twice: the store knows (same Message-ID).
    assert signal["032.eml"]["kind"] == "duplicate"
    assert signal["032.eml"]["duplicate_of"] == signal["031.eml"]["id"]
    # 019 is the same answer sent again a minute later with a new Message-ID.
    assert signal["019.eml"]["kind"] == "duplicate"
    assert signal["019.eml"]["duplicate_of"] == signal["018.eml"]["id"]
    # 059 asks the editors to print it instead of 058.
    assert signal["058.eml"]["kind"] == "superseded"
    assert signal["059.eml"]["kind"] == "response"


def test_kinds_match_the_labels(signal: dict[str, dict[str, object]]) -> None:
    labels = [json.loads(line) for line in (SIGNAL / "labels.jsonl").read_text().splitlines()]
    right = sum(signal[lab["file"]]["kind"] == lab["kind"] for lab in labels)
    assert right / len(labels) >= 0.95


def test_reprocess_keeps_editors_decisions(runner: CliRunner, signal: dict[str, object]) -> None:
    ids = [str(r["id"]) for r in signal.values() if r["kind"] == "response"][:3]  # type: ignore[index]
    invoke(runner, "pick", *ids)
    invoke(runner, "reject", ids[2], "--reason", "too long")
    before = records_by_file(runner)
    summary = json.loads(invoke(runner, "reprocess", "--json"))
    assert summary["processed"] == 80 and summary["failed"] == 0
    after = records_by_file(runner)
    assert after == before  # same understanding, and every decision kept
    picked = [r for r in after.values() if r["status"] == "picked"]
    assert sorted(int(r["pick_order"]) for r in picked) == [1, 2]  # type: ignore[arg-type]


def test_a_failing_message_is_recorded_and_the_batch_goes_on(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.mailfactory import replies

    for i, raw in enumerate(replies(3)):
        (tmp_path / f"{i}.eml").write_bytes(raw)
    real = curator.process.understand_message

    def flaky(raw: bytes, questions: object = ()) -> object:
        if b"reply-2@" in raw:
            raise ValueError("simulated bug")
        return real(raw, questions)  # type: ignore[arg-type]

    monkeypatch.setattr(curator.process, "understand_message", flaky)
    summary = json.loads(invoke(runner, "import", "--json", str(tmp_path)))
    assert summary["failed_to_understand"] == 1
    assert summary["responses"] == 2
    records = json.loads(invoke(runner, "list", "--all", "--json"))
    failed = [r for r in records if r["error"]]
    assert len(failed) == 1 and "simulated bug" in failed[0]["error"]
    assert failed[0]["message_id"] == "<reply-2@readers.example.org>"
    # After the fix, reprocess picks it up.
    monkeypatch.setattr(curator.process, "understand_message", real)
    invoke(runner, "reprocess")
    records = json.loads(invoke(runner, "list", "--json"))
    assert len(records) == 3 and not any(r["error"] for r in records)


def test_a_message_the_database_refuses_is_recorded_alone(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sqlalchemy.exc import DataError

    from curator.store import processing
    from tests.mailfactory import replies

    for i, raw in enumerate(replies(4)):
        (tmp_path / f"{i}.eml").write_bytes(raw)
    real = processing.save_responses

    def refuse_reply_3(session: object, rows: list[dict[str, object]]) -> None:
        if any("Reader 3" in str(r.get("name")) for r in rows):
            raise DataError("INSERT", {}, Exception("value refused"))
        real(session, rows)  # type: ignore[arg-type]

    monkeypatch.setattr(processing, "save_responses", refuse_reply_3)
    summary = json.loads(invoke(runner, "import", "--json", str(tmp_path)))
    assert (summary["responses"], summary["failed_to_understand"]) == (3, 1)
    records = json.loads(invoke(runner, "list", "--all", "--json"))
    failed = [r for r in records if r["error"]]
    assert len(failed) == 1 and "value refused" in failed[0]["error"]
