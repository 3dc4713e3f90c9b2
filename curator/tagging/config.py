"""Read question definitions (positions, arguments) from a TOML file in the project's shape.

Only what tagging needs: ``[[questions]]`` with ``[[questions.positions]]`` and
``[[questions.arguments]]``. The application's own loader is ``curator.config``; this one reads
the question files shipped with the tagger and the evaluation fixtures.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from curator.questions import Argument, Position, Question


def _strings(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    return tuple(str(v) for v in value)


def parse_question(table: dict[str, Any]) -> Question:
    positions = tuple(
        Position(
            key=str(p["key"]),
            label=str(p.get("label", p["key"])),
            description=str(p.get("description", "")),
            examples=_strings(p.get("examples")),
        )
        for p in table.get("positions", ())
    )
    arguments = tuple(
        Argument(
            key=str(a["key"]),
            label=str(a.get("label", a["key"].replace("_", " "))),
            description=str(a.get("description", "")),
            examples=_strings(a.get("examples")),
        )
        for a in table.get("arguments", ())
    )
    return Question(
        slug=str(table["slug"]),
        title=str(table.get("title", table["slug"])),
        prompt=str(table.get("prompt", "")),
        references=_strings(table.get("references")),
        subject_contains=_strings(table.get("subject_contains")),
        positions=positions,
        arguments=arguments,
    )


def load_questions(path: Path) -> tuple[Question, ...]:
    with path.open("rb") as fh:
        data = tomllib.load(fh)
    return tuple(parse_question(q) for q in data.get("questions", ()))


DATA = Path(__file__).parent / "data"


def bundled_question(slug: str) -> Question:
    """A question shipped in ``data/<slug>.toml`` (the reference Signal question)."""
    return load_questions(DATA / f"{slug}.toml")[0]
