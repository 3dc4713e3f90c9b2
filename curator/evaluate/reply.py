"""Reply-text extraction scored on the public reply-parser corpora.

"exact" is equality after whitespace normalisation (``" ".join(s.split())``), the measure
used in ``research/reply_extraction.md``.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path

from curator.evaluate.report import Figure, Section
from curator.understand.extract import extract_reply
from curator.understand.html import html_to_text
from curator.understand.mime import parse_mail
from curator.understand.signoff import parse_signoff
from curator.understand.trim import trim_reply

Case = tuple[str, str, str]  # name, input text, expected text


def normalise(text: str) -> str:
    return " ".join(text.split())


def score(cases: list[Case], extract: Callable[[str], str]) -> tuple[float, list[str]]:
    misses = [name for name, text, expected in cases if normalise(extract(text)) != expected]
    return (1 - len(misses) / len(cases)) if cases else 0.0, misses


def _figure(name: str, cases: list[Case], floor: float, quotes_only: bool = False) -> Figure:
    value, misses = score(cases, lambda t: trim_reply(t, quotes_only=quotes_only).reply)
    detail = f"{len(cases) - len(misses)}/{len(cases)}"
    if misses:
        detail += " missed: " + ", ".join(misses[:6]) + (" …" if len(misses) > 6 else "")
    return Figure(name, value, floor, detail)


def trimmer_cases(corpora: Path) -> list[Case]:
    base = corpora / "email_reply_trimmer" / "test"
    cases = []
    for path in sorted((base / "emails").glob("*.txt")):
        gold = base / "trimmed" / path.name
        if gold.exists():
            cases.append((path.stem, _read(path), normalise(_read(gold))))
    return cases


def json_cases(corpora: Path, folder: str) -> list[Case]:
    """Cases of a corpus whose expected.json lists {file, expected} (crisp, github, zapier)."""
    data = json.loads(_read(corpora / folder / "expected.json"))
    common = data.get("COMMON_FIRST_FRAGMENT")
    cases = []
    for case in data["cases"]:
        expected = case["expected"] if case["expected"] != "COMMON" else common
        cases.append(
            (Path(case["file"]).stem, _read(corpora / folder / case["file"]), normalise(expected))
        )
    return cases


def talon_plain_cases(corpora: Path) -> list[Case]:
    data = json.loads(_read(corpora / "talon" / "expected.json"))
    cases = []
    for case in data["standard_replies"]:
        raw = (corpora / "talon" / case["file"]).read_bytes()
        cases.append((Path(case["file"]).stem, parse_mail(raw).text, normalise(case["expected"])))
    return cases


def talon_html_cases(corpora: Path) -> Iterator[tuple[str, str, str]]:
    data = json.loads(_read(corpora / "talon" / "expected.json"))
    for case in data["html_replies"]:
        yield Path(case["file"]).stem, _read(corpora / "talon" / case["file"]), case["expected"]


def _talon_html_figure(corpora: Path) -> Figure:
    # talon's own check: html → text, then compare with all whitespace removed.
    cases = list(talon_html_cases(corpora))
    misses = [
        name
        for name, html, expected in cases
        if "".join(trim_reply(html_to_text(html)).reply.split()) != "".join(expected.split())
    ]
    detail = f"{len(cases) - len(misses)}/{len(cases)}" + (
        " missed: " + ", ".join(misses) if misses else ""
    )
    return Figure("talon html_replies exact", 1 - len(misses) / len(cases), 1.0, detail)


def _forge_figure(corpora: Path, folder: str) -> Figure:
    """mailgun/forge (Enron mail): our sign-off lines against the ``#sig#`` line labels.

    Not a floor: forge counts a bare "Thanks," as a signature only when a name follows,
    while curator always cuts a closing valediction from the reply.
    """
    base = corpora / "mailgun_forge" / "dataset" / folder
    hits = misses = 0
    for body in sorted(base.glob("*_body")):
        lines = _read(body).split("\n")
        gold = [x[5:].strip() for x in lines if x.startswith("#sig#") and x[5:].strip()]
        text = "\n".join(x[5:] if x.startswith("#sig#") else x for x in lines)
        sender = _read(body.with_name(body.name.replace("_body", "_sender"))).strip()
        name = sender.split("<")[0].strip().strip('"') or None if "<" in sender else None
        got = [x.strip() for x in parse_signoff(text, name).signoff.split("\n") if x.strip()]
        hits, misses = (hits + 1, misses) if got == gold else (hits, misses + 1)
    total = hits + misses
    label = "with" if folder == "P" else "without"
    return Figure(
        f"mailgun_forge sign-off lines exact ({label} signature)",
        hits / total if total else 0.0,
        None,
        f"{hits}/{total}",
    )


# alfonsrv/mail-parser-reply test/test_email_reply_parser.py asserts substrings per reply:
# (file, in the new text, not in it (quoted), the sign-off's first line).
_MPR_CASES: tuple[tuple[str, tuple[str, ...], tuple[str, ...], str], ...] = (
    (
        "email_ja_1_2",
        ("お世話になっております。織田です。", "それでは 11:00 にお待ちしております。"),
        ("かしこまりました", "明日の 11:00 でお願いいたします"),
        "",
    ),
    ("email_nl_1_2", ("Outlook met een antwoord",), ("Google Apps Sync Team",), ""),
    ("email_pl_1_1", ("Czesc Anno",), (), "Pozdrawiam,"),
    ("email_pl_1_2", (), ("Dnia 28 lutego 2023 14:00 Anna Nowak",), ""),
    ("email_pl_1_3", (), (), "Z powazaniem,"),
    ("email_swedish_1", ("Ursäkta mitt sena svar!",), ("Hej Person B,",), ""),
    ("email_swedish_2", ("Hello Anna,",), (), "/John"),
    (
        "email_sv_anon_1",
        ("Berättar gärna.",),
        ("Kan inte se att det står något", "Jag har försökt få tag"),
        "",
    ),
    ("email_danish_1", ("Hej Peter,",), ("Hej Anders,",), "Med venlig hilsen"),
    ("email_danish_2", ("Jeg har modtaget filerne.",), ("Her er filerne du bad om.",), "Hilsen"),
    ("email_danish_3", ("Svar.",), (), ""),
    ("email_danish_4", ("Svar.",), ("-----Oprindelig meddelelse-----",), ""),
    ("email_danish_5", ("Svar.",), (), "Kh"),
    ("email_headers_no_delimiter", ("And another reply!",), ("A reply", "This is a message."), ""),
    (
        "email_2_3",
        ("Outlook with a reply above headers using unusual format",),
        ("Ei tale aliquam eum",),
        "",
    ),
    ("email_1_1", (), (), "-Abhishek Kona"),
)


def _mpr_figure(corpora: Path) -> Figure:
    base = corpora / "mail_parser_reply" / "test" / "emails"
    misses = []
    for name, kept, cut, signoff in _MPR_CASES:
        reply = trim_reply(_read(base / f"{name}.txt")).reply
        split = parse_signoff(reply, None)
        if (
            any(x not in reply for x in kept)
            or any(x in reply for x in cut)
            or (signoff and not split.signoff.startswith(signoff))
        ):
            misses.append(name)
    total = len(_MPR_CASES)
    detail = f"{total - len(misses)}/{total}" + (" missed: " + ", ".join(misses) if misses else "")
    return Figure(
        "mail_parser_reply upstream assertions (text kept/cut, sign-off)",
        1 - len(misses) / total,
        None,
        detail,
    )


# What crisp-oss/email-forward-parser's test/index.js expects above the forward, when any.
_CRISP_ABOVE = "Praesent suscipit egestas hendrerit. Aliquam eget dui dui."


def _forward_figure(corpora: Path) -> Figure:
    """crisp forward fixtures: the reader's new words are the text above the forwarded mail
    (their constant), or nothing for a bare forward. Fixtures that forward no mail (replies
    named *variant_4*) are left out."""
    base = corpora / "crisp_email_forward_parser" / "test" / "fixtures"
    misses, total = [], 0
    for path in sorted(base.glob("*_body*.txt")):
        text = _read(path)
        if "Aenean quis diam urna" not in text:
            continue
        total += 1
        expected = _CRISP_ABOVE if text.lstrip().startswith("Praesent") else ""
        if normalise(extract_reply(text).text) != expected:
            misses.append(path.stem)
    detail = f"{total - len(misses)}/{total}" + (
        " missed: " + ", ".join(misses[:6]) if misses else ""
    )
    return Figure(
        "crisp_email_forward_parser new text above forward", 1 - len(misses) / total, None, detail
    )


def _read(path: Path) -> str:
    return path.read_bytes().decode("utf-8", errors="replace")


def evaluate(corpora: Path) -> Section:
    figures = [
        _figure("email_reply_trimmer exact", trimmer_cases(corpora), 0.95),
        _figure(
            "crisp_email_reply_parser exact", json_cases(corpora, "crisp_email_reply_parser"), 0.90
        ),
        _figure(
            "github_email_reply_parser exact", json_cases(corpora, "github_email_reply_parser"), 1.0
        ),
        _figure(
            "zapier_email_reply_parser exact", json_cases(corpora, "zapier_email_reply_parser"), 1.0
        ),
        _figure(
            "talon standard_replies exact (quotes only)",
            talon_plain_cases(corpora),
            1.0,
            quotes_only=True,
        ),
        _talon_html_figure(corpora),
        _forward_figure(corpora),
        _mpr_figure(corpora),
        _forge_figure(corpora, "P"),
        _forge_figure(corpora, "N"),
    ]
    notes = (
        "talon's gold is quotation removal only (it keeps 'Sent from my iPhone' and '-- '"
        " signatures), so its plain cases are scored with trim_reply(quotes_only=True);",
        "every other set is scored with the default trimmer (taglines and delimiters cut).",
    )
    return Section("Reply text extraction", tuple(figures), notes)
