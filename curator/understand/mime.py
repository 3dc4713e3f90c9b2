"""Raw bytes → decoded headers and the best body text, without ever raising.

The MIME tree is split by ``entity.py`` (bytes operations, ~10x faster than the ``email``
feed parser); RFC 2047 headers and part charsets are decoded here, with the repairs real
mail needs: Outlook labels
windows-1252 text as ISO-8859-1, some clients send 8-bit text with no charset at all, and
some bytes are simply wrong.
"""

from __future__ import annotations

import email.header
import email.utils
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone

from curator.understand.entity import Entity, parse_entity
from curator.understand.html import html_to_text_and_quotes

# Work on huge mail is capped: a reply a person typed is never this long.
MAX_RAW_BYTES = 2_000_000
MAX_TEXT_CHARS = 200_000

# Declared charsets that in practice hold windows-1252 bytes (a superset for printable text).
_CP1252_ALIASES = frozenset({"iso-8859-1", "iso8859-1", "latin-1", "latin1", "us-ascii", "ascii"})


@dataclass(frozen=True)
class ParsedMail:
    # Lower-case name → raw values in order; decoded on demand by header(): a message has
    # thirty headers and we read a dozen, so decoding all of them would double the cost.
    headers: dict[str, tuple[str, ...]]
    content_type: str  # of the top-level entity, e.g. "multipart/report"
    report_type: str  # the report-type parameter, lower-case, or ""
    part_types: tuple[str, ...]  # every entity's content type, depth-first
    text: str  # best body text (text/plain preferred, else HTML reduced to text)
    from_html: bool
    defects: tuple[str, ...]
    html_quote: str = ""  # quoted mail the HTML reduction took out (shown as elided)
    _decoded: dict[str, str] = field(default_factory=dict, compare=False, repr=False)
    # First values that decode to themselves (ASCII, one line, no encoded-word): most of
    # them, so most of the twenty lookups a message gets are one dict get.
    _plain: dict[str, str] = field(default_factory=dict, compare=False, repr=False)

    def header(self, name: str, defects: list[str] | None = None) -> str:
        """The first value of header ``name``, decoded ("" when absent)."""
        plain = self._plain.get(name)
        if plain is not None:
            return plain  # decoding it would note no defect
        values = self.headers.get(name)
        key = name
        if values is None:
            key = name.lower()
            values = self.headers.get(key) if key != name else None
            if not values:
                return ""  # most of the headers the classifiers ask for are absent
        if defects is None:
            cached = self._decoded.get(key)
            if cached is not None:
                return cached
        value = decode_header_value(values[0], [] if defects is None else defects)
        self._decoded[key] = value
        return value

    def header_all(self, name: str) -> list[str]:
        return [decode_header_value(v, []) for v in self.headers.get(name.lower(), ())]


def decode_bytes(data: bytes, charset: str | None, defects: list[str]) -> str:
    """Decode ``data`` declared as ``charset``; repair rather than fail."""
    label = (charset or "").strip().strip('"').lower()
    if not label:
        if data.isascii():
            return data.decode("ascii")  # RFC 2045's default, us-ascii: nothing to repair
        return _guess_decode(data, defects, "8-bit text with no charset declared")
    if label in _CP1252_ALIASES:
        if data.isascii():
            return data.decode("ascii")
        return _guess_decode(data, defects, None)
    try:
        return data.decode(label)
    except UnicodeDecodeError:
        return _guess_decode(data, defects, f"bytes not valid {label}")
    except Exception:  # unknown or absurd label: LookupError, ValueError ("utf\x00-8"), …
        return _guess_decode(data, defects, f"unknown charset {label!r}")


def _guess_decode(data: bytes, defects: list[str], why: str | None) -> str:
    try:
        text = data.decode("utf-8")
        if why:
            defects.append(f"{why}; decoded as UTF-8")
        return text
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        # The five bytes windows-1252 leaves undefined: fall back to Latin-1 for them.
        text = data.decode("latin-1")
    if why:
        defects.append(f"{why}; decoded as windows-1252")
    return text


def decode_header_value(value: object, defects: list[str]) -> str:
    """RFC 2047 encoded-words and stray 8-bit bytes → text, unfolded."""
    raw = value if isinstance(value, str) else str(value)
    if raw.isascii() and "=?" not in raw:
        return " ".join(raw.split()) if "\n" in raw or "\t" in raw else raw.strip()
    raw = _surrogates_to_text(raw, defects)
    if "=?" in raw:
        try:
            pieces = email.header.decode_header(raw)
        except Exception:  # a malformed encoded-word: keep the raw text
            defects.append("malformed encoded-word in a header")
            pieces = [(raw, None)]
        raw = "".join(_decode_piece(p, c, defects) for p, c in pieces)
    return " ".join(raw.replace("\r", "").replace("\n", " ").split())


def _decode_piece(piece: bytes | str, charset: str | None, defects: list[str]) -> str:
    if isinstance(piece, str):
        return piece
    if charset is None:  # the plain text between encoded-words
        return _guess_decode(piece, defects, None)
    return decode_bytes(piece, charset, defects)


def _surrogates_to_text(raw: str, defects: list[str]) -> str:
    # compat32 keeps raw 8-bit header bytes as surrogate escapes.
    if raw.isascii() or not any("\udc80" <= ch <= "\udcff" for ch in raw):
        return raw
    data = raw.encode("ascii", "surrogateescape")
    return _guess_decode(data, defects, "8-bit bytes in a header")


