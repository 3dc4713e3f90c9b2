"""The signal_dev set: 80 labelled messages from a Signal reply mailbox.

This is the pure stage, which sees one message at a time: ``duplicate`` and ``superseded``
are decided by the store (it sees the other messages), so those labels count as
``response`` here.
"""

from __future__ import annotations

import difflib
import json
import time
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from curator.evaluate.report import Figure, Section
from curator.questions import Argument, Position, Question
from curator.understand import Understanding, understand_message

# The question as an editor would configure it: the Message-ID and subject, and the
# positions and arguments as the signal_dev README defines them (DESIGN.md §7 shape).
_POSITIONS = (
    ("admit", "Let them in", "Admit Russians fleeing mobilisation; ordinary checks apply."),
    ("reject", "Keep them out", "Do not admit them, at least for now."),
    (
        "conditional",
        "Only some, under conditions",
        "Admit only those with proof of opposition, temporary status, service for Ukraine.",
    ),
    ("unclear", "No answer", "Torn between sides, a question, a joke, or rejects the framing."),
)
_ARGUMENTS = (
    ("security_risk", "Spies, saboteurs, fifth columnists; the Nord Stream blasts."),
    ("collective_responsibility", "Citizens answer for their state."),
    ("protest_at_home", "They should have protested or fought the regime at home."),
    ("dont_help_putin", "An open exit is a safety valve that suits Putin."),
    ("not_war_refugees", "Avoiding the draft is not persecution; not fleeing war."),
    ("moral_imperative", "A moral duty to shelter them."),
    ("conscientious_objectors", "Refusing to fight an unjust war deserves protection."),
    ("drain_putin_army", "Every man who leaves is a soldier Putin does not get."),
    ("brain_drain", "Skilled young people leaving weakens Russia and helps Europe."),
    ("humanitarian_law", "Refugee convention, asylum law, legal obligations."),
    ("screening_vetting", "Security checks, interviews, background screening."),
    ("economic_labour_needs", "Europe needs the workers and their taxes."),
    ("burden_sharing", "Fair distribution across member states."),
)
SIGNAL_QUESTION = Question(
    slug="russian-draft-dodgers",
    title="Would you accept Russian draft dodgers?",
    prompt="If you were in charge of EU asylum policy, what would you do?",
    references=("<20220929103107.5f2e8c1d4a7b@mail.gzeromedia.com>",),
    subject_contains=("Russian draft dodgers",),
    positions=tuple(Position(k, label, d) for k, label, d in _POSITIONS),
    arguments=tuple(Argument(k, k.replace("_", " "), d) for k, d in _ARGUMENTS),
)
_CONTENT = frozenset({"response", "duplicate", "superseded"})
_WITH_TEXT = _CONTENT | {"off_topic", "unsubscribe"}


Row = tuple[dict[str, object], Understanding]


def load(folder: Path, emails: str = "emails", question: Question = SIGNAL_QUESTION) -> list[Row]:
    """Each label of ``folder/labels.jsonl`` with the understanding of its message."""
    rows = []
    for line in (folder / "labels.jsonl").read_text(encoding="utf-8").splitlines():
        label = json.loads(line)
        raw = (folder / emails / str(label["file"])).read_bytes()
        rows.append((label, understand_message(raw, (question,))))
    return rows


