"""Raw bytes → decoded headers and the best body text, without ever raising.

Parsing uses the ``compat32`` policy (about 5x faster than ``policy.default``) and decodes
RFC 2047 headers and part charsets here, with the repairs real mail needs: Outlook labels
windows-1252 text as ISO-8859-1, some clients send 8-bit text with no charset at all, and
some bytes are simply wrong.
"""

from __future__ import annotations

import email
import email.header
import email.utils
from dataclasses import dataclass
from datetime import UTC, datetime
from email.message import Message

from curator.understand.html import html_to_text

# Work on huge mail is capped: a reply a person typed is never this long.
MAX_RAW_BYTES = 2_000_000
MAX_TEXT_CHARS = 200_000

# Declared charsets that in practice hold windows-1252 bytes (a superset for printable text).
_CP1252_ALIASES = frozenset({"iso-8859-1", "iso8859-1", "latin-1", "latin1", "us-ascii", "ascii"})


@dataclass(frozen=True)
class ParsedMail:
    headers: dict[str, tuple[str, ...]]  # lower-case name → decoded values, in order
    content_type: str  # of the top-level entity, e.g. "multipart/report"
    report_type: str  # the report-type parameter, lower-case, or ""
    part_types: tuple[str, ...]  # every entity's content type, depth-first
    text: str  # best body text (text/plain preferred, else HTML reduced to text)
    from_html: bool
    defects: tuple[str, ...]

    def header(self, name: str) -> str:
        values = self.headers.get(name.lower())
        return values[0] if values else ""


def decode_bytes(data: bytes, charset: str | None, defects: list[str]) -> str:
    """Decode ``data`` declared as ``charset``; repair rather than fail."""
    label = (charset or "").strip().strip('"').lower()
    if not label:
        return _guess_decode(data, defects, "no charset declared")
    if label in _CP1252_ALIASES:
        if data.isascii():
            return data.decode("ascii")
        return _guess_decode(data, defects, None)
    try:
        return data.decode(label)
    except LookupError:
        return _guess_decode(data, defects, f"unknown charset {label!r}")
    except UnicodeDecodeError:
        return _guess_decode(data, defects, f"bytes not valid {label}")


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
    if not any("\udc80" <= ch <= "\udcff" for ch in raw):
        return raw
    data = raw.encode("ascii", "surrogateescape")
    return _guess_decode(data, defects, "8-bit bytes in a header")


def parse_mail(raw: bytes) -> ParsedMail:
    defects: list[str] = []
    if len(raw) > MAX_RAW_BYTES:
        defects.append(f"message of {len(raw)} bytes truncated to {MAX_RAW_BYTES}")
        raw = raw[:MAX_RAW_BYTES]
    msg = email.message_from_bytes(raw)
    headers: dict[str, list[str]] = {}
    for name, value in msg.items():
        headers.setdefault(name.lower(), []).append(decode_header_value(value, defects))
    parts = list(_walk(msg))
    text, from_html = _best_text(parts, defects)
    for defect in msg.defects:
        defects.append(type(defect).__name__)
    return ParsedMail(
        headers={k: tuple(v) for k, v in headers.items()},
        content_type=_content_type(msg),
        report_type=str(msg.get_param("report-type", "") or "").lower(),
        part_types=tuple(_content_type(p) for p in parts),
        text=text,
        from_html=from_html,
        defects=tuple(dict.fromkeys(defects)),
    )


def _content_type(part: Message) -> str:
    try:
        return part.get_content_type()
    except Exception:
        return "text/plain"


def _walk(msg: Message, depth: int = 0) -> list[Message]:
    """Depth-first entities; an attached message/* is listed but not entered."""
    found = [msg]
    if depth > 20 or not msg.is_multipart():
        return found
    payload = msg.get_payload()
    if not isinstance(payload, list):
        return found
    if _content_type(msg).startswith("message/"):
        return found + [p for p in payload if isinstance(p, Message)]
    for sub in payload:
        if isinstance(sub, Message):
            found.extend(_walk(sub, depth + 1))
    return found


def _is_attachment(part: Message) -> bool:
    disposition = str(part.get("content-disposition", "")).lower()
    return disposition.startswith("attachment")


def _best_text(parts: list[Message], defects: list[str]) -> tuple[str, bool]:
    html: str | None = None
    for part in parts:
        kind = _content_type(part)
        if kind not in ("text/plain", "text/html") or _is_attachment(part):
            continue
        body = _decode_part(part, defects)
        if kind == "text/plain" and body.strip():
            return body[:MAX_TEXT_CHARS], False
        if kind == "text/html" and html is None and body.strip():
            html = body
    if html is not None:
        return html_to_text(html[: MAX_TEXT_CHARS * 5])[:MAX_TEXT_CHARS], True
    return "", False


def _decode_part(part: Message, defects: list[str]) -> str:
    try:
        data = part.get_payload(decode=True)
    except Exception:
        defects.append("undecodable transfer encoding")
        return ""
    if not isinstance(data, bytes):
        return ""
    try:
        charset = part.get_content_charset()
    except Exception:
        charset = None
    text = decode_bytes(data, charset, defects)
    return text.replace("\r\n", "\n").replace("\r", "\n")


def parse_date(value: str) -> datetime | None:
    if not value:
        return None
    try:
        when = email.utils.parsedate_to_datetime(value)
    except Exception:
        return None
    if when.tzinfo is None:
        return when.replace(tzinfo=UTC)
    return when.astimezone(UTC)


def parse_address(value: str) -> tuple[str | None, str | None]:
    """Display name and address of a (decoded) From header."""
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
