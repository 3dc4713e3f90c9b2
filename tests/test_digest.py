"""The digest: golden HTML / text / Markdown through the real CLI, hostile reader text, options.

Golden files live in tests/fixtures/digest/.  After an intended change to the templates:

    CURATOR_UPDATE_GOLDEN=1 CURATOR_TEST_FAST=1 .venv/bin/pytest tests/test_digest.py -q

and review the diff.  Every golden test runs against SQLite and PostgreSQL (``db_url``) and both
must produce the same bytes.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import webbrowser
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from hypothesis import given
from hypothesis import strategies as st

from curator.cli import cli
from curator.config import load_config
from curator.digest.model import attribution, paragraphs, pick_attribution
from curator.digest.split import compute_split, largest_remainder
from curator.digest.style import DigestStyle, parse_style
from curator.errors import ConfigError
from curator.store.digest import PickRecord
from curator.store.engine import Store, open_store
from curator.store.models import Message, Response
from curator.store.processing import sync_questions

REPO = Path(__file__).resolve().parents[1]
GOLDEN = REPO / "tests" / "fixtures" / "digest"
UPDATE = os.environ.get("CURATOR_UPDATE_GOLDEN", "") not in ("", "0")
SLUG = "russian-draft-dodgers"

QUESTION_TOML = """
[[questions]]
slug = "russian-draft-dodgers"
title = "Would you accept Russian draft dodgers?"
prompt = "If you were in charge of EU asylum policy, what would you do?"
references = ["<signal-2022-09-29@gzeromedia.com>"]
subject_contains = ["Russian draft dodgers"]

[[questions.positions]]
key = "admit"
label = "Let them in"
description = "The EU should admit Russians fleeing mobilisation."

[[questions.positions]]
key = "refuse"
label = "Keep them out"
description = "The EU should not admit them."

