"""Turn raw bytes into an `IncomingMail`: identity and the few headers storage needs.

This runs on every fetched mail before it is committed, so it reads only the header block with
regexes instead of parsing the message (full parsing happens later, in `curator.understand`).
"""

from __future__ import annotations

import hashlib
import re
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

from curator.store.ingest import IncomingMail, file_key, imap_key

# A header's value, possibly folded onto the next lines (RFC 5322 §2.2.3).
_VALUE = re.compile(rb"[ \t]*((?:.*)(?:\r?\n[ \t]+.*)*)")
_ANGLE = re.compile(rb"<[^<>\s]{1,990}>")
MAX_HEADER_SCAN = 256 * 1024  # a header block larger than this is malformed anyway


def header_block(raw: bytes) -> bytes:
    """The header block of a raw mail (at most MAX_HEADER_SCAN bytes of it)."""
    head = raw[:MAX_HEADER_SCAN]
    end = head.find(b"\r\n\r\n")
    if end < 0:
        end = head.find(b"\n\n")
    return head[:end] if end >= 0 else head


def header_value(head: bytes, name: bytes) -> bytes | None:
    """The raw value of the first ``name`` header (lower case, with the colon) in a block.

    A plain search of the lower-cased block: four times faster than a multi-line regex, and
    this runs on every fetched mail.
    """
    low = head.lower()
    if low.startswith(name):
        start = 0
    else:
        start = low.find(b"\n" + name) + 1
        if start == 0:
            return None
    m = _VALUE.match(head, start + len(name))
    return m.group(1) if m else None


def find_message_id(raw: bytes, head: bytes | None = None) -> str | None:
    """The first Message-ID header's ``<id>``, or the bare token; None when absent."""
    value = header_value(header_block(raw) if head is None else head, b"message-id:")
    if value is None:
        return None
    angle = _ANGLE.search(value)
    token = angle.group(0) if angle else value.strip()
    if not token:
        return None
    return token.decode("ascii", "replace")[:998]


def find_received_at(raw: bytes, head: bytes | None = None) -> datetime | None:
    """When the receiving server took the mail: the date of the topmost Received header.

    This is what an IMAP server's INTERNALDATE records for delivered mail, read from bytes we
    already hold (asking the server for INTERNALDATE costs a third of the fetch time). None when
    there is no Received header or its date is unreadable; a date without a zone is UTC.
    """
    value = header_value(header_block(raw) if head is None else head, b"received:")
    if value is None:
        return None
    _, sep, date = value.rpartition(b";")
    if not sep:
        return None
    try:
        when = parsedate_to_datetime(" ".join(date.decode("ascii", "replace").split()))
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    return when.replace(tzinfo=UTC) if when.tzinfo is None else when.astimezone(UTC)


def sha256_hex(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()


def from_imap(
    raw: bytes,
    *,
    mailbox_id: int,
    uidvalidity: int,
    uid: int,
    received_at: datetime | None = None,
) -> IncomingMail:
    """A fetched mail; without ``received_at``, the topmost Received header's date."""
    head = header_block(raw)
    return IncomingMail(
        raw=raw,
        ingest_key=imap_key(mailbox_id, uidvalidity, uid),
        sha256=sha256_hex(raw),
        message_id=find_message_id(raw, head),
        source="imap",
        uid=uid,
        received_at=received_at if received_at is not None else find_received_at(raw, head),
    )


def from_file(raw: bytes, *, source_ref: str, received_at: datetime | None) -> IncomingMail:
    digest = sha256_hex(raw)
    return IncomingMail(
        raw=raw,
        ingest_key=file_key(digest, source_ref),
        sha256=digest,
        message_id=find_message_id(raw),
        source="file",
        source_ref=source_ref,
        received_at=received_at,
    )
