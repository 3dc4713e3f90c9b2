"""Turn raw bytes into an `IncomingMail`: identity and the one header dedup needs.

This runs on every fetched mail before it is committed, so it reads only the header block with
a regex instead of parsing the message (full parsing happens later, in `curator.understand`).
"""

from __future__ import annotations

import hashlib
import re
from datetime import datetime

from curator.store.ingest import IncomingMail, file_key, imap_key

# "Message-ID: <abc@host>" possibly folded onto the next line (RFC 5322 §3.6.4).
_MESSAGE_ID = re.compile(rb"^message-id:[ \t]*((?:.*)(?:\r?\n[ \t]+.*)*)", re.IGNORECASE | re.M)
_ANGLE = re.compile(rb"<[^<>\s]{1,990}>")
MAX_HEADER_SCAN = 256 * 1024  # a header block larger than this is malformed anyway


def find_message_id(raw: bytes) -> str | None:
    """The first Message-ID header's ``<id>``, or the bare token; None when absent."""
    head = raw[:MAX_HEADER_SCAN]
    end = head.find(b"\r\n\r\n")
    if end < 0:
        end = head.find(b"\n\n")
    if end >= 0:
        head = head[:end]
    m = _MESSAGE_ID.search(head)
    if not m:
        return None
    value = m.group(1)
    angle = _ANGLE.search(value)
    token = angle.group(0) if angle else value.strip()
    if not token:
        return None
    return token.decode("ascii", "replace")[:998]


def sha256_hex(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()


def from_imap(
    raw: bytes, *, mailbox_id: int, uidvalidity: int, uid: int, received_at: datetime | None
) -> IncomingMail:
    return IncomingMail(
        raw=raw,
        ingest_key=imap_key(mailbox_id, uidvalidity, uid),
        sha256=sha256_hex(raw),
        message_id=find_message_id(raw),
        source="imap",
        uid=uid,
        received_at=received_at,
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