[[questions.positions]]
key = "conditional"
label = "Only with checks"
description = "Admit them only after security screening, case by case."
"""

INTRO = (
    "Last week we asked what you would do about the Russians fleeing Putin's mobilisation.\n\n"
    "Your answers filled the inbox. Here is a selection, lightly edited."
)


def check_golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if UPDATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return
    assert path.is_file(), f"{path} missing — run with CURATOR_UPDATE_GOLDEN=1 to create it"
    expected = path.read_text(encoding="utf-8")
    assert text == expected, f"{name} differs — if intended, rerun with CURATOR_UPDATE_GOLDEN=1"


# ---------------------------------------------------------------------------------------------
# A real database with readers in it


@dataclass
class Newsroom:
    """A CURATOR_HOME with a config and a database; adds replies, runs the CLI."""

    home: Path
    store: Store
    question_id: int
    runner: CliRunner = field(default_factory=CliRunner)
    _n: int = 0

    def add(self, reply: str, *, kind: str = "response", **fields: Any) -> int:
        self._n += 1
        with self.store.transaction() as session:
            message = Message(
                ingest_key=f"test:{self._n}",
                source="file",
                sha256=hashlib.sha256(reply.encode()).hexdigest(),
                size=len(reply),
                raw=reply.encode(),
                kind=kind,
            )
            session.add(message)
            session.flush()
            session.add(
                Response(id=message.id, question_id=self.question_id, reply=reply, **fields)
            )
            return message.id

    def update(self, rid: int, **fields: Any) -> None:
        with self.store.transaction() as session:
            response = session.get(Response, rid)
            assert response is not None
            for key, value in fields.items():
                setattr(response, key, value)

    def run(self, *args: str, ok: bool = True) -> Result:
        result = self.runner.invoke(cli, list(args), catch_exceptions=False)
        if ok:
            assert result.exit_code == 0, result.output
        return result

    def render(self, *args: str) -> str:
        return self.run("render", "--question", SLUG, *args).stdout


def make_newsroom(home: Path, db_url: str, extra_toml: str = "") -> Newsroom:
    (home / "config.toml").write_text(
        f'[database]\nurl = "{db_url}"\n{extra_toml}\n{QUESTION_TOML}', encoding="utf-8"
    )
    config = load_config()
    store = open_store(config.database.url)
    with store.transaction() as session:
        ids = sync_questions(session, config.questions)
    return Newsroom(home=home, store=store, question_id=ids[SLUG])


@pytest.fixture
def newsroom(curator_home: Path, db_url: str) -> Iterator[Newsroom]:
    room = make_newsroom(curator_home, db_url)
    yield room
    room.store.dispose()


FILLER = {
    "admit": "They are refusing to kill Ukrainians. We should take them.",
    "refuse": "Let them stay and change their own country.",
    "conditional": "Yes, but with proper security checks first.",
}


def add_signal_replies(room: Newsroom) -> list[int]:
    """Six picks and the rest of an inbox: 14 genuine replies, 12 tagged (6 / 4 / 2)."""
    jane = room.add(
        "I would let them in. Every man who refuses to fight is one soldier fewer in "
        "Ukraine, and\nthat is worth more than any visa fee.\n\nMy grandfather deserted "
        "in 1943. He was right too.\n\n— Jane Doe, Lisbon, Portugal",
        name="Jane Doe", location="Lisbon, Portugal", position="admit",
        excerpt="I would let them in. Every man who refuses to fight is one soldier fewer "
        "in Ukraine.\n\nMy grandfather deserted in 1943. He was right too.",
    )  # fmt: skip
    riga = room.add(
        "Keep them out. They said nothing while their army shelled Mariupol; now that "
        "it is their turn, they discover their conscience.",
        name="Anna", location="Riga", withhold_name=True, position="refuse",
    )  # fmt: skip
    marek = room.add(
        "Of course we should take them. Poland took in millions of Ukrainians in a "
        "month; we can\nmanage a few thousand Russians who do not want to be cannon "
        "fodder.",
        name="Marek", name_override="Marek K.", location="Warsaw", position="admit",
    )  # fmt: skip
    anon = room.add(
        "Only with checks:\n- a security interview\n- proof of call-up\n- no work for "
        "the state\n\nThen yes.",
        position="conditional",
    )  # fmt: skip
    piotr = room.add(
        "No. Some of them will be working for the FSB, and we will never know which.",
        name="Piotr Nowak", location="Kraków", position="refuse", withhold_override=True,
    )  # fmt: skip
    sam = room.add(
        "It depends what the Baltic states want; they share the border, not me.",
        name="Sam", location="sam@example.org", position=None,
    )  # fmt: skip
    for position, count in (("admit", 4), ("refuse", 1), ("conditional", 1), (None, 1)):
        for _ in range(count):
            room.add(FILLER.get(position or "", "Hard to say."), position=position)
    room.add("Hmm.", position="refuse", status="rejected")  # rejected still counts: 4 refuse
    room.add("Superseded version.", kind="superseded", position="admit")  # not counted
    room.add("Out of office", kind="auto_reply", position=None)  # not counted
    return [jane, riga, marek, anon, piotr, sam]


# ---------------------------------------------------------------------------------------------
# Golden files


def test_golden_html_text_markdown(newsroom: Newsroom, tmp_path: Path) -> None:
    picks = add_signal_replies(newsroom)
    newsroom.run("pick", *map(str, picks), "--as", "test")
    intro = tmp_path / "intro.txt"
    intro.write_text(INTRO, encoding="utf-8")
    for fmt, name in (
        ("html", "grouped.html"),
        ("text", "grouped.txt"),
        ("markdown", "grouped.md"),
    ):
        check_golden(name, newsroom.render("--format", fmt, "--intro-file", str(intro)))


def test_golden_flat_without_stats(newsroom: Newsroom) -> None:
    picks = add_signal_replies(newsroom)
    newsroom.run("pick", *map(str, reversed(picks)), "--as", "test")
    check_golden("flat.txt", newsroom.render("--format", "text", "--flat", "--no-stats"))
    html = newsroom.render("--flat", "--no-stats")
    assert "subhead" not in html and "readers" not in html
    order = [m for m in re.findall(r"—&nbsp;([^<]+)</p>", html)]
    assert order == ["Sam", "a reader in Kraków", "a reader", "Marek K., Warsaw",
                     "a reader in Riga", "Jane Doe, Lisbon, Portugal"]  # fmt: skip


def test_out_file_and_split_sentence(newsroom: Newsroom, tmp_path: Path) -> None:
    newsroom.run("pick", *map(str, add_signal_replies(newsroom)), "--as", "test")
    out = tmp_path / "sub" / "digest.html"
    result = newsroom.run("render", "--question", SLUG, "--out", str(out))
    assert result.stdout == "" and str(out) in result.stderr
    html = out.read_text(encoding="utf-8")
    sentence = (
        "Of the 12 readers whose replies we have tagged so far, 6 (50%) said “Let them in”, "
        "4 (33%) “Keep them out” and 2 (17%) “Only with checks”. (2 more are not yet tagged.)"
    )
    assert sentence in html


# ---------------------------------------------------------------------------------------------
# Email safety


class Markup(HTMLParser):
    """Start tags with their attributes, and the text of each <p> by the class of its <td>."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.paragraphs: list[tuple[str, str]] = []  # (class of the enclosing td, text)
        self.comments: list[str] = []
        self.ends: list[str] = []
        self._cells: list[str] = []
        self._in_p = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag == "td":
            self._cells.append(dict(attrs).get("class") or "")
        elif tag == "p":
            self._in_p = True
            self.paragraphs.append((self._cells[-1] if self._cells else "", ""))
        elif tag == "br" and self._in_p:
            self._append("\n")

    def handle_endtag(self, tag: str) -> None:
        self.ends.append(tag)
        if tag == "p":
            self._in_p = False
        elif tag == "td" and self._cells:
            self._cells.pop()

    def handle_data(self, data: str) -> None:
        if self._in_p:
            self._append(data)

    def _append(self, text: str) -> None:
        cell, current = self.paragraphs[-1]
        self.paragraphs[-1] = (cell, current + text)

    def handle_comment(self, data: str) -> None:
        self.comments.append(data)

    def quote_paragraphs(self) -> list[str]:
        return [text.replace("\xa0", " ") for cell, text in self.paragraphs if cell == "quote-body"]