def parse_mail(raw: bytes) -> ParsedMail:
    defects: list[str] = []
    if len(raw) > MAX_RAW_BYTES:
        defects.append(f"message of {len(raw)} bytes truncated to {MAX_RAW_BYTES}")
        raw = raw[:MAX_RAW_BYTES]
    top = parse_entity(raw, defects)
    headers: dict[str, list[str]] = {}
    for name, value in top.headers:
        headers.setdefault(name, []).append(value)
    parts = _walk(top)
    text, from_html, html_quote = _best_text(parts, defects)
    # First values that decode to themselves (decode_header_value returns a stripped raw
    # value as it is when it is ASCII, on one line and holds no encoded-word).
    plain = {
        k: v[0]
        for k, v in headers.items()
        if v[0].isascii() and "=?" not in v[0] and "\n" not in v[0] and "\t" not in v[0]
    }
    return ParsedMail(
        headers={k: tuple(v) for k, v in headers.items()},
        content_type=top.content_type,
        report_type=top.params.get("report-type", "").lower(),
        part_types=tuple(p.content_type for p in parts),
        text=text,
        from_html=from_html,
        defects=tuple(dict.fromkeys(defects)),
        html_quote=html_quote,
        _plain=plain,
    )


def _walk(top: Entity) -> list[Entity]:
    """Depth-first entities; an attached message/rfc822 is listed but not entered."""
    found = [top]
    if top.content_type.startswith("message/"):
        return found
    for child in top.children:
        found.extend(_walk(child))
    return found


def _best_text(parts: list[Entity], defects: list[str]) -> tuple[str, bool, str]:
    html: str | None = None
    for part in parts:
        kind = part.content_type
        if kind not in ("text/plain", "text/html") or part.is_attachment:
            continue
        body = _decode_part(part, defects)
        if kind == "text/plain" and body.strip():
            return body[:MAX_TEXT_CHARS], False, ""
        if kind == "text/html" and html is None and body.strip():
            html = body
    if html is not None:
        text, quote = html_to_text_and_quotes(html[: MAX_TEXT_CHARS * 5])
        return text[:MAX_TEXT_CHARS], True, quote[:MAX_TEXT_CHARS]
    return "", False, ""


def _decode_part(part: Entity, defects: list[str]) -> str:
    data = part.decoded_body(defects)
    text = decode_bytes(data, part.params.get("charset"), defects)
    # A byte-order mark at the start (Outlook for Mac writes one) is not text.
    return text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


# "Fri, 24 Feb 2023 11:18:50 +0100": the form RFC 5322 §3.3 asks for and nearly every client
# writes, read directly; anything else goes to email.utils (~6 µs a date), which reads it alike.
_RFC5322_DATE = re.compile(
    r"(?:[A-Z][a-z]{2}, )?(\d{1,2}) ([A-Z][a-z]{2}) (\d{4}) (\d\d):(\d\d):(\d\d) ([+-]\d{4})"
)
_MONTHS = {
    name: number
    for number, name in enumerate(
        ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"), 1
    )
}


def parse_date(value: str) -> datetime | None:
    if not value:
        return None
    try:
        when = _parse_rfc5322_date(value) or email.utils.parsedate_to_datetime(value)
    except Exception:
        return None
    if when.tzinfo is None:
        return when.replace(tzinfo=UTC)
    return when.astimezone(UTC)


def _parse_rfc5322_date(value: str) -> datetime | None:
    """The date in the common form, as ``email.utils.parsedate_to_datetime`` gives it (naive
    for "-0000", RFC 5322's "no idea of the zone"); None for any other form."""
    m = _RFC5322_DATE.fullmatch(value)
    month = _MONTHS.get(m[2]) if m else None
    if m is None or month is None:
        return None
    day, _, year, hour, minute, second, zone = m.groups()
    fields = (int(year), month, int(day), int(hour), int(minute), int(second))
    if zone == "-0000":
        return datetime(*fields)
    offset = (int(zone[1:3]) * 3600 + int(zone[3:]) * 60) * (-1 if zone[0] == "-" else 1)
    return datetime(*fields, tzinfo=timezone(timedelta(seconds=offset)))


# The common forms, read without the email package: "Name <addr>", "\"Last, First\" <addr>",
# "addr". Anything else (comments, groups, several addresses) goes to email.utils.
_SIMPLE_ADDRESS = re.compile(
    r'^\s*(?:"?(?P<name>[^"<>]*?)"?\s*)?<(?P<addr>[^<>\s@]+@[^<>\s]+)>\s*$'
)
_BARE_ADDRESS = re.compile(r"^\s*<?(?P<addr>[^<>\s@\"(),;]+@[^<>\s\"(),;]+)>?\s*$")


def parse_address(value: str) -> tuple[str | None, str | None]:
    """Display name and address of a (decoded) From header."""
    simple = _SIMPLE_ADDRESS.match(value) or _BARE_ADDRESS.match(value)
    if simple:
        # One address: a comma in the name is part of it ("Lee, Daniel"), quoted or not
        # (decoding an RFC 2047 display name drops the quotes it would have needed).
        name = " ".join((simple.groupdict().get("name") or "").split()).strip("\"' ")
        return (name or None), simple["addr"].lower()
    try:
        name, addr = email.utils.parseaddr(value)
    except Exception:
        return None, None
    name = " ".join(name.split()).strip("\"' ")
    return (name or None), (addr.strip().lower() or None)


def parse_message_ids(value: str) -> tuple[str, ...]:
    ids: list[str] = []
    for token in value.replace(",", " ").split():
        if token.startswith("<") and token.endswith(">") and len(token) > 2:
            ids.append(token)
    return tuple(ids)
