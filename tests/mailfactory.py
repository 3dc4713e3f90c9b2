"""Small, varied test messages (the realistic corpus is curator.samples.generate)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

NEWSLETTER_ID = "<issue-2026-01@news.example.com>"


def reply(
    i: int,
    *,
    message_id: str | None = "auto",
    body: str | None = None,
    sender: str | None = None,
    pad: int = 0,
) -> bytes:
    """A reader reply as raw bytes (CRLF). ``message_id=None`` leaves the header out."""
    when = datetime(2026, 1, 8, 9, 0, tzinfo=UTC) + timedelta(minutes=i)
    mid = f"<reply-{i}@readers.example.org>" if message_id == "auto" else message_id
    sender = sender or f"Reader {i} <reader{i}@readers.example.org>"
    text = body or f"I think the answer is {'yes' if i % 3 else 'no'}, and here is why: {i}."
    lines = [
        f"From: {sender}",
        "To: replies@news.example.com",
        "Subject: Re: The big question",
        f"Date: {format_datetime(when)}",
        *([f"Message-ID: {mid}"] if mid else []),
        f"In-Reply-To: {NEWSLETTER_ID}",
        f"References: {NEWSLETTER_ID}",
        "MIME-Version: 1.0",
        'Content-Type: text/plain; charset="utf-8"',
        "Content-Transfer-Encoding: 8bit",
        "",
        text,
        "",
        f"Reader {i}, Lisbon",
        *(["x" * 76] * pad),
        "",
    ]
    return "\r\n".join(lines).encode("utf-8")


def replies(n: int, start: int = 1, **kw: object) -> list[bytes]:
    return [reply(i, **kw) for i in range(start, start + n)]  # type: ignore[arg-type]
