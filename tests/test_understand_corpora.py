"""The shared corpora through the understanding stage (skipped when they are absent,
except under CI=true)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from curator.evaluate import reply, signal

CORPORA = Path(
    os.environ.get("CURATOR_CORPORA")
    or Path(__file__).resolve().parents[1].parent / "shared" / "corpora"
)


@pytest.fixture(scope="module")
def corpora() -> Path:
    if not CORPORA.is_dir():
        if os.environ.get("CI") == "true":
            pytest.fail(f"corpora folder {CORPORA} is absent under CI=true")
        pytest.skip(f"corpora folder {CORPORA} is absent (set CURATOR_CORPORA)")
    return CORPORA


def test_reply_figures_meet_their_floors(corpora: Path) -> None:
    section = reply.evaluate(corpora)
    low = [
        f"{f.name}={f.value:.3f} ({f.detail})"
        for f in section.figures
        if f.name.startswith(("email_reply_trimmer", "github", "zapier", "talon")) and not f.passed
    ]
    assert not low


def test_signal_dev_withhold_requests_are_honoured(corpora: Path) -> None:
    section = signal.evaluate(corpora)
    figure = next(f for f in section.figures if f.name.startswith("withhold"))
    assert figure.passed, figure.detail