def question_from_toml(path: Path) -> Question:
    """The first [[questions]] entry of a curator.toml-shaped file (the fields routing and
    the off-topic check read)."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))["questions"][0]
    return Question(
        slug=data["slug"],
        title=data["title"],
        prompt=data.get("prompt", ""),
        references=tuple(data.get("references", ())),
        subject_contains=tuple(data.get("subject_contains", ())),
        positions=tuple(
            Position(p["key"], p["label"], p.get("description", ""), tuple(p.get("examples", ())))
            for p in data.get("positions", ())
        ),
    )


def similarity(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, a.split(), b.split(), autojunk=False).ratio()


def lenient(value: object) -> str:
    return " ".join(str(value or "").split()).strip(" .,;:-–—\"'()").casefold()


@dataclass
class Tally:
    """Misses per measure over one labelled set, in the signal_dev label format."""

    rows: int = 0
    content: int = 0
    withheld: int = 0
    genuine: list[str] = field(default_factory=list)
    kind: list[str] = field(default_factory=list)
    name: list[str] = field(default_factory=list)
    place: list[str] = field(default_factory=list)
    withhold: list[str] = field(default_factory=list)
    similarities: list[tuple[float, str]] = field(default_factory=list)
    languages: int = 0
    language: list[str] = field(default_factory=list)

    def add(self, label: dict[str, object], got: Understanding) -> None:
        file = str(label["file"]).split(".")[0]
        gold_kind = "response" if label["kind"] in _CONTENT else str(label["kind"])
        self.rows += 1
        if (gold_kind == "response") != (got.kind == "response"):
            self.genuine.append(file)
        if gold_kind != got.kind:
            self.kind.append(f"{file}:{got.kind}")
        if label["kind"] in _WITH_TEXT:
            self.similarities.append((similarity(got.reply, str(label["expected_reply"])), file))
            self.languages += 1
            if label.get("language") != got.language:
                self.language.append(f"{file}:{got.language}")
        if label["kind"] in _CONTENT:
            self._add_signoff(file, label, got)

    def _add_signoff(self, file: str, label: dict[str, object], got: Understanding) -> None:
        self.content += 1
        if lenient(label["name"]) != lenient(got.name):
            self.name.append(f"{file}:{got.name}")
        if lenient(label["location"]) != lenient(got.location):
            self.place.append(f"{file}:{got.location}")
        if label["withhold_name"]:
            self.withheld += 1
            if not (got.withhold_name and got.name is None):
                self.withhold.append(file)

    def figures(self, prefix: str, floors: bool) -> list[Figure]:
        def floor(value: float) -> float | None:
            return value if floors else None

        sims = [s for s, _ in self.similarities]
        low = ", ".join(f"{f}:{s:.2f}" for s, f in sorted(self.similarities)[:5])
        return [
            _share(f"{prefix}genuine vs not", self.genuine, self.rows, floor(0.98)),
            _share(f"{prefix}kind", self.kind, self.rows, floor(0.95)),
            Figure(
                f"{prefix}reply word similarity (mean)",
                sum(sims) / max(1, len(sims)),
                floor(0.97),
                f"n={len(sims)}; lowest {low}",
            ),
            _share(f"{prefix}name exact (lenient)", self.name, self.content, floor(0.95)),
            _share(f"{prefix}location exact (lenient)", self.place, self.content, floor(0.95)),
            _share(f"{prefix}withhold requests honoured", self.withhold, self.withheld, floor(1.0)),
            _share(f"{prefix}language (ISO 639-1)", self.language, self.languages, None),
        ]


def _share(name: str, hits: list[str], total: int, floor: float | None) -> Figure:
    value = (total - len(hits)) / total if total else 0.0
    detail = f"{total - len(hits)}/{total}" + (" missed: " + ", ".join(hits[:8]) if hits else "")
    return Figure(name, value, floor, detail)


def throughput(seconds: float = 1.0) -> Figure:
    """understand_message on the sample generator's replies, in CPU time (process_time), so
    other processes on a shared machine do not count against it."""
    from curator.samples.generate import generate_replies

    mails = list(generate_replies(4000, seed=11))
    for raw in mails[:200]:  # warm the caches a long-running process has warm
        understand_message(raw)
    done, start = 0, time.process_time()
    while time.process_time() - start < seconds:
        for raw in mails[done % len(mails) : done % len(mails) + 200]:
            understand_message(raw)
        done += 200
    rate = done / (time.process_time() - start)
    return Figure(
        "understand_message throughput (CPU msgs/s)",
        rate,
        3000.0,
        f"{done} generated ~3 KB replies; parse+kind+trim+sign-off+route+language",
    )


def evaluate(corpora: Path) -> Section:
    dev = Tally()
    for label, got in load(corpora / "signal_dev"):
        dev.add(label, got)
    figures = dev.figures("", floors=True)
    samples = Path(__file__).resolve().parents[1] / "samples"
    if (samples / "labels.jsonl").is_file():
        second = Tally()
        for label, got in load(samples, "mail", question_from_toml(samples / "question.toml")):
            second.add(label, got)
        figures += second.figures("curator/samples: ", floors=False)
    figures.append(throughput())
    notes = (
        "duplicate/superseded labels count as response: the store decides those;",
        "name/location compared ignoring case and edge punctuation, over the content kinds;",
        "curator/samples is a second labelled set (the sample generator's), shown without"
        " floors, its question read from curator/samples/question.toml;",
        "language: None is the answer for replies too short to tell ('Nope. Not one.') and for"
        " Georgian typed in Latin letters, which CLD2 cannot know.",
    )
    return Section("signal_dev (pure stage)", tuple(figures), notes)
