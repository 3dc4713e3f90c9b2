"""Small MIME helpers shared by the sample-mailbox builder and the benchmark generator.

Everything returns ``str`` with ``\\n`` line ends; callers turn the finished message into
CRLF bytes once (``crlf``). Only the standard library is used.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import quopri
from datetime import datetime, timedelta, timezone

__all__ = [
    "attr_time",
    "b64_body",
    "crlf",
    "dkim_signature",
    "ew_b",
    "ew_q",
    "fake_b64",
    "flowed",
    "html_escape",
    "qp_body",
    "rfc2822_date",
    "tz",
]

_Q_SAFE = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789!*+-/")

_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def tz(hours: float) -> timezone:
    return timezone(timedelta(minutes=round(hours * 60)))


def rfc2822_date(dt: datetime) -> str:
    """``Fri, 24 Feb 2023 11:42:10 +0100`` (RFC 5322), without locale surprises."""
    off = dt.utcoffset() or timedelta(0)
    minutes = int(off.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    minutes = abs(minutes)
    return (
        f"{_DAYS[dt.weekday()]}, {dt.day:02d} {_MONTHS[dt.month - 1]} {dt.year} "
        f"{dt.hour:02d}:{dt.minute:02d}:{dt.second:02d} {sign}{minutes // 60:02d}{minutes % 60:02d}"
    )


def attr_time(dt: datetime, hours: float) -> datetime:
    """The same instant in a reader's time zone (for "On … wrote:" lines)."""
    return dt.astimezone(tz(hours))


def ew_q(text: str, charset: str = "utf-8") -> str:
    """RFC 2047 Q encoded-word (one word; callers keep names short)."""
    out = []
    for byte in text.encode(charset):
        if byte == 0x20:
            out.append("_")
        elif byte in _Q_SAFE:
            out.append(chr(byte))
        else:
            out.append(f"={byte:02X}")
    return f"=?{charset.upper() if charset != 'utf-8' else 'UTF-8'}?Q?{''.join(out)}?="


def ew_b(text: str, charset: str = "utf-8") -> str:
    """RFC 2047 B encoded-word."""
    payload = base64.b64encode(text.encode(charset)).decode("ascii")
    return f"=?{'UTF-8' if charset == 'utf-8' else charset}?B?{payload}?="


def qp_body(text: str, charset: str = "utf-8") -> str:
    """Quoted-printable body (76-column soft breaks), ``\\n`` line ends."""
    data = text.encode(charset)
    return quopri.encodestring(data).decode("ascii")


def b64_body(text: str, charset: str = "utf-8") -> str:
    return base64.encodebytes(text.encode(charset)).decode("ascii")


def flowed(text: str, width: int = 72) -> str:
    """Wrap plain text as RFC 3676 format=flowed (soft breaks end in a space)."""
    out: list[str] = []
    for line in text.split("\n"):
        prefix = ""
        body = line
        while body.startswith(">"):
            prefix += ">"
            body = body[1:]
        if prefix and body.startswith(" "):
            body = body[1:]
            lead = prefix + " "
        else:
            lead = prefix
        if line == "-- ":
            out.append(line)
            continue
        if len(lead) + len(body) <= width:
            out.append((lead + body).rstrip(" ") if body.strip() or not lead else lead.rstrip())
            continue
        words = body.split(" ")
        cur = ""
        pieces: list[str] = []
        for w in words:
            if cur and len(lead) + len(cur) + len(w) + 1 > width:
                pieces.append(cur + " ")
                cur = w
            else:
                cur = f"{cur} {w}" if cur else w
        pieces.append(cur)
        out.extend(lead + p for p in pieces)
    return "\n".join(out)


def html_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def fake_b64(seed: str, n: int) -> str:
    """Deterministic base64-looking text (signatures, ids): never a real secret."""
    out = b""
    counter = 0
    while len(out) * 4 // 3 < n + 4:
        out += hashlib.sha256(f"{seed}:{counter}".encode()).digest()
        counter += 1
    return binascii.b2a_base64(out, newline=False).decode("ascii")[:n]


def dkim_signature(domain: str, selector: str, t: int, seed: str, headers: str) -> str:
    """A DKIM-Signature header (folded) whose b= is deterministic filler."""
    b = fake_b64("b" + seed, 342) + "=="
    bh = fake_b64("bh" + seed, 43) + "="
    lines = [b[i : i + 70] for i in range(0, len(b), 70)]
    folded = "\n\t ".join(lines)
    return (
        f"DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d={domain}; s={selector};\n"
        f"\tt={t}; bh={bh};\n"
        f"\th={headers};\n"
        f"\tb={folded}"
    )


def crlf(message: str, charset: str = "utf-8") -> bytes:
    """Finish a message: ``\\n`` → CRLF, encode (8bit parts must already be in ``charset``)."""
    return message.replace("\r\n", "\n").replace("\n", "\r\n").encode(charset)