def parse(html: str) -> Markup:
    parser = Markup()
    parser.feed(html)
    parser.close()
    return parser


def assert_no_active_content(html: str) -> Markup:
    doc = parse(html)
    names = [tag for tag, _ in doc.tags]
    for banned in ("script", "iframe", "object", "embed", "link", "img", "style", "form", "svg"):
        assert banned not in names, f"<{banned}> in the digest"
    for tag, attrs in doc.tags:
        for key, value in attrs.items():
            assert not key.startswith("on"), f"<{tag} {key}=…>"
            assert "javascript:" not in (value or "").lower(), f"<{tag} {key}={value!r}>"
            assert "url(" not in (value or "") and "http" not in (value or ""), (tag, key)
    return doc


def test_html_is_email_safe(newsroom: Newsroom) -> None:
    newsroom.run("pick", *map(str, add_signal_replies(newsroom)), "--as", "test")
    html = newsroom.render()
    doc = assert_no_active_content(html)
    assert "<style" not in html and "class=" in html
    # Every element the default stylesheet targets got its style inline.
    for tag, attrs in doc.tags:
        if attrs.get("class") in {"heading", "quote-body", "attribution", "subhead", "split"}:
            assert "font-size" in (attrs.get("style") or ""), (tag, attrs)
    tables = [attrs for tag, attrs in doc.tags if tag == "table"]
    assert all(t.get("role") == "presentation" and t.get("cellpadding") == "0" for t in tables)
    section = next(t for t in tables if t.get("class") == "section")
    assert "max-width: 600px" in (section.get("style") or "") and section.get("width") == "100%"
    assert any("[if mso]" in c for c in doc.comments)  # fixed 600 px column for Outlook


