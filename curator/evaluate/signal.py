"""The signal_dev set: 80 labelled messages from a Signal reply mailbox.

This is the pure stage, which sees one message at a time: ``duplicate`` and ``superseded``
are decided by the store (it sees the other messages), so those labels count as
``response`` here.
"""

from __future__ import annotations

import difflib
import json
from pathlib import Path

from curator.evaluate.report import Figure, Section
from curator.questions import Question
from curator.understand import Understanding, understand_message

# The question as an editor would configure it (the Message-ID and subject).
SIGNAL_QUESTION = Question(
    slug="russian-draft-dodgers",
    title="Would you accept Russian draft dodgers?",
    prompt="If you were in charge of EU asylum policy, what would you do?",
    references=("<20220929103107.5f2e8c1d4a7b@mail.gzeromedia.com>",),
    subject_contains=("Russian draft dodgers",),
)
_CONTENT = frozenset({"response", "duplicate", "superseded"})
_WITH_TEXT = _CONTENT | {"off_topic", "unsubscribe"}


def load(corpora: Path) -> list[tuple[dict[str, object], Understanding]]:
    base = corpora / "signal_dev"
    rows = []
    for line in (base / "labels.jsonl").read_text(encoding="utf-8").splitlines():
        label = json.loads(line)
        raw = (base / "emails" / str(label["file"])).read_bytes()
        rows.append((label, understand_message(raw, (SIGNAL_QUESTION,))))
    return rows


def similarity(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, a.split(), b.split(), autojunk=False).ratio()


def lenient(value: object) -> str:
    return " ".join(str(value or "").split()).strip(" .,;:-–—\"'()").casefold()


def _share(name: str, hits: list[str], total: int, floor: float | None) -> Figure:
    value = (total - len(hits)) / total if total else 0.0
    detail = f"{total - len(hits)}/{total}" + (" missed: " + ", ".join(hits[:8]) if hits else "")
    return Figure(name, value, floor, detail)


def evaluate(corpora: Path) -> Section:
    rows = load(corpora)
    genuine_miss, kind_miss, name_miss, place_miss, withhold_miss = [], [], [], [], []
    sims: list[float] = []
    content = 0
    for label, got in rows:
        file = str(label["file"])[:3]
        gold_kind = "response" if label["kind"] in _CONTENT else str(label["kind"])
        if (gold_kind == "response") != (got.kind == "response"):
            genuine_miss.append(file)
        if gold_kind != got.kind:
            kind_miss.append(f"{file}:{got.kind}")
        if label["kind"] in _WITH_TEXT:
            sims.append(similarity(got.reply, str(label["expected_reply"])))
        if label["kind"] not in _CONTENT:
            continue
        content += 1
        if lenient(label["name"]) != lenient(got.name):
            name_miss.append(f"{file}:{got.name}")
        if lenient(label["location"]) != lenient(got.location):
            place_miss.append(f"{file}:{got.location}")
        if label["withhold_name"] and not (got.withhold_name and got.name is None):
            withhold_miss.append(file)
    withheld = sum(1 for label, _ in rows if label["withhold_name"])
    mean = sum(sims) / len(sims) if sims else 0.0
    low = sorted(
        (s, str(lab["file"])[:3])
        for (lab, _), s in zip([r for r in rows if r[0]["kind"] in _WITH_TEXT], sims, strict=True)
    )[:5]
    figures = (
        _share("genuine vs not", genuine_miss, len(rows), 0.98),
        _share("kind", kind_miss, len(rows), 0.95),
        Figure(
            "reply word similarity (mean)",
            mean,
            0.97,
            f"n={len(sims)}; lowest " + ", ".join(f"{f}:{s:.2f}" for s, f in low),
        ),
        _share("name exact (lenient)", name_miss, content, 0.95),
        _share("location exact (lenient)", place_miss, content, 0.95),
        _share("withhold requests honoured", withhold_miss, withheld, 1.0),
    )
    notes = (
        "duplicate/superseded labels count as response: the store decides those;",
        "name/location compared ignoring case and edge punctuation, over the content kinds.",
    )
    return Section("signal_dev (pure stage)", figures, notes)
