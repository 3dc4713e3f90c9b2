"""The reader's sign-off: which closing lines to cut from the reply, and the name and place
they give for print ("— Jane Doe, Lisbon, Portugal", "Priya from Toronto", "Austin, TX").

The block is found bottom-up: short lines after the prose, stopping at a valediction
("Best,", "Mit freundlichen Grüßen") or at prose. A P.S. after it stays in the reply;
disclaimers and company signature lines below the name are cut but not parsed as names.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from curator.understand import names
from curator.understand.gazetteer import Place, find_place

MAX_BLOCK_LINES = 12


@dataclass(frozen=True)
class SignOff:
    body: str  # the reply without its sign-off, signature block and disclaimer
    signoff: str  # the sign-off lines as written
    cut: str  # disclaimer and other lines removed but not part of the sign-off
    name: str | None
    location: str | None
    country: str | None
    withhold_name: bool


def parse_signoff(
    reply: str, from_name: str | None = None, signature: Sequence[str] = ()
) -> SignOff:
    """Split ``reply`` into body and sign-off, and read the name and place to print.

    ``signature`` holds the lines of a "-- " signature below the reply, if any: read for a
    name and place when the sign-off gives none, and for the fullest form of the name.
    """
    lines = reply.split("\n")
    end, cut = _strip_disclaimers(lines)
    postscript_at = _find_postscript(lines, end)
    block_end = postscript_at if postscript_at is not None else end
    start = _find_block_start(lines, block_end, from_name)
    block = lines[start:block_end]
    body_lines = lines[:start] + (lines[postscript_at:end] if postscript_at is not None else [])
    body = "\n".join(body_lines).strip()
    found, used_signature = _read_with_signature(block, signature, from_name)
    withhold = names.is_withhold_request(body) or found.withhold
    name, location = found.name, found.location
    if name is None and location is None:
        intro = names.find_introduction(body)
        if intro is not None:
            name, location = intro
    if name is None and not found.withhold:
        name = names.parse_display_name(from_name)
    place: Place | None = find_place(location) if location else None
    return SignOff(
        body=body,
        signoff="\n".join(
            [line.rstrip() for line in block] + (list(signature) if used_signature else [])
        ).strip("\n"),
        cut="\n".join(cut).strip(),
        name=None if withhold else name,
        location=location,
        country=place.country if place else None,
        withhold_name=withhold,
    )


def _read_with_signature(
    block: list[str], signature: Sequence[str], from_name: str | None
) -> tuple[names.Found, bool]:
    """What the sign-off gives, completed from the "-- " signature; and was it used?"""
    found = names.read_block([line.strip() for line in block], from_name)
    if not signature:
        return found, False
    below = names.read_block(list(signature), from_name)
    used = bool(below.name or below.location) and not (found.name and found.location)
    merged = names.Found(
        names.fuller(found.name, below.name) if below.name else found.name,
        found.location or below.location,
        found.withhold or below.withhold,
    )
    return merged, used


# Legal footers Exchange, Outlook and corporate gateways add under a signature.
_DISCLAIMER = re.compile(
    r"^\W*(?:CONFIDENTIAL|DISCLAIMER|PRIVILEGED|IMPORTANT NOTICE|NOTICE:|LEGAL NOTICE"
    # "CONFIDENTIALITY NOTICE: This communication …" (law firms, Exchange transport rules)
    r"|This (?:e-?mail|message|communication)(?: and any (?:files|attachments?))?"
    r" (?:is|are|may|contains?|and)\b"
    # "This email and any attachments are confidential …"
    r"|The information (?:contained )?in this (?:e-?mail|message|communication)"
    # "The information in this email is confidential …"
    r"|If you (?:are not|have received this)"
    # "If you are not the intended recipient …"
    r"|Diese (?:E-Mail|Nachricht) (?:enthält|ist|kann)"
    # "Diese E-Mail enthält vertrauliche …" (de)
    r"|Ce (?:message|courriel) (?:et|est|contient)"
    # "Ce message et ses pièces jointes …" (fr)
    r"|Please consider the environment before printing)",
    re.I,
)


def _strip_disclaimers(lines: list[str]) -> tuple[int, list[str]]:
    """End of the text above any trailing disclaimer paragraph(s), and the lines cut."""
    end = len(lines)
    while end > 0 and not lines[end - 1].strip():
        end -= 1
    for i in range(end):
        at_paragraph = i == 0 or not lines[i - 1].strip()
        if at_paragraph and _DISCLAIMER.match(lines[i]) and _is_legal_tail(lines[i:end]):
            return _trim_end(lines, i), lines[i:end]
    return end, []


# What a disclaimer talks about ("intended recipient", "confidential", "vertraulich"): a
# paragraph that opens like one ("This message is …") but says none of it is the reader's.
_LEGAL = re.compile(
    r"confidential|privilege|intended (?:solely |only )?(?:for|recipient)|addressee"
    r"|unauthori[sz]ed|prohibited|disclos|virus|legal advice|notify the sender"
    r"|vertraulich|empfänger|confidentiel|destinataire|riservat|destinatario|poufn",
    re.I,
)


def _is_legal_tail(tail: list[str]) -> bool:
    """Is every paragraph from here to the end legal boilerplate (or a short line)?"""
    paragraphs = "\n".join(tail).split("\n\n")
    return all(
        _LEGAL.search(paragraph)
        or (len(paragraph.strip().split("\n")) <= 2 and len(paragraph) < 160)
        for paragraph in paragraphs
        if paragraph.strip()
    ) and bool(_LEGAL.search(paragraphs[0]))


def _trim_end(lines: list[str], end: int) -> int:
    while end > 0 and not lines[end - 1].strip():
        end -= 1
    return end


_POSTSCRIPT = re.compile(r"^\s*P\.?\s?P?\.?\s?S\b[.:]?", re.I)


def _find_postscript(lines: list[str], end: int) -> int | None:
    """Start of a P.S. paragraph at the end, when a sign-off stands above it."""
    for i in range(end - 1, max(-1, end - 40), -1):
        if (
            lines[i].lstrip()[:1] in ("P", "p")
            and _POSTSCRIPT.match(lines[i])
            and (i == 0 or not lines[i - 1].strip())
        ):
            above = _trim_end(lines, i)
            if above > 0 and names.is_signoff_line(lines[above - 1].strip()):
                return above
            return None
    return None


def _find_block_start(lines: list[str], end: int, from_name: str | None) -> int:
    """Index of the first sign-off line: walk up over sign-off-like lines."""
    start = end
    seen = 0
    i = end - 1
    while i >= 0 and seen < MAX_BLOCK_LINES:
        line = lines[i].strip()
        if not line:
            i -= 1
            continue
        if names.is_valediction(line):
            return i
        if not names.is_signoff_line(line, from_name):
            break
        start = i
        seen += 1
        i -= 1
    return _check_block(lines, start, end, from_name)


def _check_block(lines: list[str], start: int, end: int, from_name: str | None) -> int:
    """``start`` if lines[start:end] are a sign-off (no valediction above them), else ``end``.

    Short lines are a sign-off only when one of them names a person or a place. A lone
    line that gives only a name must also be the sender's (a word, a short form or the
    initials of the From name): otherwise "God Bless America" or "Never Again" would be
    cut from the reply as a name.
    """
    found = names.read_block([line.strip() for line in lines[start:end]], None)
    alone = sum(1 for line in lines[start:end] if line.strip()) == 1
    if found.location or found.withhold:
        return start
    if alone and not any(x.strip() for x in lines[:start]):
        return end  # one line, nothing above: a reply ("Unsubscribe", "Agreed"), not a name
    if alone and found.name and not names.is_senders_name(found.name, from_name):
        return end
    return start if found.name else end
