"""The desk commands as a user meets them, through the real CLI on SQLite and PostgreSQL: the
table's default limit, and reader text that carries terminal control sequences."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pexpect
import pytest
from click.testing import CliRunner

from curator.cli.printable import json_safe, printable
from curator.store.seed import SeedResponse
from tests.curate_seed import SLUG, run, run_json, seed

# What a hostile or broken mail client can put in a reply: clear-screen, a window title, a
# colour, backspaces and a carriage return that overwrite, a C1 CSI, a bidi override, and
# text that rich would read as markup.
EVIL_REPLY = (
    "We should admit them.\x1b[2J\x1b]0;pwned\x07 I am not \x1b[31m afraid of them at all. "
    "[bold]Really[/bold] spies\roverwritten \u202eevil\u202c \x9b31m end."
)
EVIL_NAME = "Eve\x1b[31m Red"
EVIL_PLACE = "Riga\x08\x08\x08\x08Moscow"
RAW_CONTROLS = ("\x1b", "\x07", "\x08", "\r", "\x9b", "\u202e")


@pytest.fixture
def runner(curator_home: Path, db_url: str, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("CURATOR_DATABASE_URL", db_url)
    monkeypatch.setenv("CURATOR_EDITOR", "anna")
    monkeypatch.setenv("COLUMNS", "400")  # rich tables wide enough to hold the whole reply
    return CliRunner()


def _evil(db_url: str) -> int:
    (rid,) = seed(
        db_url,
        [
            SeedResponse(
                EVIL_REPLY,
                name=EVIL_NAME,
                location=EVIL_PLACE,
                position="admit",
                confidence=0.9,
                arguments=("moral_duty",),
                from_addr="eve@example.org",
            )
        ],
    )
    return rid


def _assert_escaped(output: str) -> None:
    for control in RAW_CONTROLS:
        assert control not in output, f"{control!r} reached the terminal raw"
    assert "\\x1b" in output


def test_printable() -> None:
    assert printable("a\x1b[31mb\tc\nd") == "a\\x1b[31mb\tc\nd"
    assert printable("a\tb\nc\r", one_line=True) == "a\\x09b\\x0ac\\x0d"
    assert printable("\u202eabc\x9b\x7f") == "\\u202eabc\\x9b\\x7f"
    assert printable("Zürich — “ok” 東京 🙂") == "Zürich — “ok” 東京 🙂"
    dumped = json.dumps({"r": "\x9b\u202e\x1b"}, ensure_ascii=False)
    assert json.loads(json_safe(dumped)) == {"r": "\x9b\u202e\x1b"}
    assert "\x9b" not in json_safe(dumped) and "\u202e" not in json_safe(dumped)


def test_reader_control_characters_never_reach_the_terminal(runner: CliRunner, db_url: str) -> None:
    rid = _evil(db_url)
    listed = run(runner, "list")
    _assert_escaped(listed.output)
    assert "[bold]Really[/bold]" in listed.output  # shown as written, not read as markup
    assert "Eve\\x1b[31m Red" in listed.output
    shown = run(runner, "show", str(rid))
    _assert_escaped(shown.output)
    assert "Eve\\x1b[31m Red" in shown.output and "\\u202eevil" in shown.output
    # An excerpt that drops the "not": the warning quotes the reader's text, escaped.
    edited = run(runner, "edit", str(rid), "--excerpt", "I am … afraid of them at all.")
    _assert_escaped(edited.output)
    assert "dropped “not”" in edited.output
    run(runner, "edit", str(rid), "--location", "Tallinn\x1b[5m")
    _assert_escaped(run(runner, "log").output)
    _assert_escaped(run(runner, "show", str(rid)).output)  # the excerpt diff and the history
    run(runner, "edit", str(rid), "--reset")
    suggested = run(runner, "suggest", "--question", SLUG, "-n", "1")
    _assert_escaped(suggested.output)
    assert "from tallinn\\x1b[5m" in suggested.output


def test_json_keeps_reader_text_exact_but_inert(runner: CliRunner, db_url: str) -> None:
    rid = _evil(db_url)
    for args in (("list",), ("show", str(rid))):
        out = run(runner, *args, "--json").stdout
        for control in RAW_CONTROLS:
            assert control not in out
        data = json.loads(out)
        record = data[0] if isinstance(data, list) else data
        assert (record["reply"], record["name"], record["location"]) == (
            EVIL_REPLY,
            EVIL_NAME,
            EVIL_PLACE,
        )


def test_show_raw_is_exact_to_a_pipe_and_escaped_on_a_terminal(
    runner: CliRunner, db_url: str, curator_home: Path
) -> None:
    rid = _evil(db_url)
    piped = run(runner, "show", str(rid), "--raw")
    assert piped.stdout_bytes == f"From: eve@example.org\r\n\r\n{EVIL_REPLY}\r\n".encode()
    env = {
        **os.environ,
        "CURATOR_DATABASE_URL": db_url,
        "PYTHONPATH": str(Path(__file__).parents[1]),
    }
    child = pexpect.spawn(
        sys.executable, ["-m", "curator", "show", str(rid), "--raw"], env=env, timeout=30
    )
    child.expect(pexpect.EOF)
    child.close()
    on_tty = child.before.decode()
    assert child.exitstatus == 0, on_tty
    assert "From: eve@example.org" in on_tty and "\\x1b[2J" in on_tty
    assert "\x1b" not in on_tty and "\x9b" not in on_tty


def test_the_table_shows_fifty_and_says_there_are_more(runner: CliRunner, db_url: str) -> None:
    seed(db_url, [SeedResponse(f"Reply number {i}.", name=f"R{i}") for i in range(55)])
    table = run(runner, "list")
    assert table.stdout.count("Reply number") == 50
    assert "The first 50 shown; more match" in table.stderr and "--limit N" in table.stderr
    everything = run(runner, "list", "--limit", "0")
    assert everything.stdout.count("Reply number") == 55 and "55 messages" in everything.stderr
    few = run(runner, "list", "--limit", "3")
    assert few.stdout.count("Reply number") == 3 and "The first 3 shown" in few.stderr
    assert len(run_json(runner, "list")) == 55  # scripts get every match
    assert len(run_json(runner, "list", "--limit", "7")) == 7
    exact = run(runner, "list", "--limit", "55")
    assert exact.stdout.count("Reply number") == 55 and "55 messages" in exact.stderr


@pytest.mark.parametrize("probe", [2000, 1])
def test_search_is_the_same_whether_rare_or_dense(
    runner: CliRunner, db_url: str, monkeypatch: pytest.MonkeyPatch, probe: int
) -> None:
    """PostgreSQL resolves a rare search to its ids first (fewer than PG_PROBE matches) and
    lets a dense one walk the ids; both must give the same rows in the same order."""
    from curator.store import queries

    monkeypatch.setattr(queries, "PG_PROBE", probe)
    ids = seed(db_url)
    for query, sort, expected in (
        ("fsb", "oldest", [ids[1], ids[2]]),
        ("fsb", "newest", [ids[2], ids[1]]),
        ("them", "length", [ids[0], ids[1], ids[2], ids[5]]),
        ("riga", "oldest", [ids[0]]),
        ("nobody-wrote-this", "oldest", []),
    ):
        found = [r["id"] for r in run_json(runner, "list", "--search", query, "--sort", sort)]
        assert found == expected, (query, sort)
    shortlisted = run(runner, "shortlist", "--search", "fsb", "--all-matching", "--json")
    assert [c["id"] for c in json.loads(shortlisted.stdout)] == [ids[1], ids[2]]


@pytest.mark.parametrize("probe", [2000, 1])
def test_sorts_are_the_same_whether_filters_are_rare_or_dense(
    runner: CliRunner, db_url: str, monkeypatch: pytest.MonkeyPatch, probe: int
) -> None:
    """SQLite walks a sort's index when the question and status filters match at least
    SQLITE_PROBE responses, and otherwise looks them up and sorts them; both must give the
    same rows in the same order — and leave out a superseded reply, which keeps its row."""
    from dataclasses import replace

    from sqlalchemy import update

    from curator.store import queries
    from curator.store.engine import open_store
    from curator.store.models import Message
    from tests.curate_seed import REPLIES

    monkeypatch.setattr(queries, "SQLITE_PROBE", probe)
    scores = (0.7, None, 0.9, 0.7, None, 0.2)
    replies = [replace(r, quality=q) for r, q in zip(REPLIES, scores, strict=True)]
    ids = seed(db_url, replies)
    store = open_store(db_url)
    with store.transaction() as session:
        session.execute(update(Message).where(Message.id == ids[3]).values(kind="superseded"))
    store.dispose()
    live = [i for i in range(len(replies)) if i != 3]

    def by(key: object) -> list[int]:
        return [ids[i] for i in sorted(live, key=key)]  # type: ignore[arg-type]

    expected = {
        "quality": by(lambda i: (scores[i] is None, -(scores[i] or 0), ids[i])),
        "confidence": by(lambda i: (replies[i].confidence is not None, replies[i].confidence or 0)),
        "length": by(lambda i: (-len(replies[i].reply.split()), ids[i])),
        "newest": by(lambda i: -ids[i]),
    }
    for filters in ([], ["--question", SLUG], ["--question", SLUG, "--status", "new"]):
        for sort, want in expected.items():
            found = [r["id"] for r in run_json(runner, "list", *filters, "--sort", sort)]
            assert found == want, (filters, sort)
            top = run_json(runner, "list", *filters, "--sort", sort, "--limit", "2")
            assert [r["id"] for r in top] == want[:2], (filters, sort)
    run(runner, "pick", str(ids[0]), str(ids[2]))
    for filters in (["--status", "picked"], ["--question", SLUG, "--status", "picked"]):
        picked = run_json(runner, "list", *filters, "--sort", "quality")
        assert [r["id"] for r in picked] == [ids[2], ids[0]], filters
    queue = [r["id"] for r in run_json(runner, "list", "--needs-review")]
    assert queue == [ids[1], ids[4]]  # new (ids[2] is picked), untagged or below 0.6
