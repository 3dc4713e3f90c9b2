"""A small, forgiving MIME splitter: raw bytes → entities (headers, type, decoded body).

Python's ``email`` feed parser reads a message line by line and costs ~0.5 ms for a
14 KB reply; splitting on the boundary with bytes operations costs a tenth of that. Only
what understanding needs is parsed: header fields, Content-Type with its parameters,
Content-Transfer-Encoding and Content-Disposition. Malformed input never raises: what
cannot be parsed is kept as text and noted in ``defects``.
"""

from __future__ import annotations

import binascii
import re
from dataclasses import dataclass, field

MAX_DEPTH = 12
MAX_PARTS = 200

_PARAM = re.compile(r';\s*([\w.*-]+)\s*=\s*("(?:[^"\\]|\\.)*"|[^;\s]*)')


@dataclass
class Entity:
    headers: list[tuple[str, str]]  # (lower-case name, raw value), in order
    content_type: str
    params: dict[str, str]
    body: bytes  # still transfer-encoded
    children: list[Entity] = field(default_factory=list)

    def get(self, name: str) -> str:
        for key, value in self.headers:
            if key == name:
                return value
        return ""

    @property
    def is_attachment(self) -> bool:
        return self.get("content-disposition").strip().lower().startswith("attachment")

    def decoded_body(self, defects: list[str]) -> bytes:
        encoding = self.get("content-transfer-encoding").strip().lower()
        if encoding == "base64":
            return _decode_base64(self.body, defects)
        if encoding == "quoted-printable":
            return binascii.a2b_qp(self.body)
        return self.body


def parse_entity(
    raw: bytes, defects: list[str], depth: int = 0, default_type: str = "text/plain"
) -> Entity:
    head, body = _split_head(raw)
    headers, stray = parse_header_block(head, defects)
    if stray:
        body = stray + b"\n\n" + body if body else stray
    entity = Entity(headers, default_type, {}, body)
    content_type = entity.get("content-type")
    if content_type:
        entity.content_type, entity.params = parse_content_type(content_type, default_type)
    if entity.content_type.startswith("multipart/") and depth < MAX_DEPTH:
        boundary = entity.params.get("boundary", "")
        child_type = "message/rfc822" if entity.content_type == "multipart/digest" else "text/plain"
        if boundary:
            entity.children = [
                parse_entity(part, defects, depth + 1, child_type)
                for part in split_multipart(body, boundary, defects)
            ]
        else:
            defects.append("multipart without a boundary")
    return entity


def walk(entity: Entity) -> list[Entity]:
    """Depth-first list of the entity and its descendants."""
    found = [entity]
    for child in entity.children:
        found.extend(walk(child))
        if len(found) > MAX_PARTS:
            break
    return found


def _split_head(raw: bytes) -> tuple[bytes, bytes]:
    if raw[:2] in (b"\r\n",) or raw[:1] == b"\n":
        return b"", raw.lstrip(b"\r\n")  # no headers at all (a MIME part may have none)
    # The first blank line: "\r\n\r\n", or "\n\n" in mail stored with bare line feeds.
    crlf, lf = raw.find(b"\r\n\r\n"), raw.find(b"\n\n")
    if crlf >= 0 and (lf < 0 or crlf < lf):
        return raw[:crlf], raw[crlf + 4 :]
    if lf >= 0:
        end = lf - 1 if lf > 0 and raw[lf - 1] == 0x0D else lf
        return raw[:end], raw[lf + 2 :]
    return raw, b""


_FIELD_START = re.compile(r"\n(?=[^ \t])")  # a header field starts at a non-blank line start


def parse_header_block(head: bytes, defects: list[str]) -> tuple[list[tuple[str, str]], bytes]:
    """Header fields (values still folded) and the bytes after them when a line is not one.

    Like the ``email`` package, a line that is not a header field ends the header section
    (a body with no blank line above it); 8-bit bytes stay as surrogate escapes for later.
    """
    text = head.decode("ascii", "surrogateescape").replace("\r", "")
    fields = _FIELD_START.split(text)
    headers: list[tuple[str, str]] = []
    for i, line in enumerate(fields):
        name, colon, value = line.partition(":")
        if colon and name and not (" " in name or "\t" in name or "\n" in name):
            headers.append((name.lower(), value.strip()))
            continue
        if not line.strip() or (i == 0 and line.startswith("From ")):
            continue  # a stray blank, or an mbox "From " line above the headers
        defects.append("missing blank line between headers and body")
        return headers, "\n".join(fields[i:]).encode("ascii", "surrogateescape")
    return headers, b""


def parse_content_type(value: str, default: str) -> tuple[str, dict[str, str]]:
    main, _, rest = value.partition(";")
    kind = main.strip().lower()
    if "/" not in kind or " " in kind:
        kind = default
    params: dict[str, str] = {}
    for name, raw in _PARAM.findall(";" + rest):
        text = raw[1:-1].replace('\\"', '"') if raw.startswith('"') else raw
        key = name.lower().rstrip("*")
        if name.endswith("*") and "''" in text:
            text = text.split("''", 1)[1]  # RFC 2231 charset''value; the charset is a name
        params.setdefault(key, text)
    return kind, params


def split_multipart(body: bytes, boundary: str, defects: list[str]) -> list[bytes]:
    """The parts between "--boundary" lines (RFC 2046 §5.1.1), found with bytes.find."""
    marker = b"--" + boundary.encode("ascii", "replace")
    parts: list[bytes] = []
    start: int | None = None  # where the current part's content begins
    pos = 0
    while len(parts) < MAX_PARTS:
        at = body.find(marker, pos)
        if at < 0:
            break
        pos = at + len(marker)
        if at > 0 and body[at - 1] != 0x0A:
            continue  # not at the start of a line
        closing = body[pos : pos + 2] == b"--"
        line_end = body.find(b"\n", pos)
        if start is not None:
            end = at - 1 if at > 0 else 0
            if end > start and body[end - 1] == 0x0D:
                end -= 1
            parts.append(body[start : max(start, end)])
        if closing:
            return parts
        start = len(body) if line_end < 0 else line_end + 1
    if start is None:
        defects.append("multipart boundary not found")
        return [body]
    defects.append("multipart not closed")
    parts.append(body[start:])
    return parts


def _decode_base64(data: bytes, defects: list[str]) -> bytes:
    cleaned = re.sub(rb"[^A-Za-z0-9+/=]", b"", data).split(b"=")[0]
    if len(cleaned) % 4 == 1:
        cleaned = cleaned[:-1]  # a stray character: no 4-character group ends in one
    cleaned += b"=" * (-len(cleaned) % 4)
    try:
        return binascii.a2b_base64(cleaned)
    except (binascii.Error, ValueError):
        defects.append("undecodable base64")
        return b""
