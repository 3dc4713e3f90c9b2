"""`curator review` in a real pseudo-terminal: keys in, screen text out, database changed."""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pexpect
import pyte
import pytest
from click.testing import CliRunner

from tests.curate_seed import SLUG, record, run, seed

ROWS, COLS = 30, 110


class Terminal:
    """A child process on a pty, its output rendered by a VT100 emulator (pyte)."""

    def __init__(self, args: list[str], env: dict[str, str]) -> None:
        self.screen = pyte.Screen(COLS, ROWS)
        self.stream = pyte.ByteStream(self.screen)
        self.child = pexpect.spawn(
            sys.executable, args, env=env, dimensions=(ROWS, COLS), timeout=15
        )

    def text(self) -> str:
        return "\n".join(self.screen.display)

    def pump(self) -> None:
        try:
            while True:
                self.stream.feed(self.child.read_nonblocking(65536, timeout=0.05))
        except (pexpect.TIMEOUT, pexpect.EOF):
            pass

    def wait_for(self, needle: str, timeout: float = 15) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self.pump()
            if needle in self.text():
                return self.text()
        raise AssertionError(f"{needle!r} never appeared on screen:\n{self.text()}")

    def press(self, keys: str, then: str | None = None) -> str:
        self.child.send(keys)
        return self.wait_for(then) if then else self.text()

    def close(self) -> None:
        self.child.close(force=True)


@pytest.fixture
def runner(curator_home: Path, db_url: str, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("CURATOR_DATABASE_URL", db_url)
    monkeypatch.setenv("CURATOR_EDITOR", "anna")
    return CliRunner()


@pytest.fixture
def terminal(
    runner: CliRunner, db_url: str, tmp_path: Path
) -> Iterator[tuple[Terminal, list[int]]]:
    ids = seed(db_url)
    editor = tmp_path / "trim.sh"  # an $EDITOR that trims the reply to its first clause
    editor.write_text('#!/bin/sh\nprintf "Let them in … screen them carefully.\\n" > "$1"\n')
    editor.chmod(0o755)
    env = {
        **os.environ,
        "TERM": "xterm-256color",
        "EDITOR": str(editor),
        "PYTHONPATH": str(Path(__file__).parents[1]),
    }
    term = Terminal(["-m", "curator", "review", "--question", SLUG], env)
    try:
        yield term, ids
    finally:
        term.close()


def test_one_key_decisions(runner: CliRunner, terminal: tuple[Terminal, list[int]]) -> None:
    term, ids = terminal
    # The review queue: untagged or unsure (ids[1] 0.41, ids[2] 0.55, ids[4] untagged).
    screen = term.wait_for(f"#{ids[1]}")
    assert "1/3" in screen and "Jan Novak, Prague" in screen and "FSB" in screen
    assert f"#{ids[2]}" in term.press("j", then="2/3")  # j/k move without deciding
    assert f"#{ids[1]}" in term.press("k", then="1/3")
    term.press("p", then=f"#{ids[2]}")  # picked, and the next one shown at once
    term.press("s", then=f"#{ids[4]}")
    term.press("t", then="1=admit")
    term.press("1", then="tagged admit")
    term.press("a", then="Arguments (toggle)")
    term.press("3", then="+economy")
    term.press("\r", then="j/k move")
    term.press("k", then=f"#{ids[2]}")
    term.press("r", then="rejected")
    term.press("u", then="undid reject")
    term.press("?", then="undo your last change")
    term.press("q", then="j/k move")
    term.press("q")
    term.child.expect(pexpect.EOF)
    assert record(runner, ids[1])["status"] == "picked"
    assert record(runner, ids[2])["status"] == "shortlisted"  # the reject was undone
    r4 = record(runner, ids[4])
    assert (r4["position"], r4["position_source"], r4["arguments"]) == (
        "admit",
        "editor",
        ["economy"],
    )


def test_search_and_edit(runner: CliRunner, terminal: tuple[Terminal, list[int]]) -> None:
    term, ids = terminal
    term.wait_for(f"#{ids[1]}")
    term.press("/", then="Search (Enter")
    term.press("priya\r", then="1 match")
    assert f"#{ids[2]}" in term.text()
    term.press("e", then="excerpt saved")  # $EDITOR ran, the screen came back
    assert "Let them in … screen them carefully." in term.text()
    assert "Original:" in term.text()
    term.press("q")
    term.child.expect(pexpect.EOF)
    r = record(runner, ids[2])
    assert r["excerpt"] == "Let them in … screen them carefully."
    assert r["reply"].startswith("Let them in, but screen them carefully; the FSB")


def test_a_stale_decision_is_refused(
    runner: CliRunner, terminal: tuple[Terminal, list[int]]
) -> None:
    term, ids = terminal
    term.wait_for(f"#{ids[1]}")
    # Another editor tags the response on screen.
    run(runner, "tag", str(ids[1]), "--position", "refuse", "--as", "jan")
    screen = term.press("p", then="Not done")
    assert "changed since you saw it" in screen
    assert "version 2" in term.wait_for("version 2")  # the fresh version is shown
    assert record(runner, ids[1])["status"] == "new"
    term.press("p", then="picked")  # now on the current version, it goes through
    assert record(runner, ids[1])["status"] == "picked"
    term.press("q")


def test_review_without_a_terminal_is_a_usage_error(runner: CliRunner) -> None:
    result = run(runner, "review", code=2)
    assert "review needs a terminal" in result.output


def test_reader_control_characters_are_shown_not_obeyed(
    runner: CliRunner, db_url: str, tmp_path: Path
) -> None:
    from curator.store.seed import SeedResponse

    (rid,) = seed(
        db_url,
        [
            SeedResponse(
                "Admit them.\x1b[2J\x1b[H\x1b]0;pwned\x07 Or not\rXX \x1b[31mred",
                name="Eve\x1b[5m",
                position=None,
            )
        ],
    )
    env = {**os.environ, "TERM": "xterm-256color", "PYTHONPATH": str(Path(__file__).parents[1])}
    term = Terminal(["-m", "curator", "review", "--question", SLUG], env)
    try:
        screen = term.wait_for(f"#{rid}")
        screen = term.wait_for("\\x1b[31mred")  # the escape is text on the screen...
        assert "Admit them.\\x1b[2J\\x1b[H\\x1b]0;pwned\\x07 Or not\\x0dXX" in screen
        assert "Eve\\x1b[5m" in screen
        assert "curator review" in screen  # ...and the screen was not cleared by it
        term.press("q")
        term.child.expect(pexpect.EOF)
    finally:
        term.close()
