"""Inbound classification: bounces, auto-replies and human mail across the public corpora.

Also runs every file of every corpus through ``understand_message`` (it must never raise)
and checks that no human reply anywhere is taken for machine mail.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

from curator.evaluate.report import Figure, Section
from curator.understand import kind as kinds
from curator.understand import understand_message
from curator.understand.trim import trim_reply

MACHINE = frozenset({kinds.BOUNCE, kinds.AUTO_REPLY, kinds.SPAM})
# Discourse's classes in our kinds. A mailing-list post is robot-distributed mail, not a
# reply sent to us, so it goes to the auto_reply bucket (Discourse rejects it as such too).
_DISCOURSE = {
    "auto_generated": "auto_reply",
    "bounce": "bounce",
    "mailing_list": "auto_reply",
    "human": "response",
}
# Files of the human sets that are not human replies, with the reason (shown in the notes).
NOT_HUMAN = {
    "mailgun_forge/149_body": "an Enron out-of-office notice ('I will be out of the office until"
    " Wednesday…'), so auto_reply is right",
}
# Text-only corpora of human replies (bodies without headers).
_HUMAN_TEXT = (
    ("email_reply_trimmer", "test/emails", "*.txt"),
    ("crisp_email_reply_parser", "test/fixtures", "*.txt"),
    ("crisp_email_forward_parser", "test/fixtures", "*_body*.txt"),
    ("github_email_reply_parser", "test/emails", "*.txt"),
    ("zapier_email_reply_parser", "test/emails", "*.txt"),
    ("mail_parser_reply", "test/emails", "*.txt"),
    ("mailgun_forge", "dataset", "*_body"),
)


def _kinds_of(paths: Iterable[Path]) -> list[tuple[str, str]]:
    return [(p.name, understand_message(p.read_bytes()).kind) for p in paths]


def _share(name: str, got: list[tuple[str, str]], want: str, floor: float | None) -> Figure:
    misses = [f"{n}:{k}" for n, k in got if k != want]
    value = 1 - len(misses) / len(got) if got else 0.0
    detail = f"{len(got) - len(misses)}/{len(got)}" + (
        " missed: " + ", ".join(misses[:5]) if misses else ""
    )
    return Figure(name, value, floor, detail)


def _sisimai(corpora: Path) -> list[Figure]:
    base = corpora / "sisimai_set_of_emails" / "maildir"
    files = sorted((base / "bsd").glob("*.eml"))
    bounces = _kinds_of(f for f in files if not f.name.startswith(("rfc3834", "arf")))
    arf = _kinds_of(f for f in files if f.name.startswith("arf"))
    auto = _kinds_of(f for f in files if f.name.startswith("rfc3834"))
    return [
        _share("sisimai bounces → bounce", bounces, kinds.BOUNCE, 0.99),
        _share("sisimai ARF feedback reports → bounce", arf, kinds.BOUNCE, None),
        _share("sisimai RFC 3834 auto-replies → auto_reply", auto, kinds.AUTO_REPLY, None),
    ]


def _flufl(corpora: Path) -> Figure:
    files = sorted((corpora / "flufl_bounce" / "flufl" / "bounce" / "tests" / "data").glob("*"))
    expected = {
        Path(e["file"]).name
        for e in json.loads(
            (corpora / "flufl_bounce" / "expected.json").read_text(encoding="utf-8")
        )
    }
    got = _kinds_of(f for f in files if f.is_file() and f.name in expected)
    return _share("flufl_bounce → bounce", got, kinds.BOUNCE, 0.99)


def _discourse(corpora: Path) -> Figure:
    base = corpora / "discourse_receiver"
    cases = json.loads((base / "expected.json").read_text(encoding="utf-8"))["cases"]
    misses = []
    for case in cases:
        got = understand_message((base / case["file"]).read_bytes())
        want = _DISCOURSE[case["class"]]
        body = case.get("expected_body")
        if got.kind != want or (want == "response" and body and _norm(got.reply) != _norm(body)):
            misses.append(f"{Path(case['file']).stem}:{got.kind}")
    detail = f"{len(cases) - len(misses)}/{len(cases)}" + (
        " missed: " + ", ".join(misses) if misses else ""
    )
    return Figure("discourse_receiver kind (+ body)", 1 - len(misses) / len(cases), 1.0, detail)


def _norm(text: str) -> str:
    return " ".join(text.split())


def _human_mistaken(corpora: Path) -> Figure:
    """Human mail taken for a bounce, auto-reply or spam: must be none."""
    mistaken: list[str] = []
    total = 0
    eml = [
        *sorted((corpora / "talon" / "tests" / "fixtures" / "standard_replies").glob("*.eml")),
        *sorted((corpora / "sisimai_set_of_emails" / "maildir" / "not").glob("is-not-*")),
    ]
    for path in eml:
        total += 1
        if understand_message(path.read_bytes()).kind in MACHINE:
            mistaken.append(path.name)
    signal = corpora / "signal_dev"
    for line in (signal / "labels.jsonl").read_text(encoding="utf-8").splitlines():
        label = json.loads(line)
        if label["kind"] in ("response", "duplicate", "superseded", "off_topic", "unsubscribe"):
            total += 1
            got = understand_message((signal / "emails" / label["file"]).read_bytes())
            if got.kind in MACHINE:
                mistaken.append(label["file"])
    for folder, under, glob in _HUMAN_TEXT:
        for path in sorted((corpora / folder / under).rglob(glob)):
            if f"{folder}/{path.name}" in NOT_HUMAN:
                continue
            total += 1
            text = path.read_bytes().decode("utf-8", "replace")
            reply = trim_reply(text).reply
            if kinds.find_content_kind("", reply) in MACHINE:
                mistaken.append(f"{folder}/{path.name}")
    detail = f"{len(mistaken)} of {total}" + (": " + ", ".join(mistaken[:6]) if mistaken else "")
    return Figure("human mail never taken for machine mail", 1 - len(mistaken) / total, 1.0, detail)


def _no_exceptions(corpora: Path) -> Figure:
    files = [p for p in sorted(corpora.rglob("*")) if p.is_file()]
    failed = [
        str(p.relative_to(corpora))
        for p in files
        if any(
            d.startswith("understanding failed") for d in understand_message(p.read_bytes()).defects
        )
    ]
    detail = f"{len(files) - len(failed)}/{len(files)} files" + (
        " failed: " + ", ".join(failed[:5]) if failed else ""
    )
    return Figure(
        "every corpus file understood without an exception",
        1 - len(failed) / len(files),
        1.0,
        detail,
    )


def evaluate(corpora: Path) -> Section:
    figures = (
        *_sisimai(corpora),
        _flufl(corpora),
        _discourse(corpora),
        _human_mistaken(corpora),
        _no_exceptions(corpora),
    )
    notes = (
        "ARF feedback reports (RFC 5965 multipart/report) go to the bounce bucket: delivery"
        " feedback, not a reply;",
        "Discourse 'mailing_list' fixtures count as auto_reply (list-distributed, not sent to us);",
        "text-only corpora are checked with the content rules on the trimmed body;",
        *(f"left out of the human set: {k}, {why}" for k, why in NOT_HUMAN.items()),
    )
    return Section("Inbound classification", figures, notes)
