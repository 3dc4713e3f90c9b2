"""Property tests for the text parsers: never raise, idempotent, output is part of the input."""

from __future__ import annotations

import email.utils
import itertools
import re
from datetime import UTC
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from curator.understand import understand_message
from curator.understand.mime import parse_date
from curator.understand.patterns import SIGNATURE_FORMS
from curator.understand.signoff import parse_signoff
from curator.understand.trim import (
    _normalise_quote_prefixes,
    _select,
    is_mobile_signature,
    trim_reply,
)

# Lines that look like mail: quotes, headers, delimiters, taglines, sign-offs, prose.
_LINES = st.sampled_from(
    [
        "",
        " ",
        "> quoted",
        ">> deeper",
        "-- ",
        "________________",
        "On Mon, Oct 3, 2022 at 8:00 AM Bob <bob@example.com> wrote:",
        "From: Bob <bob@example.com>",
        "Sent: Monday, 3 Oct 2022",
        "To: Ann",
        "Subject: Hi",
        "Sent from my iPhone",
        "Best,",
        "Ann Lee",
        "Lisbon, Portugal",
        "Let them in.",
        "P.S. thanks",
        "-----Original Message-----",
        "Am 3.10.2022 schrieb Bob:",
        "```",
        "Kind regards",
        "A reader in Riga",
        "Please withhold my name",
    ]
)
_TEXT = st.one_of(
    st.lists(st.one_of(_LINES, st.text(max_size=40)), max_size=30).map("\n".join),
    st.text(max_size=300),
)


def _words(text: str) -> list[str]:
    # Preprocessing rewrites "|" and "foo>" quote prefixes to ">" and joins wrapped headers.
    return [w for w in text.replace("|", " ").replace(">", " ").split() if w]


def _is_subsequence(part: list[str], whole: list[str]) -> bool:
    it = iter(whole)
    return all(any(word == w or word in w for w in it) for word in part)


@settings(max_examples=300, deadline=None)
@given(_TEXT)
def test_trim_never_raises_and_is_idempotent(text: str) -> None:
    first = trim_reply(text)
    assert trim_reply(first.reply).reply == first.reply


@settings(max_examples=300, deadline=None)
@given(_TEXT)
def test_trimmed_reply_is_part_of_the_input(text: str) -> None:
    assert _is_subsequence(_words(trim_reply(text).reply), _words(text))


@settings(max_examples=300, deadline=None)
@given(_TEXT, st.one_of(st.none(), st.text(max_size=40)))
def test_signoff_never_raises_and_splits_the_input(text: str, from_name: str | None) -> None:
    got = parse_signoff(text, from_name)
    assert _is_subsequence(_words(got.body), _words(text))
    assert _is_subsequence(_words(got.signoff), _words(text))


_FIXTURES = sorted((Path(__file__).parent / "fixtures" / "understand").glob("*.eml"))


@settings(max_examples=200, deadline=None)
@given(
    st.sampled_from(_FIXTURES),
    st.lists(st.tuples(st.integers(0, 4000), st.binary(max_size=12)), max_size=6),
)
def test_understand_message_survives_corrupted_mail(
    fixture: Path, edits: list[tuple[int, bytes]]
) -> None:
    # Real mail with bytes spliced in (broken boundaries, stray 8-bit bytes, cut headers):
    # every step must cope without falling back to the catch-all.
    raw = fixture.read_bytes()
    for at, data in edits:
        raw = raw[:at] + data + raw[at + len(data) :]
    got = understand_message(raw)
    assert not any(d.startswith("understanding failed") for d in got.defects), got.defects


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=3000))
def test_understand_message_survives_noise(raw: bytes) -> None:
    got = understand_message(raw)
    assert not any(d.startswith("understanding failed") for d in got.defects), got.defects


@pytest.mark.parametrize(("pattern", "example"), SIGNATURE_FORMS)
def test_each_tagline_form_matches_its_example(pattern: str, example: str) -> None:
    assert is_mobile_signature(example)
    assert trim_reply(f"Let them in.\n\n{example}\n").reply == "Let them in."


@pytest.mark.parametrize(
    "line",
    [
        "Sent from my iPhone",
        "Sent from Mail for Windows",
        "Sent from my Samsung Galaxy smartphone.",
        "Sent from my HTC M8 Android phone.  Please excuse typoze",
    ],
)
def test_sent_from_taglines(line: str) -> None:
    assert is_mobile_signature(line)


def test_a_sentence_starting_sent_from_is_text() -> None:
    # github/email_reply_parser's email_sent_from_my_not_signature case.
    assert not is_mobile_signature("Sent from my desk, is much easier then my mobile phone.")


_DATES = st.builds(
    "{}{} {} {} {:02d}:{:02d}:{:02d} {}{:04d}".format,
    st.sampled_from(["", "Fri, ", "Mon, ", "Xyz, "]),
    st.integers(0, 35),
    st.sampled_from(["Jan", "Feb", "Jun", "Sep", "Dec", "Foo", "jan"]),
    st.integers(1000, 9999),
    st.integers(0, 25),
    st.integers(0, 61),
    st.integers(0, 61),
    st.sampled_from("+-"),
    st.integers(0, 2500),
)


@settings(max_examples=500, deadline=None)
@given(_DATES)
def test_common_date_form_reads_as_the_email_package_reads_it(value: str) -> None:
    # parse_date reads "Fri, 24 Feb 2023 11:18:50 +0100" itself: it must agree with
    # email.utils on every such string, invalid dates and zones included.
    try:
        expected = email.utils.parsedate_to_datetime(value)
    except Exception:
        expected = None
    if expected is not None:
        expected = (
            expected.replace(tzinfo=UTC) if expected.tzinfo is None else expected.astimezone(UTC)
        )
    assert parse_date(value) == expected


def test_text_and_blank_lines_lose_only_the_blank_lines_at_the_end() -> None:
    # _select's shortcut for patterns of text and blank lines only (most second rounds of
    # trim_reply): what the two quote-at-the-end rules would cut, nothing else.
    assert _select("", []) == []
    assert _select("eee", [0, 1, 2]) == [0]
    for length in range(1, 9):
        for letters in itertools.product("te", repeat=length):
            pattern = "".join(letters)
            if "t" in pattern:
                kept = _select(pattern, list(range(length)))
                assert kept == list(range(len(pattern.rstrip("e")))), pattern


_PREFIXED = st.lists(
    st.one_of(_LINES, st.sampled_from(["foo> text", " | piped", "A|b", "x>y> z", "a | b"])),
    max_size=12,
).map("\n".join)


@settings(max_examples=300, deadline=None)
@given(st.one_of(_PREFIXED, st.text(max_size=200)))
def test_quote_prefixes_as_the_line_regex_rewrites_them(text: str) -> None:
    prefix = re.compile(r"^((?:[^\S\n]*[^\W\d_]*[>|])+)", re.M)
    token = re.compile(r"[^\W\d_]*[>|]")
    expected = prefix.sub(lambda m: token.sub(">", m.group(1)), text)
    assert _normalise_quote_prefixes(text) == expected
