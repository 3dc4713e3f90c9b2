"""Bundled samples: a small reply mailbox for the demo, its labels, and a benchmark generator.

``sample_mail_dir()`` is the folder of ``.eml`` files ``./scripts/demo`` imports;
``question.toml`` defines the question they answer; ``labels.jsonl`` holds the expected
reading of every file; ``curator.samples.generate`` makes any number of realistic replies
for benchmarks.
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["labels_path", "question_path", "sample_mail_dir"]

_HERE = Path(__file__).resolve().parent


def sample_mail_dir() -> Path:
    """The folder holding the sample mailbox's ``.eml`` files."""
    return _HERE / "mail"


def question_path() -> Path:
    """``question.toml``: the ``[[questions]]`` table the samples answer."""
    return _HERE / "question.toml"


def labels_path() -> Path:
    """``labels.jsonl``: one JSON object per sample file (kind, position, name, …)."""
    return _HERE / "labels.jsonl"
