"""`curator suggest`: a proposed slate of picks, with a reason for each.

* strongest first: the quality score when the understanding stage gave one, else a transparent
  heuristic — printable length (30–120 words), a name and a place to print, a confident tag
  (an editor's shortlist counts for a little more);
* balanced: each position gets seats in proportion to the real split of replies (largest
  remainder), or equal seats with ``balanced=True``; seats alternate in the running order;
* varied: no two picks make the same top argument, and places (country, else location) are
  not repeated — each rule is relaxed only when a position has nothing else left;
* consent: replies whose writer asked to withhold their name are skipped unless allowed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from curator.curate.service import Changed, set_status
from curator.errors import UsageError
from curator.store import curation as db
from curator.store.digest import response_position_counts
from curator.store.engine import Store
from curator.store.queries import slate_candidates

PRINTABLE = (30, 120)  # words


@dataclass(frozen=True)
class Candidate:
    id: int
    position: str | None
    score: float
    why: str
    argument: str | None
    place: str | None
    withhold: bool


@dataclass(frozen=True)
class Suggestion:
    id: int
    position: str | None
    score: float
    reason: str


def strength(row: dict[str, Any]) -> tuple[float, str]:
    """(score in 0…1, how it was reached)."""
    if row["quality"] is not None:
        return float(row["quality"]), f"quality {row['quality']:.2f}"
    lo, hi = PRINTABLE
    words = int(row["words"])
    length = (
        words / lo if words < lo else max(0.0, 1 - (words - hi) / (2 * hi)) if words > hi else 1.0
    )
    conf = float(row["confidence"] or 0.0)
    score = 0.4 * length + 0.2 * bool(row["name"]) + 0.15 * bool(row["location"]) + 0.25 * conf
    score += 0.1 if row["status"] == "shortlisted" else 0.0
    bits = [f"{words} words", "named" if row["name"] else "no name"]
    bits += ["placed" if row["location"] else "no place", f"tag {conf:.2f}"]
    if row["status"] == "shortlisted":
        bits.append("shortlisted")
    return min(score, 1.0), ", ".join(bits)


def candidate(row: dict[str, Any]) -> Candidate:
    score, why = strength(row)
    args = sorted(row["arguments"], key=lambda a: -float(a.get("score") or 0))
    place = row["country"] or (row["location"] or "").split(",")[-1].strip().casefold() or None
    return Candidate(
        row["id"],
        row["position"],
        score,
        why,
        args[0]["key"] if args else None,
        place,
        bool(row["withhold"]),
    )


def seats(split: dict[str, int], n: int, balanced: bool) -> dict[str, int]:
    """Seats per position: proportional to ``split`` (largest remainder), or equal."""
    if not split or n <= 0:
        return {}
    weights = {p: 1 if balanced else c for p, c in split.items()}
    total = sum(weights.values())
    exact = {p: n * w / total for p, w in weights.items()}
    out = {p: int(x) for p, x in exact.items()}
    for p in sorted(exact, key=lambda p: (out[p] - exact[p], -split[p]))[: n - sum(out.values())]:
        out[p] += 1
    return out


def propose(
    candidates: Sequence[Candidate], split: dict[str, int], n: int, *, balanced: bool = False
) -> list[Suggestion]:
    """The slate, in running order (positions alternate, biggest share first)."""
    pools = {
        p: sorted((c for c in candidates if c.position == p), key=lambda c: -c.score) for p in split
    }
    have = {p: len(pool) for p, pool in pools.items() if pool}
    quota = seats({p: split[p] for p in have}, min(n, sum(have.values())), balanced)
    quota = {p: min(q, have[p]) for p, q in quota.items()}
    used_args: set[str] = set()
    used_places: set[str] = set()
    slate: list[Suggestion] = []
    total = sum(split.values())
    while any(quota.values()):
        for p in sorted(quota, key=lambda p: -quota[p]):
            if not quota[p]:
                continue
            choice = _choose(pools[p], used_args, used_places)
            pools[p].remove(choice)
            quota[p] -= 1
            used_args.add(choice.argument or f"#{choice.id}")
            used_places.add(choice.place or f"#{choice.id}")
            share = f"{split[p] * 100 / total:.0f}% of replies" if total else ""
            reason = f"{p} ({share}): {choice.why}"
            reason += f"; argues {choice.argument}" if choice.argument else ""
            reason += f"; from {choice.place}" if choice.place else ""
            slate.append(Suggestion(choice.id, p, round(choice.score, 3), reason))
    return slate


def _choose(pool: list[Candidate], used_args: set[str], used_places: set[str]) -> Candidate:
    def fresh_arg(c: Candidate) -> bool:
        return c.argument is None or c.argument not in used_args

    def fresh_place(c: Candidate) -> bool:
        return c.place is None or c.place not in used_places

    for ok in (lambda c: fresh_arg(c) and fresh_place(c), fresh_arg, fresh_place, lambda c: True):
        found = next((c for c in pool if ok(c)), None)
        if found is not None:
            return found
    raise AssertionError("empty pool")  # pragma: no cover - quotas never exceed pools


def suggest(
    store: Store,
    slug: str,
    n: int = 6,
    *,
    balanced: bool = False,
    allow_withheld: bool = False,
) -> list[Suggestion]:
    with store.transaction() as session:
        if db.find_question(session, slug) is None:
            raise UsageError(f"no question {slug!r} in the database — see `curator list`")
        rows = slate_candidates(session, slug)
        split = {p: c for p, c in response_position_counts(session, slug).items() if p is not None}
    pool = [candidate(r) for r in rows]
    pool = [c for c in pool if allow_withheld or not c.withhold]
    return propose(pool, split, n, balanced=balanced)


def apply(store: Store, slate: Sequence[Suggestion], *, actor: str) -> list[Changed]:
    """Pick the slate in its order (after any picks already made)."""
    return set_status(store, [s.id for s in slate], "picked", actor=actor, reason="suggested")