HOSTILE_REPLY = (
    "<script>alert('x')</script> I think </td></table></body> they should\n"
    '<img src=x onerror="alert(1)"> come <a href="javascript:alert(2)">in</a> & stay.\n\n'
    "<b>unbalanced <i>tags <p>and <!-- comments --> {{ jinja }} {% raw %}\n\n"
    "עברית ודעה RTL‏ text, العربية أيضاً, emoji 🇺🇦🕊️👍🏽 and ZWJ 👩‍👩‍👧\n\n"
    "[click](javascript:alert(3)) ![x](http://evil.example/x.png) *stars* _under_ `code`\n"
    "# not a heading\n> not a quote\n1. not a list"
)
HOSTILE_NAME = '<img src=x onerror=alert(4)>Jane "</td>" Doe 👍'
HOSTILE_LOCATION = "javascript:alert(5)//<script>Riga</script> דרום"


def _norm(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture
def hostile(newsroom: Newsroom) -> Newsroom:
    rid = newsroom.add(
        HOSTILE_REPLY, name=HOSTILE_NAME, location=HOSTILE_LOCATION, position="admit"
    )
    other = newsroom.add("A calm second reply.", name="Ed", location="Oslo", position="refuse")
    newsroom.run("pick", str(rid), str(other), "--as", "test")
    return newsroom


def test_hostile_reader_text_is_inert_and_kept_word_for_word(hostile: Newsroom) -> None:
    html = hostile.render()
    doc = assert_no_active_content(html)
    texts = doc.quote_paragraphs()
    attribution = f"— {_norm(HOSTILE_NAME)}, {_norm(HOSTILE_LOCATION)}"
    assert texts[-2:] == ["A calm second reply.", "— Ed, Oslo"]
    assert texts[-3] == attribution
    assert _norm(" ".join(texts[:-3])) == _norm(HOSTILE_REPLY)
    # Exactly, line breaks included, where the client did not hard-wrap (the first paragraph's
    # long line followed by a short one reads as client wrapping and is re-joined).
    assert texts[1:-3] == HOSTILE_REPLY.split("\n\n")[1:]
    # The structure is the template's: the same tags as for a harmless reply.
    assert [t for t, _ in doc.tags].count("table") == 2 + 2  # wrap, section; one per quote
    starts = [t for t, _ in doc.tags]
    for tag in ("table", "tr", "td", "p", "body"):
        assert starts.count(tag) == doc.ends.count(tag), tag


def test_fragment_is_the_section_alone(newsroom: Newsroom) -> None:
    newsroom.run("pick", *map(str, add_signal_replies(newsroom)), "--as", "test")
    full, section = newsroom.render(), newsroom.render("--fragment")
    assert section.startswith("<!-- curator-digest begin") and section.endswith("end -->\n")
    assert "<html" not in section and "<head" not in section and "<body" not in section
    assert section.strip() in full and 'class="section"' in section
    assert_no_active_content(section)
    result = newsroom.run("render", "--question", SLUG, "--fragment", "--format", "text", ok=False)
    assert result.exit_code == 2 and "--fragment is for --format html" in result.stderr


def test_hostile_intro_is_escaped_too(hostile: Newsroom) -> None:
    intro = '<script>alert(1)</script>\n<a href="javascript:x" onclick="y">Intro</a>'
    doc = assert_no_active_content(hostile.render("--intro", intro))
    assert _norm(intro) in [_norm(text) for cell, text in doc.paragraphs if cell == "intro"]


def test_hostile_text_in_text_and_markdown(hostile: Newsroom) -> None:
    text = hostile.render("--format", "text")
    assert _norm(HOSTILE_REPLY) in _norm(text)
    assert f"— {HOSTILE_NAME}, {HOSTILE_LOCATION}" in text
    md = hostile.render("--format", "markdown")
    assert "<" not in md and ">" not in md.replace("\n> ", "\n").replace("\n>\n", "\n")
    assert "](" not in md.replace("\\](", "") and "\\[click\\]" in md
    assert "\n# not" not in md and "\\# not a heading" in md and "1\\. not a list" in md


def test_email_addresses_never_printed(newsroom: Newsroom) -> None:
    a = newsroom.add("Yes.", name="jane@example.com", location="Lisbon", position="admit")
    b = newsroom.add("No.", name="Bob <bob@example.net>", location=None, position="refuse")
    c = newsroom.add("Maybe.", name="Eve", location="eve@mail.example.org", position="refuse")
    d = newsroom.add("Yes!", name="Al", location="Rome", name_override="al@example.it")
    newsroom.run("pick", str(a), str(b), str(c), str(d), "--as", "test")
    for fmt in ("html", "text", "markdown"):
        out = newsroom.render("--format", fmt)
        assert "@" not in out, fmt
    text = newsroom.render("--format", "text")
    assert "— a reader in Lisbon" in text and "— a reader\n" in text and "— Eve\n" in text
    assert "— a reader in Rome" in text


# ---------------------------------------------------------------------------------------------
# Options, config and templates


def test_house_style_from_config(curator_home: Path, db_url: str) -> None:
    style = '[digest]\nheading = "What you said"\naccent = "#0055aa"\nedited_note = ""\n'
    room = make_newsroom(curator_home, db_url, style)
    try:
        rid = room.add("Yes.", name="Jo", position="admit", excerpt="Yes")
        room.run("pick", str(rid))
        html = room.render()
        assert "What you said</td>" in html and "#0055aa" in html and "#c8102e" not in html
        assert "edited for length" not in html
    finally:
        room.store.dispose()


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ({"background": "white"}, "background must be a colour"),
        ({"track": "#12345"}, "track must be a colour"),
        ({"bars": "yes"}, "bars must be true or false"),
        ({"other_heading": 3}, "other_heading must be a string"),
        ({"font": "x; } body { color: red"}, "font may not contain"),
        ({"colour": "#ffffff"}, "unknown key 'colour'"),
    ],
)
def test_house_style_is_validated(table: dict[str, Any], message: str) -> None:
    with pytest.raises(ConfigError, match=re.escape(message)):
        parse_style(table, "config.toml: digest")
    assert parse_style({"bars": False, "edited_note": " "}, "x") == DigestStyle(
        bars=False, edited_note=""
    )


