"""understand_message on hand-written fixtures (tests/fixtures/understand/<client>_<case>.eml,
with the expected fields in a .json beside each)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from curator.questions import Question
from curator.understand import understand_message

FIXTURES = Path(__file__).parent / "fixtures" / "understand"
QUESTION = Question(
    slug="old-town-cars",
    title="Should the city ban cars from the old town?",
    references=("<issue-42@news.example.com>",),
    subject_contains=("ban cars from the old town",),
)


@pytest.mark.parametrize("eml", sorted(FIXTURES.glob("*.eml")), ids=lambda p: p.stem)
def test_fixture_matches_golden(eml: Path) -> None:
    expected = json.loads(eml.with_suffix(".json").read_text(encoding="utf-8"))
    got = understand_message(eml.read_bytes(), (QUESTION,))
    for field, value in expected.items():
        actual = getattr(got, field)
        if field == "reply":
            actual, value = " ".join(actual.split()), " ".join(value.split())
        assert actual == value, f"{field}: {actual!r} != {value!r}"


def test_headers_are_decoded_and_date_is_utc() -> None:
    got = understand_message((FIXTURES / "latin1_declared_cp1252.eml").read_bytes())
    assert got.from_name == "José Martínez"
    assert got.from_addr == "jm@example.es"
    assert got.date == datetime(2022, 10, 4, 9, 0, tzinfo=UTC)
    assert got.message_id == "<jm-1@example.es>"


def test_routing_prefers_thread_headers_then_subject() -> None:
    other = Question(slug="other", title="x", subject_contains=("old town",))
    raw = (FIXTURES / "gmail_html_quote.eml").read_bytes()
    assert understand_message(raw, (other, QUESTION)).question == "old-town-cars"
    raw = (FIXTURES / "outlook_from_sent_block.eml").read_bytes()  # no thread headers
    assert understand_message(raw, (other, QUESTION)).question == "other"


@pytest.mark.parametrize(
    "raw",
    [
        b"",
        b"\x00\xff\xfe",
        b"Content-Type: multipart/mixed; boundary=x\r\n\r\n--x\r\n",
        b"Subject: =?bogus?Q?=ZZ?=\r\nContent-Type: text/plain; charset=nonsense\r\n\r\n\xe9t\xe9",
        b"From: " + b"a" * 100_000 + b"\r\n\r\n" + b"> q\n" * 50_000,
    ],
)
def test_never_raises_on_broken_mail(raw: bytes) -> None:
    got = understand_message(raw)
    assert isinstance(got.reply, str)
    assert not any(d.startswith("understanding failed") for d in got.defects)
