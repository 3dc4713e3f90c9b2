"""`curator suggest` (a balanced slate with reasons) and `curator forget` (erasure), through
the CLI on SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from curator.curate.suggest import Candidate, propose, seats
from curator.store.seed import SeedResponse
from tests.curate_seed import SLUG, record, run, run_json, seed


@pytest.fixture
def runner(curator_home: Path, db_url: str, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("CURATOR_DATABASE_URL", db_url)
    monkeypatch.setenv("CURATOR_EDITOR", "anna")
    return CliRunner()


def _reply(
    i: int, position: str, arg: str, country: str, words: int = 60, **kw: object
) -> SeedResponse:
    text = " ".join(f"w{i}x{j}" for j in range(words))
    return SeedResponse(
        text,
        name=f"Reader {i}",
        location=f"Town {i}",
        country=country,
        position=position,
        confidence=0.9,
        arguments=(arg,),
        **kw,
    )  # type: ignore[arg-type]


SPLIT = [  # 6 admit, 3 refuse, 1 unclear: the real split is 60 / 30 / 10
    *(
        _reply(
            i, "admit", ("moral_duty", "economy", "moral_duty")[i % 3], ("LV", "DE", "IT")[i % 3]
        )
        for i in range(6)
    ),
    *(_reply(10 + i, "refuse", "security_risk", ("CZ", "PL", "CZ")[i]) for i in range(3)),
    _reply(20, "unclear", "economy", "FR", words=8),
]


def test_suggest_follows_the_split_and_varies(runner: CliRunner, db_url: str) -> None:
    ids = seed(db_url, SPLIT)
    slate = run_json(runner, "suggest", "--question", SLUG, "-n", "5")
    positions = [s["position"] for s in slate]
    assert sorted(positions) == ["admit", "admit", "admit", "refuse", "refuse"]
    assert positions[:2] == ["admit", "refuse"]  # seats alternate in the running order
    admit = [s for s in slate if s["position"] == "admit"]
    assert len({s["reason"].split("argues ")[1].split(";")[0] for s in admit[:2]}) == 2
    assert all("60 words, named, placed" in s["reason"] for s in slate)
    balanced = run_json(runner, "suggest", "--question", SLUG, "-n", "3", "--balanced")
    assert sorted(s["position"] for s in balanced) == ["admit", "refuse", "unclear"]
    assert run_json(runner, "list", "--status", "picked") == []  # nothing changed yet
    text = run(runner, "suggest", "--question", SLUG, "-n", "3", "--apply").stdout
    assert text.startswith("1. #")
    picked = sorted(run_json(runner, "list", "--status", "picked"), key=lambda r: r["pick_order"])
    assert [f"#{r['id']}" for r in picked] == [line.split()[1] for line in text.splitlines()]
    assert set(r["id"] for r in picked) <= set(ids)


def test_suggest_skips_withheld_names_unless_allowed(runner: CliRunner, db_url: str) -> None:
    seed(
        db_url,
        [
            _reply(1, "admit", "economy", "LV", withhold=True),
            _reply(2, "admit", "economy", "DE", words=10),
        ],
    )
    only = run_json(runner, "suggest", "--question", SLUG, "-n", "2")
    assert len(only) == 1 and "10 words" in only[0]["reason"]
    assert len(run_json(runner, "suggest", "--question", SLUG, "-n", "2", "--allow-withheld")) == 2


def test_seats_and_quality_first() -> None:
    assert seats({"a": 60, "b": 30, "c": 10}, 6, False) == {"a": 4, "b": 2, "c": 0}
    assert seats({"a": 60, "b": 30, "c": 10}, 6, True) == {"a": 2, "b": 2, "c": 2}
    pool = [Candidate(i, "a", s, "q", None, None, False) for i, s in ((1, 0.2), (2, 0.9))]
    assert [s.id for s in propose(pool, {"a": 2}, 1)] == [2]


def test_forget_erases_a_reader(runner: CliRunner, db_url: str) -> None:
    ids = seed(db_url)
    anna = str(ids[0])  # anna@example.lv
    run(runner, "edit", anna, "--excerpt", "We have a duty to take them in.")
    run(runner, "pick", anna, str(ids[1]))
    preview = run_json(runner, "forget", "--email", "ANNA@example.lv", "--dry-run")
    assert preview == {"messages": 1, "responses": 1, "excerpts": 1, "events": 2, "dry_run": True}
    assert record(runner, ids[0])["reply"]
    done = run_json(runner, "forget", "--email", "anna@example.lv")
    assert done["messages"] == 1 and done["events"] == 2
    assert "no message with id" in run(runner, "show", anna, code=2).output
    assert run_json(runner, "list", "--search", "conscientious") == []  # gone from the index
    log = run_json(runner, "log")
    forgot = next(e for e in log if e["action"] == "forget")
    assert "example.lv" not in str(forgot).lower()  # the counts, never the address
    assert all(e["response_id"] != ids[0] and "objectors" not in str(e) for e in log)
    assert record(runner, ids[1])["pick_order"] == 1  # the running order closed up
    again = run(runner, "forget", "--email", "anna@example.lv").stdout
    assert "Removed 0 messages" in again
