"""How the readers split: counts and shares by position, and the sentence a newsroom would print.

Shares are of the *tagged* replies (a reply nobody has tagged yet has no position to count) and
are rounded with the largest-remainder method, so the printed percentages add up to 100.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

# Below this many tagged replies percentages mislead ("1 (33%)"): the sentence gives counts only.
MIN_FOR_SHARES = 10


@dataclass(frozen=True)
class Share:
    key: str
    label: str
    count: int
    percent: int  # rounded; the rows of a split add up to 100


@dataclass(frozen=True)
class Split:
    total: int  # every genuine response to the question
    untagged: int  # responses with no position yet
    rows: tuple[Share, ...]  # positions in config order (then unknown keys), zero counts kept

    @property
    def tagged(self) -> int:
        return self.total - self.untagged

    @property
    def ranked(self) -> tuple[Share, ...]:
        """Non-empty positions, largest first (ties in config order)."""
        nonzero = [s for s in self.rows if s.count]
        return tuple(sorted(nonzero, key=lambda s: -s.count))

    @property
    def with_percent(self) -> bool:
        """Whether shares mean something yet (see `MIN_FOR_SHARES`)."""
        return self.tagged >= MIN_FOR_SHARES

    @property
    def sentence(self) -> str:
        return describe(self)


def compute_split(counts: Mapping[str | None, int], positions: Sequence[tuple[str, str]]) -> Split:
    """Counts by position key (None: not yet tagged) → a `Split` with labels from the config."""
    labels = dict(positions)
    keys = [key for key, _ in positions]
    keys += sorted(k for k in counts if k is not None and k not in labels)
    tallies = [counts.get(key, 0) for key in keys]
    percents = largest_remainder(tallies)
    rows = tuple(
        Share(key, labels.get(key, key), n, pct)
        for key, n, pct in zip(keys, tallies, percents, strict=True)
    )
    total = sum(counts.values())
    return Split(total=total, untagged=counts.get(None, 0), rows=rows)


def largest_remainder(counts: Sequence[int], total: int = 100) -> list[int]:
    """Whole-number shares of ``total`` that add up to it exactly (Hamilton's method)."""
    whole = sum(counts)
    if whole == 0:
        return [0] * len(counts)
    exact = [n * total / whole for n in counts]
    floors = [int(x) for x in exact]
    short = total - sum(floors)
    by_remainder = sorted(range(len(counts)), key=lambda i: (-(exact[i] - floors[i]), i))
    for i in by_remainder[:short]:
        floors[i] += 1
    return floors


def _readers(n: int) -> str:
    return "one reader" if n == 1 else f"{n:,} readers"


def _part(share: Share, with_percent: bool) -> str:
    amount = f"{share.count:,} ({share.percent}%)" if with_percent else f"{share.count:,}"
    return f"{amount} “{share.label}”"


def _join(parts: Sequence[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def describe(split: Split) -> str:
    """ "Of the 412 readers who wrote in, 190 (46%) said “Let them in”, 128 (31%) …"."""
    if split.total == 0:
        return "No readers have written in yet."
    ranked = split.ranked
    if not ranked:
        return f"{_readers(split.total).capitalize()} wrote in; no reply has been tagged yet."
    if split.untagged:
        lead = f"Of the {_readers(split.tagged)} whose replies we have tagged so far"
        tail = (
            f" ({split.untagged:,} more {'is' if split.untagged == 1 else 'are'} not yet tagged.)"
        )
    else:
        lead, tail = f"Of the {_readers(split.total)} who wrote in", ""
    if split.tagged == 1:
        return f"{_one_reader(split)} said “{ranked[0].label}”.{tail}"
    if len(ranked) == 1:
        return f"{lead}, all said “{ranked[0].label}”.{tail}"
    parts = [_part(s, split.with_percent) for s in ranked]
    parts[0] = parts[0].replace(" “", " said “", 1)
    return f"{lead}, {_join(parts)}.{tail}"


def _one_reader(split: Split) -> str:
    return "The one reader tagged so far" if split.untagged else "The one reader who wrote in"
