"""The process stage with tagging in a worker process (how a backfill runs): the same records
as tagging in process, editors' decisions kept, a dead worker costs nothing, and a run killed
half-way loses nothing — through the real store (SQLite and PostgreSQL)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from concurrent.futures import Future
from pathlib import Path

import pytest
from click.testing import CliRunner

from curator.cli import cli
from curator.config import load_config
from curator.process import process_pending, reprocess_all
from curator.questions import Question
from curator.samples import sample_mail_dir
from curator.store.engine import Store, open_store
from curator.tagpool import TagFuture, TagPool

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture
def config(sample_config: Path) -> Path:
    return sample_config


@pytest.fixture
def runner(config: Path) -> CliRunner:
    r = CliRunner()
    invoke(r, "import", str(sample_mail_dir()))  # few mails: tagged in process
    return r


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:
    opened = open_store(db_url)
    yield opened
    opened.dispose()


@pytest.fixture
def questions(config: Path) -> list[Question]:
    return list(load_config(config).questions)


def invoke(runner: CliRunner, *args: str) -> str:
    result = runner.invoke(cli, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.stdout


def records(runner: CliRunner) -> dict[int, dict[str, object]]:
    return {int(r["id"]): r for r in json.loads(invoke(runner, "list", "--all", "--json"))}


def assert_same_records(a: dict[int, dict[str, object]], b: dict[int, dict[str, object]]) -> None:
    """Equal, except that scores may differ in the last rounded digit (one BLAS thread in the
    worker sums in another order)."""
    assert a.keys() == b.keys()
    for rid, ra in a.items():
        rb = b[rid]
        plain = {k for k in ra if k not in ("position_confidence", "argument_details")}
        assert {k: ra[k] for k in plain} == {k: rb[k] for k in plain}, rid
        ca, cb = ra["position_confidence"], rb["position_confidence"]
        assert (ca is None) == (cb is None)
        if isinstance(ca, float) and isinstance(cb, float):
            assert abs(ca - cb) < 1e-3
        scores_a = {x["key"]: x["score"] for x in ra["argument_details"]}  # type: ignore[attr-defined]
        scores_b = {x["key"]: x["score"] for x in rb["argument_details"]}  # type: ignore[attr-defined]
        for key in scores_a.keys() & scores_b.keys():
            assert abs(scores_a[key] - scores_b[key]) < 1e-3


def test_a_worker_tags_as_this_process_does_and_keeps_editors_decisions(
    runner: CliRunner, store: Store, questions: list[Question]
) -> None:
    before = records(runner)
    responses = [r for r in before.values() if r["kind"] == "response"]
    assert len(responses) >= 25 and all(r["position_source"] == "model" for r in responses)
    target, picked = responses[0], responses[1]
    other = next(k for k in ("no_ban", "unclear") if k != target["position"])
    invoke(runner, "tag", str(target["id"]), "--position", other)
    invoke(runner, "pick", str(picked["id"]))
    reprocess_all(store, questions, parallel=False)  # refits on the editor's tag
    decided = records(runner)

    report = reprocess_all(store, questions, parallel=True)

    assert (report.processed, report.failed) == (len(before), 0)
    after = records(runner)
    assert_same_records(decided, after)
    assert after[int(str(target["id"]))]["position"] == other
    assert after[int(str(target["id"]))]["position_source"] == "editor"
    assert after[int(str(picked["id"]))]["status"] == "picked"


def test_a_dead_worker_leaves_tagging_to_this_process(
    runner: CliRunner, store: Store, questions: list[Question], monkeypatch: pytest.MonkeyPatch
) -> None:
    before = records(runner)

    def broken(self: TagPool, texts: object) -> TagFuture:
        future: Future[dict[int, dict[str, object]]] = Future()
        future.set_exception(RuntimeError("the worker died"))
        return TagFuture(future)

    monkeypatch.setattr(TagPool, "submit", broken)
    report = reprocess_all(store, questions, parallel=True)

    assert report.failed == 0
    assert_same_records(before, records(runner))


def test_a_killed_worker_process_is_reported_not_waited_for(
    store: Store, questions: list[Question]
) -> None:
    pool = TagPool(store, questions, {q.slug: 1 for q in questions})
    try:
        first = pool.submit([(1, None, "warm up")])  # starts the worker
        assert first.result() == {1: {}}  # no question: nothing to tag
        executor = pool._executor
        assert executor is not None
        for process in list(executor._processes.values()):
            process.kill()
        assert pool.submit([(2, None, "after")]).result() is None
    finally:
        pool.close()


KILL_AFTER_FIRST_BATCH = """
import os, signal, sys
import curator.process as process
from curator.config import load_config
from curator.store.engine import open_store
from pathlib import Path

process.BATCH = 5
config = load_config(Path(sys.argv[1]))
def progress(done, total):
    if done >= 5:
        os.kill(os.getpid(), signal.SIGKILL)  # as the OOM killer or a power cut would
if __name__ == "__main__":
    process.reprocess_all(open_store(config.database.url), config.questions,
                          progress=progress, parallel=True)
"""


def test_a_run_killed_half_way_loses_nothing(
    runner: CliRunner, store: Store, questions: list[Question], config: Path, tmp_path: Path
) -> None:
    before = records(runner)
    script = tmp_path / "kill_after_first_batch.py"
    script.write_text(KILL_AFTER_FIRST_BATCH, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    done = subprocess.run(
        [sys.executable, str(script), str(config)], env=env, capture_output=True, timeout=120
    )
    assert done.returncode == -9, done.stderr.decode()[-2000:]

    with store.transaction() as session:
        from curator.store.processing import count_pending

        pending = count_pending(session)
    assert 0 < pending <= len(before) - 5  # the first batch was committed, the rest waits

    report = process_pending(store, questions, parallel=True)
    assert report.processed == pending and report.failed == 0
    assert_same_records(before, records(runner))


def test_the_tagging_worker_does_not_load_the_understanding_stage() -> None:
    """The worker only tags: the gazetteer and mail parsers would add ~50 MB to it."""
    code = (
        "import sys, curator.tagpool, curator.tagstage, curator.tagging, curator.store.engine\n"
        "print(sorted(m for m in sys.modules if m.startswith('curator.understand')))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"
