"""Understanding one message: pure functions from raw bytes to what an editor needs.

``understand_message(raw, questions)`` runs the steps in order — parse, classify by headers,
trim the reply, read the sign-off, classify by content, route, detect the language — and
never raises: a step that fails leaves its defaults and a line in ``defects``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from curator.language import find_language
from curator.questions import Question
from curator.understand import kind as kinds
from curator.understand.extract import Extracted, extract_reply
from curator.understand.mime import (
    ParsedMail,
    parse_address,
    parse_date,
    parse_mail,
    parse_message_ids,
)
from curator.understand.route import find_question
from curator.understand.signoff import SignOff, parse_signoff
from curator.understand.trim import Trimmed, trim_reply

__all__ = [
    "SignOff",
    "Trimmed",
    "Understanding",
    "parse_signoff",
    "trim_reply",
    "understand_message",
]


@dataclass(frozen=True)
class Understanding:
    kind: str
    question: str | None
    reply: str
    elided: str
    signoff: str
    name: str | None
    location: str | None
    country: str | None
    withhold_name: bool
    language: str | None
    word_count: int
    asks_to_supersede: bool
    message_id: str | None
    in_reply_to: str | None
    references: tuple[str, ...]
    from_name: str | None
    from_addr: str | None
    subject: str | None
    date: datetime | None
    defects: tuple[str, ...]
    from_html: bool = False
    name_source: str | None = None  # "signoff" | "reply" | "from" — how sure to be of it


# "Could you print this one instead of my earlier email?", "please ignore my first reply".
_SUPERSEDE = re.compile(
    r"(?:(?:print|use|publish|take|run|consider) this (?:one|version|reply|e-?mail|message|text)?"
    r"\s*instead|instead of my (?:earlier|previous|first|last|other)"
    r"|ignore my (?:earlier|previous|first|last|other) (?:e-?mail|message|reply|answer)"
    r"|(?:replaces?|supersedes?) my (?:earlier|previous|first) |corrected version)",
    re.I,
)
_SUPERSEDE_HINTS = ("instead", "ignore", "replace", "supersede", "corrected")


def is_supersede_request(text: str) -> bool:
    low = text.lower()
    return any(h in low for h in _SUPERSEDE_HINTS) and bool(_SUPERSEDE.search(text))


_MACHINE = frozenset({kinds.BOUNCE, kinds.AUTO_REPLY, kinds.SPAM})


def understand_message(raw: bytes, questions: Sequence[Question] = ()) -> Understanding:
    """Everything the pure stage can tell about one raw message. Never raises."""
    try:
        return _understand(raw, questions)
    except Exception as exc:  # a bug must not stop the batch: record it, keep going
        return _failed(f"understanding failed: {type(exc).__name__}: {exc}")


def _understand(raw: bytes, questions: Sequence[Question]) -> Understanding:
    mail = parse_mail(raw)
    defects = list(mail.defects)
    from_name, from_addr = parse_address(mail.header("from", defects))
    subject = mail.header("subject", defects) or None
    extracted = extract_reply(mail.text)
    sign = parse_signoff(extracted.text, from_name, extracted.signature)
    in_reply_to = next(iter(parse_message_ids(mail.header("in-reply-to"))), None)
    references = parse_message_ids(" ".join(mail.header_all("references")))
    date = parse_date(mail.header("date"))
    question = find_question(
        questions, in_reply_to=in_reply_to, references=references, subject=subject, date=date
    )
    kind = _kind(mail, extracted, sign, subject or "", question)
    machine = kind in _MACHINE
    return Understanding(
        kind=kind,
        question=question.slug if question else None,
        reply=sign.body,
        elided="\n\n".join(x for x in (extracted.elided, sign.cut, mail.html_quote) if x),
        signoff="" if machine else sign.signoff,
        name=None if machine else sign.name,
        location=None if machine else sign.location,
        country=None if machine else sign.country,
        withhold_name=False if machine else sign.withhold_name,
        language=find_language(sign.body or extracted.text),
        word_count=len(sign.body.split()),
        asks_to_supersede=is_supersede_request(sign.body),
        message_id=next(iter(parse_message_ids(mail.header("message-id"))), None),
        in_reply_to=in_reply_to,
        references=references,
        from_name=from_name,
        from_addr=from_addr,
        subject=subject,
        date=date,
        defects=tuple(dict.fromkeys(defects)),
        from_html=mail.from_html,
        name_source=_name_source(sign, from_name),
    )


def _kind(
    mail: ParsedMail, extracted: Extracted, sign: SignOff, subject: str, question: Question | None
) -> str:
    found = kinds.find_header_kind(mail)
    if found is None and extracted.is_bare_forward:
        found = kinds.FORWARD
    if found is None:
        found = kinds.find_content_kind(subject, sign.body)
    if found is None and question is not None and kinds.is_about_another_story(sign.body, question):
        found = kinds.OFF_TOPIC
    return found or kinds.RESPONSE


def _name_source(sign: SignOff, from_name: str | None) -> str | None:
    if sign.name is None:
        return None
    if sign.signoff and sign.name in sign.signoff:
        return "signoff"
    if sign.name in sign.body:
        return "reply"
    return "from" if from_name else None


def _failed(defect: str) -> Understanding:
    return Understanding(
        kind=kinds.RESPONSE,
        question=None,
        reply="",
        elided="",
        signoff="",
        name=None,
        location=None,
        country=None,
        withhold_name=False,
        language=None,
        word_count=0,
        asks_to_supersede=False,
        message_id=None,
        in_reply_to=None,
        references=(),
        from_name=None,
        from_addr=None,
        subject=None,
        date=None,
        defects=(defect,),
    )
