"""The small frozen records the tagger takes and returns."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Correction:
    """An editor's tag on one reply: the training signal the tagger learns from.

    ``position`` is None when the editor only changed arguments.
    """

    text: str
    position: str | None
    arguments_added: tuple[str, ...] = ()
    arguments_removed: tuple[str, ...] = ()


@dataclass(frozen=True)
class PositionTag:
    key: str
    confidence: float  # 0..1, the model's probability for ``key``


@dataclass(frozen=True)
class ArgumentSuggestion:
    key: str
    score: float  # higher is more likely; comparable within one question only


@dataclass(frozen=True)
class Tagging:
    position: PositionTag
    arguments: tuple[ArgumentSuggestion, ...]  # ranked, best first
    needs_review: bool  # low confidence: show it to the editor first
