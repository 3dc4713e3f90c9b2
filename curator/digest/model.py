"""What a digest says, before any template sees it: quotes, their attribution, groups, the split.

Everything here is pure. Reader text stays exactly as the reader (or the editor's excerpt) wrote
it; escaping is the templates' job (autoescape), so the same data feeds HTML, text and Markdown.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from curator.digest.split import Split
from curator.greeting import without_salutation_line
from curator.store.digest import PickRecord

# Something that would print a reader's address: "jane@example.com", "Jane <jane@ex.org>".
_EMAIL = re.compile(r"[^\s@<>()]+@[^\s@<>()]+\.[^\s@<>()]{2,}")
# C0 controls other than tab and newline, and DEL: never part of what a reader meant to say.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
# Bidi embeddings, overrides and isolates (U+202A–E, U+2066–9): in a name or place they can make
# the attribution display reversed or out of order; the marks U+200E/U+200F stay.
_BIDI_CONTROL = re.compile(r"[\u202a-\u202e\u2066-\u2069]")
# A paragraph whose lines are at least this long was hard-wrapped by the mail client.
_WRAP_WIDTH = 60


@dataclass(frozen=True)
class Quote:
    id: int
    text: str
    paragraphs: tuple[tuple[str, ...], ...]  # paragraphs, each a tuple of lines
    attribution: str
    position: str | None
    position_label: str | None
    edited: bool  # the editor trimmed it (an excerpt)


@dataclass(frozen=True)
class Group:
    key: str | None
    heading: str | None  # None: no subhead (a flat digest, or nothing tagged)
    quotes: tuple[Quote, ...]


@dataclass(frozen=True)
class Digest:
    slug: str
    heading: str
    title: str
    prompt: str
    intro: tuple[tuple[str, ...], ...]  # paragraphs of the editor's intro
    split: Split | None  # None: left out (--no-stats)
    groups: tuple[Group, ...]
    quotes: tuple[Quote, ...]  # every quote in the editor's order
    flat: bool
    edited: bool  # at least one quote is an editor's excerpt


def is_email_like(value: str) -> bool:
    return bool(_EMAIL.search(value))


def clean_field(value: str | None) -> str | None:
    """A name or location fit to print: one line, no address, None when nothing is left."""
    if value is None:
        return None
    text = _BIDI_CONTROL.sub("", _CONTROL.sub(" ", value))
    text = " ".join(text.split()).strip(" ,;—–-")
    if not text or is_email_like(text):
        return None
    return text


def attribution(name: str | None, location: str | None, withhold: bool) -> str:
    """ "Jane Doe, Lisbon, Portugal" · "a reader in Riga" · "a reader"."""
    name, location = clean_field(name), clean_field(location)
    if withhold or not name:
        return f"a reader in {location}" if location else "a reader"
    return f"{name}, {location}" if location else name


def _override(value: str | None, override: str | None) -> str | None:
    """The editor's override wins; a blank override clears the field."""
    if override is None:
        return value
    return override if override.strip() else None


def pick_attribution(pick: PickRecord) -> str:
    withhold = pick.withhold_name if pick.withhold_override is None else pick.withhold_override
    return attribution(
        _override(pick.name, pick.name_override),
        _override(pick.location, pick.location_override),
        withhold,
    )


def paragraphs(text: str) -> tuple[tuple[str, ...], ...]:
    """Blank lines split paragraphs; single line breaks stay, unless the client hard-wrapped.

    A line ending in a space is a soft break (RFC 3676 format=flowed), and a paragraph whose
    lines all run to about the wrap width was wrapped by the mail client: both are re-joined.
    """
    text = _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    out = []
    for block in re.split(r"\n[ \t]*\n", text):
        lines = _join_soft_breaks(block.split("\n"))
        lines = [line.strip() for line in lines if line.strip()]
        if lines:
            out.append(tuple(lines))
    return tuple(out)


def _join_soft_breaks(lines: list[str]) -> list[str]:
    if len(lines) > 1 and all(len(line.rstrip()) >= _WRAP_WIDTH for line in lines[:-1]):
        return [" ".join(line.strip() for line in lines)]
    joined: list[str] = []
    carry = False
    for line in lines:
        if carry and joined:
            joined[-1] = f"{joined[-1].rstrip()} {line.strip()}"
        else:
            joined.append(line)
        carry = line.endswith(" ")
    return joined


def make_quote(pick: PickRecord, labels: dict[str, str]) -> Quote:
    edited = bool(pick.excerpt and pick.excerpt.strip())
    # The editor's excerpt as written; otherwise the reply, less a "Bonjour," line of its own.
    text = (
        pick.excerpt if edited and pick.excerpt else without_salutation_line(pick.reply)
    ).strip()
    return Quote(
        id=pick.id,
        text=text,
        paragraphs=paragraphs(text),
        attribution=pick_attribution(pick),
        position=pick.position,
        position_label=labels.get(pick.position) if pick.position else None,
        edited=edited,
    )


def group_quotes(
    quotes: Sequence[Quote], positions: Sequence[tuple[str, str]], other_heading: str
) -> tuple[Group, ...]:
    """Positions in config order, unknown keys after them, untagged last; picks keep order."""
    labels = dict(positions)
    keys: list[str | None] = [key for key, _ in positions]
    keys += [q.position for q in quotes if q.position and q.position not in labels]
    keys.append(None)
    groups = []
    for key in dict.fromkeys(keys):
        members = tuple(q for q in quotes if (q.position or None) == key)
        if members:
            heading = labels.get(key, key) if key else other_heading
            groups.append(Group(key, heading, members))
    if len(groups) == 1 and groups[0].key is None:
        return (Group(None, None, groups[0].quotes),)  # nothing tagged: no lone "Other views"
    return tuple(groups)
