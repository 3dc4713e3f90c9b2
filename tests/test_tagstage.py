"""Tagging inside the pipeline: new responses are tagged, editors' tags are kept and learnt
from, `curator retag` and `curator stats` report on them — through the real CLI and store."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from curator.cli import cli
from curator.samples import sample_mail_dir


@pytest.fixture
def runner(sample_config: Path) -> CliRunner:
    r = CliRunner()
    result = r.invoke(cli, ["import", str(sample_mail_dir())], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return r


def run(runner: CliRunner, *args: str) -> object:
    result = runner.invoke(cli, [*args, "--json"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_new_responses_are_tagged_by_the_model(runner: CliRunner) -> None:
    records = run(runner, "list")
    assert isinstance(records, list) and len(records) >= 25
    keys = {"ban_everywhere", "ban_government_only", "no_ban", "unclear"}
    for r in records:
        assert r["position"] in keys
        assert 0.0 <= r["position_confidence"] <= 1.0
        assert r["position_source"] == "model"
        assert len(r["arguments"]) >= 1


def test_editor_tags_survive_retag_and_reprocess(runner: CliRunner) -> None:
    records = run(runner, "list")
    target = records[0]  # type: ignore[index]
    other = next(k for k in ("no_ban", "unclear") if k != target["position"])
    run(runner, "tag", str(target["id"]), "--position", other)
    report = run(runner, "retag")
    assert report[0]["corrections"] == 1  # type: ignore[index]
    assert report[0]["retagged"] == len(records) - 1  # type: ignore[index, arg-type]
    run(runner, "reprocess")
    after = {r["id"]: r for r in run(runner, "list")}  # type: ignore[union-attr]
    assert after[target["id"]]["position"] == other
    assert after[target["id"]]["position_source"] == "editor"


def test_stats_add_up(runner: CliRunner) -> None:
    stats = run(runner, "stats", "--question", "eu-tiktok-ban")
    assert isinstance(stats, dict)
    total = stats["total"]
    assert total == len(run(runner, "list"))  # type: ignore[arg-type]
    assert sum(p["count"] for p in stats["positions"].values()) == total
    assert abs(sum(p["share"] for p in stats["positions"].values()) - 1.0) < 0.01
    assert stats["editor_confirmed_positions"] == 0