def test_user_template_overrides_one_block(newsroom: Newsroom) -> None:
    templates = newsroom.home / "templates"
    templates.mkdir()
    (templates / "digest.html.j2").write_text(
        '{% extends "default:digest.html.j2" %}\n'
        "{% block css %}{{ super() }} .signoff { color: #00aa00; }\n"
        "@media (max-width: 480px) { .quote-body { font-size: 16px !important; } }{% endblock %}\n"
        '{% block footer %}<tr><td class="signoff">Reply to this email to write in.</td></tr>'
        "{% endblock %}\n",
        encoding="utf-8",
    )
    rid = newsroom.add("Let them <in>.", name="Jo", position="admit")
    newsroom.run("pick", str(rid))
    html = newsroom.render()
    assert 'class="signoff" style="color: #00aa00;">Reply to this email' in html
    assert re.search(r"<style>\s*@media \(max-width: 480px\)", html)  # kept: cannot be inlined
    assert "Let them &lt;in&gt;." in html and "— Jo" not in html and "—&nbsp;Jo" in html
    text = newsroom.render("--format", "text")  # not overridden: the default
    assert "Let them <in>." in text


def test_broken_user_template_is_a_one_line_error(newsroom: Newsroom) -> None:
    templates = newsroom.home / "templates"
    templates.mkdir()
    (templates / "digest.txt.j2").write_text("{{ digest.nope }}", encoding="utf-8")
    result = newsroom.run("render", "--question", SLUG, "--format", "text", ok=False)
    assert result.exit_code == 2 and result.stderr.startswith("Error: digest template")


def test_no_responses_yet(newsroom: Newsroom) -> None:
    result = newsroom.run("render", "--question", SLUG, "--format", "text")
    assert "No readers have written in yet." in result.stdout
    assert "no picked responses" in result.stderr


def test_unknown_question_and_conflicting_intro(newsroom: Newsroom) -> None:
    result = newsroom.run("render", "--question", "nope", ok=False)
    assert result.exit_code == 2 and "no question 'nope'" in result.stderr
    result = newsroom.run(
        "render", "--question", SLUG, "--intro", "a", "--intro-file", "-", ok=False
    )
    assert result.exit_code == 2 and "not both" in result.stderr


