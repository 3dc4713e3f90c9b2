"""A small editor's desk for the curation tests: one question, a handful of replies."""

from __future__ import annotations

import json
from typing import Any

from click.testing import CliRunner

from curator.cli import cli
from curator.store.engine import open_store
from curator.store.seed import SeedResponse, ensure_question, insert_responses

SLUG = "russian-draft-dodgers"
POSITIONS = ("admit", "refuse", "unclear")
ARGUMENTS = ("security_risk", "moral_duty", "economy", "send_back")

REPLIES = [
    SeedResponse(
        "They are conscientious objectors. We have a duty to take them in. I am not afraid.",
        name="Anna Kalnina",
        location="Riga, Latvia",
        country="LV",
        position="admit",
        confidence=0.92,
        arguments=("moral_duty",),
        from_addr="anna@example.lv",
    ),
    SeedResponse(
        "Some of them will be working for the FSB. We cannot check who is who.",
        name="Jan Novak",
        location="Prague",
        country="CZ",
        position="refuse",
        confidence=0.41,
        arguments=("security_risk",),
        from_addr="jan@example.cz",
    ),
    SeedResponse(
        "Let them in, but screen them carefully; the FSB will try to exploit it.",
        name="Priya",
        location="Toronto",
        country="CA",
        position="admit",
        confidence=0.55,
        arguments=("security_risk",),
        language="en",
    ),
    SeedResponse(
        "Wir sollten sie nicht aufnehmen. Sie sollen zu Hause protestieren.",
        name="Klaus",
        location="Berlin",
        country="DE",
        position="refuse",
        confidence=0.88,
        arguments=("send_back",),
        language="de",
    ),
    SeedResponse("I honestly don't know what I would do.", name="M.", position=None),
    SeedResponse(
        "Admit them: Europe needs workers and they are young and educated.",
        name="Sofia Rossi",
        location="Milan, Italy",
        country="IT",
        position="admit",
        confidence=0.81,
        arguments=("economy",),
    ),
]


def seed(db_url: str, replies: list[SeedResponse] | None = None) -> list[int]:
    store = open_store(db_url)
    try:
        with store.transaction() as session:
            qid = ensure_question(session, SLUG, POSITIONS, ARGUMENTS)
            return insert_responses(session, qid, replies or REPLIES)
    finally:
        store.dispose()


def run(runner: CliRunner, *args: str, code: int = 0) -> Any:
    result = runner.invoke(cli, list(args), catch_exceptions=False)
    assert result.exit_code == code, result.output
    return result


def run_json(runner: CliRunner, *args: str) -> Any:
    return json.loads(run(runner, *args, "--json").stdout)


def record(runner: CliRunner, rid: int) -> dict[str, Any]:
    data: dict[str, Any] = run_json(runner, "show", str(rid))
    return data
