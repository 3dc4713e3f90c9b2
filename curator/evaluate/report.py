"""The shape of an evaluation result, shared by every section."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Figure:
    """One measured number, e.g. "email_reply_trimmer exact" = 0.97 (floor 0.95)."""

    name: str
    value: float
    floor: float | None = None
    detail: str = ""  # e.g. "62/64"

    @property
    def passed(self) -> bool:
        return self.floor is None or self.value >= self.floor


@dataclass(frozen=True)
class Section:
    title: str
    figures: tuple[Figure, ...]
    notes: tuple[str, ...] = ()
