"""What a question is: pure data shared by routing, tagging, curation and the digest.

The configuration layer (`curator.config`) builds these from TOML; nothing here does I/O.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class Position:
    """One answer an editor counts replies by, e.g. ``admit`` / "Let them in"."""

    key: str
    label: str
    description: str = ""
    examples: tuple[str, ...] = ()


@dataclass(frozen=True)
class Argument:
    """A theme a reply may use, e.g. ``security_risk``; a reply may use several."""

    key: str
    label: str
    description: str = ""
    examples: tuple[str, ...] = ()


@dataclass(frozen=True)
class Question:
    """A question the newsletter asked its readers and how replies are matched to it."""

    slug: str
    title: str
    prompt: str = ""
    # Message-IDs of the newsletter issue(s) that asked it, with angle brackets.
    references: tuple[str, ...] = ()
    # Case-insensitive substrings of the reply's Subject.
    subject_contains: tuple[str, ...] = ()
    # Replies received in [date_from, date_to) can be matched by date alone (UTC-aware).
    date_from: datetime | None = None
    date_to: datetime | None = None
    positions: tuple[Position, ...] = field(default=())
    arguments: tuple[Argument, ...] = field(default=())

    def position(self, key: str) -> Position | None:
        return next((p for p in self.positions if p.key == key), None)

    def argument(self, key: str) -> Argument | None:
        return next((a for a in self.arguments if a.key == key), None)
