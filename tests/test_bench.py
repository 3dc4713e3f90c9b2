"""scripts/bench's own arithmetic: a stage's peak memory counts the processes it starts, and
the backfill line adds poll and process."""

from __future__ import annotations

import os
import sys

import pytest

from curator.bench import (
    Row,
    _run_measured,
    backfill_row,
    bench_render,
    bench_tag,
    selected_stages,
)

# A parent holding ~60 MB that starts a child holding ~120 MB, both alive together.
PARENT_AND_CHILD = """
import subprocess, sys, time
held = bytearray(60 * 2**20)
child = subprocess.Popen([sys.executable, "-c",
    "import time; held = bytearray(120 * 2**20); time.sleep(1.5)"])
child.wait()
print("done")
"""


def test_a_stage_peak_counts_the_processes_it_starts() -> None:
    seconds, peak_mb, out = _run_measured(
        [sys.executable, "-c", PARENT_AND_CHILD], dict(os.environ)
    )
    assert out.strip() == "done" and seconds > 0
    # wait4 alone would report the larger of the two (~130 MB); the sum is above 180 MB.
    assert peak_mb > 175


def test_the_backfill_line_adds_poll_and_process() -> None:
    poll = Row("poll", 100_000, 25.0, 120.0, "", command_seconds=26.4)
    process = Row("process", 100_000, 150.0, 330.0, "", command_seconds=150.2)
    row = backfill_row(poll, process)
    assert row.stage == "backfill" and row.seconds == pytest.approx(176.6) and row.peak_mb == 330.0
    assert row.note == "backfill 100,000: poll 26 s + process 150 s = 177 s, peak 330 MB"


def test_only_backfill_runs_the_two_stages_it_adds_up() -> None:
    assert selected_stages(["backfill"]) == {"backfill", "poll", "process"}
    assert selected_stages(["understand", "list"]) == {"understand", "list"}
    assert "render" in selected_stages([])


def test_the_tag_stage_tags_real_replies_cold_then_warm() -> None:
    pytest.importorskip("onnxruntime")
    cold, warm = bench_tag(60)
    assert (cold.stage, warm.stage) == ("tag-cold", "tag-warm")
    assert 40 < cold.n == warm.n <= 60  # the genuine responses among 60 generated mails
    assert cold.seconds > 0 and warm.seconds > 0 and (cold.peak_mb or 0) > 0


def test_the_render_stage_renders_eight_picks_in_both_formats() -> None:
    rows = bench_render(runs=2)
    assert [r.stage for r in rows] == ["render-html", "render-text"]
    assert all(r.n == 8 and r.seconds > 0 for r in rows)