def test_intro_from_stdin(newsroom: Newsroom) -> None:
    result = newsroom.runner.invoke(
        cli,
        ["render", "--question", SLUG, "--format", "text", "--intro-file", "-"],
        input="Dear readers,\n\nyou wrote in.\n",
    )
    assert result.exit_code == 0, result.output
    assert "\n\nDear readers,\n\nyou wrote in.\n\n" in result.stdout


def test_open_without_a_browser_writes_and_says_so(
    newsroom: Newsroom, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("DISPLAY", "WAYLAND_DISPLAY", "BROWSER"):
        monkeypatch.delenv(name, raising=False)
    result = newsroom.run("render", "--question", SLUG, "--open")
    path = newsroom.home / "digests" / f"{SLUG}.html"
    assert path.is_file() and "not opened: no display" in result.stderr


def test_open_uses_the_browser(
    newsroom: Newsroom, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    opened: list[str] = []

    class Recorder(webbrowser.BaseBrowser):
        def open(self, url: str, new: int = 0, autoraise: bool = True) -> bool:
            opened.append(url)
            return True

    monkeypatch.setenv("BROWSER", "recorder")
    monkeypatch.setattr(webbrowser, "get", lambda using=None: Recorder())
    out = tmp_path / "d.md"
    newsroom.run("render", "--question", SLUG, "--format", "markdown", "--out", str(out), "--open")
    assert opened == [out.resolve().as_uri()]


def test_real_import_pick_render(curator_home: Path, db_url: str) -> None:
    """The whole path on real mail: import sample .eml files, pick what was understood, render."""
    samples = REPO / "curator" / "samples"
    (curator_home / "config.toml").write_text(
        f'[database]\nurl = "{db_url}"\n\n' + (samples / "question.toml").read_text("utf-8"),
        encoding="utf-8",
    )
    runner = CliRunner()
    files = [str(samples / "mail" / n) for n in ("03-iphone.eml", "04-gmail.eml", "05-iphone.eml")]
    assert runner.invoke(cli, ["import", *files]).exit_code == 0
    listed = runner.invoke(cli, ["list", "--question", "eu-tiktok-ban", "--json"])
    ids = [str(row["id"]) for row in json.loads(listed.stdout)]
    assert ids
    assert runner.invoke(cli, ["pick", *ids]).exit_code == 0
    result = runner.invoke(cli, ["render", "--question", "eu-tiktok-ban", "--format", "text"])
    assert result.exit_code == 0, result.output
    assert "Should the EU ban TikTok?" in result.stdout
    assert result.stdout.count("  — ") == len(ids)
    html = runner.invoke(cli, ["render", "--question", "eu-tiktok-ban"]).stdout
    assert_no_active_content(html)


# ---------------------------------------------------------------------------------------------
# The pieces, one at a time


@pytest.mark.parametrize(
    ("counts", "expected"),
    [
        ({}, "No readers have written in yet."),
        ({None: 3}, "3 readers wrote in; no reply has been tagged yet."),
        ({"a": 1}, "The one reader who wrote in said “A”."),
        ({"a": 1, None: 2}, "The one reader tagged so far said “A”. (2 more are not yet tagged.)"),
        ({"a": 5}, "Of the 5 readers who wrote in, all said “A”."),
        ({"a": 2, "b": 1}, "Of the 3 readers who wrote in, 2 said “A” and 1 “B”."),
        (
            {"a": 1, "b": 1, "c": 1, "zz": 0, None: 0},
            "Of the 3 readers who wrote in, 1 said “A”, 1 “B” and 1 “C”.",
        ),
        (
            {"b": 128, "a": 190, "c": 94},
            "Of the 412 readers who wrote in, 190 (46%) said “A”, 128 (31%) “B” and 94 (23%) “C”.",
        ),
        (
            {"a": 1000, "odd": 300, None: 1},
            "Of the 1,300 readers whose replies we have tagged so far, 1,000 (77%) said “A” and "
            "300 (23%) “odd”. (1 more is not yet tagged.)",
        ),
    ],
)
def test_split_sentence(counts: dict[str | None, int], expected: str) -> None:
    split = compute_split(counts, [("a", "A"), ("b", "B"), ("c", "C")])
    assert split.sentence == expected
    assert sum(s.percent for s in split.rows) in ((100,) if split.tagged else (0,))


def test_shares_always_add_up_to_100() -> None:
    @given(st.lists(st.integers(min_value=0, max_value=10_000), min_size=1, max_size=8))
    def check(counts: list[int]) -> None:
        shares = largest_remainder(counts)
        assert sum(shares) == (100 if sum(counts) else 0)
        for n, share in zip(counts, shares, strict=True):
            assert abs(share - 100 * n / max(sum(counts), 1)) < 1

    check()
    assert largest_remainder([1, 1, 1]) == [34, 33, 33]


@pytest.mark.parametrize(
    ("name", "location", "withhold", "expected"),
    [
        ("Jane Doe", "Lisbon, Portugal", False, "Jane Doe, Lisbon, Portugal"),
        ("Jane Doe", "Riga", True, "a reader in Riga"),
        (None, "Riga", False, "a reader in Riga"),
        (None, None, False, "a reader"),
        ("Jane", None, False, "Jane"),
        ("  Jane\n Doe ", " Austin,\tTX ", False, "Jane Doe, Austin, TX"),
        ("jane@example.com", "Lisbon", False, "a reader in Lisbon"),
        ("Jane", "jane@example.com", False, "Jane"),
        ("", "", False, "a reader"),
        ("Jane\u202e", "\u2067Riga\u2069", False, "Jane, Riga"),  # no bidi overrides
        ("\x1b[31mJane", "Riga\x00", False, "[31mJane, Riga"),  # no terminal escapes
    ],
)
def test_attribution(name: str | None, location: str | None, withhold: bool, expected: str) -> None:
    assert attribution(name, location, withhold) == expected


def test_overrides_win_and_blank_clears() -> None:
    def pick(**kw: Any) -> PickRecord:
        base: dict[str, Any] = dict(
            id=1, reply="", excerpt=None, name="Jane", location="Riga", withhold_name=False,
            name_override=None, location_override=None, withhold_override=None,
            position=None, pick_order=1,
        )  # fmt: skip
        return PickRecord(**{**base, **kw})

    assert pick_attribution(pick()) == "Jane, Riga"
    assert pick_attribution(pick(name_override="J. D.")) == "J. D., Riga"
    assert pick_attribution(pick(location_override="Jūrmala")) == "Jane, Jūrmala"
    assert pick_attribution(pick(location_override="")) == "Jane"
    assert pick_attribution(pick(withhold_override=True)) == "a reader in Riga"
    assert pick_attribution(pick(withhold_name=True, withhold_override=False)) == "Jane, Riga"


def test_paragraphs_keep_breaks_but_rejoin_client_wrapping() -> None:
    wrapped = "x" * 65 + "\n" + "y" * 66 + "\nend"
    assert paragraphs(wrapped) == ((f"{'x' * 65} {'y' * 66} end",),)
    assert paragraphs("flowed \nline\n\nnext") == (("flowed line",), ("next",))
    assert paragraphs("Roses\nare red\r\n\r\n\r\nViolets") == (("Roses", "are red"), ("Violets",))
    assert paragraphs("nul\x00byte") == (("nulbyte",),)
    assert paragraphs("  \n\n ") == ()


@pytest.mark.parametrize(
    ("reply", "quoted"),
    [
        ("Bonjour,\n\nInterdiction partout.", "Interdiction partout."),
        ("Hallo zusammen,\nauf Dienstgeräten: ja.", "Auf Dienstgeräten: ja."),
        ("Hi Signal team!\n\nAdmit them.", "Admit them."),
        ("Hi, I would admit them.\nAll of them.", "Hi, I would admit them.\nAll of them."),
        ("Dear editors,", "Dear editors,"),  # nothing else: kept
        ("Yes.\nHello to my mum.", "Yes.\nHello to my mum."),  # only the first line counts
    ],
)
def test_a_salutation_line_is_left_out_of_the_quote(reply: str, quoted: str) -> None:
    from curator.greeting import without_salutation_line

    assert without_salutation_line(reply) == quoted
