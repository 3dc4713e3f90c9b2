"""Header-first classification and question routing, on small hand-built messages."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest

from curator.questions import Question
from curator.understand import understand_message
from curator.understand.kind import AUTO_BODY_FORMS, AUTO_SUBJECT_FORMS, UNSUBSCRIBE_FORMS
from curator.understand.route import find_question


def mail(headers: str, body: str = "Let them in.\r\n\r\nAnna Berg, Riga\r\n") -> bytes:
    base = "From: Anna Berg <anna@example.lv>\r\nSubject: Re: Question\r\n"
    return (base + headers + "Content-Type: text/plain; charset=utf-8\r\n\r\n" + body).encode()


@pytest.mark.parametrize(
    ("headers", "kind"),
    [
        ("", "response"),
        ("Auto-Submitted: auto-replied\r\n", "auto_reply"),
        ("Auto-Submitted: no\r\n", "response"),
        ("X-Auto-Response-Suppress: All\r\n", "response"),  # Exchange adds it to every mail
        ("Precedence: bulk\r\n", "auto_reply"),
        ("X-Autoreply: yes\r\n", "auto_reply"),
        ("X-Spam-Flag: YES\r\n", "spam"),
        ("Authentication-Results: mx; spf=fail smtp.mailfrom=x\r\n", "spam"),
        ("Return-Path: <MAILER-DAEMON@mx.example.com>\r\n", "bounce"),
    ],
)
def test_header_evidence(headers: str, kind: str) -> None:
    assert understand_message(mail(headers)).kind == kind


def test_delivery_report_is_a_bounce_even_with_auto_submitted() -> None:
    raw = (
        b"From: Mail Delivery System <MAILER-DAEMON@mx.example.com>\r\n"
        b"Auto-Submitted: auto-replied\r\nSubject: Undelivered Mail Returned to Sender\r\n"
        b'Content-Type: multipart/report; report-type=delivery-status; boundary="b"\r\n\r\n'
        b"--b\r\nContent-Type: text/plain\r\n\r\nCould not deliver.\r\n"
        b"--b\r\nContent-Type: message/delivery-status\r\n\r\nAction: failed\r\n--b--\r\n"
    )
    assert understand_message(raw).kind == "bounce"


@pytest.mark.parametrize(
    ("body", "kind"),
    [
        ("please take me off this list\r\n", "unsubscribe"),
        ("I am out of the office until Monday with no access to email.\r\n", "auto_reply"),
        ("Ich bin bis zum 10. Oktober nicht im Büro.\r\n", "auto_reply"),
        ("I'm travelling but here is my answer: admit them, and check them.\r\n", "response"),
        ("Could you move my subscription to my new address, x@example.com?\r\n", "off_topic"),
        ("", "empty"),
    ],
)
def test_content_evidence(body: str, kind: str) -> None:
    assert understand_message(mail("", body)).kind == kind


QUESTIONS = (
    Question(slug="a", title="A", references=("<issue-a@news>",), subject_contains=("alpha",)),
    Question(
        slug="b",
        title="B",
        subject_contains=("beta",),
        date_from=datetime(2022, 10, 1, tzinfo=UTC),
        date_to=datetime(2022, 11, 1, tzinfo=UTC),
    ),
)


def test_routing_order() -> None:
    def route(refs: tuple[str, ...], subject: str, day: int | None) -> str | None:
        date = datetime(2022, 10, day, tzinfo=UTC) if day else None
        q = find_question(QUESTIONS, in_reply_to=None, references=refs, subject=subject, date=date)
        return q.slug if q else None

    assert route(("<ISSUE-A@news>",), "Re: beta", 5) == "a"  # thread headers first
    assert route((), "Re: Beta and more", None) == "b"  # then the subject
    assert route((), "Re: something", 5) == "b"  # then the one date window that holds it
    assert route((), "Re: something", None) is None


@pytest.mark.parametrize(("pattern", "words", "example"), AUTO_BODY_FORMS)
def test_each_auto_reply_form_matches_its_example(
    pattern: str, words: tuple[str, ...], example: str
) -> None:
    assert re.search(pattern, example, re.I)
    # The form is searched only in text holding one of its words (lower-case).
    assert all(w == w.lower() for w in words) and any(w in example.lower() for w in words)
    assert understand_message(mail("", example + "\r\n")).kind == "auto_reply"


@pytest.mark.parametrize(
    "body",
    [
        "Je suis en congé cette semaine, mais voici ma réponse : acceptez-les.",
        "Ich bin heute nicht im Büro, aber: lasst sie rein.",
        "I'm on holiday in Crete and honestly, let them in.",
    ],
)
def test_a_reader_who_mentions_being_away_is_a_reader(body: str) -> None:
    assert understand_message(mail("", body + "\r\n")).kind == "response"


@pytest.mark.parametrize(("pattern", "example"), AUTO_SUBJECT_FORMS)
def test_each_auto_reply_subject_matches_its_example(pattern: str, example: str) -> None:
    assert re.match(pattern, example, re.I)
    raw = mail("", "Back soon.\r\n").replace(
        b"Subject: Re: Question", b"Subject: " + example.encode()
    )
    assert understand_message(raw).kind == "auto_reply"


@pytest.mark.parametrize(("pattern", "example"), UNSUBSCRIBE_FORMS)
def test_each_unsubscribe_form_matches_its_example(pattern: str, example: str) -> None:
    assert re.search(pattern, example, re.I)
    assert understand_message(mail("", example + "\r\n")).kind == "unsubscribe"
