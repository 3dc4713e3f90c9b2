"""SQLAlchemy 2.0 typed models (DESIGN §3). Schema changes go through Alembic migrations.

Identity of a stored mail is its ``ingest_key``: ``imap:<mailbox id>:<uidvalidity>:<uid>`` for
polled mail, ``file:<sha256>:<hash of the path>`` for imported files. A second copy of a mail
already stored (same Message-ID, or the same bytes when there is no Message-ID) is a row of its
own with
``kind = 'duplicate'`` and ``duplicate_of_id`` set, so nothing is dropped silently.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """Timestamps stored as UTC and always returned timezone-aware (SQLite drops the zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def utcnow() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        datetime: UTCDateTime(),
        dict[str, Any]: JSON,
        list[Any]: JSON,
    }


class Mailbox(Base):
    """One configured IMAP folder and the cursor that says what has been stored."""

    __tablename__ = "mailbox"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    folder: Mapped[str] = mapped_column(String(500))
    uidvalidity: Mapped[int | None] = mapped_column(BigInteger)
    last_uid: Mapped[int] = mapped_column(BigInteger, default=0)
    last_poll_at: Mapped[datetime | None]
    last_success_at: Mapped[datetime | None]
    last_result: Mapped[str | None] = mapped_column(Text)


class Message(Base):
    """A mail exactly as received: raw bytes kept forever, interpretation alongside."""

    __tablename__ = "message"
    __table_args__ = (
        UniqueConstraint("mailbox_id", "uidvalidity", "uid", name="uq_message_imap_uid"),
        Index("ix_message_kind", "kind"),
        Index("ix_message_pending_action", "mailbox_id", "acted_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    ingest_key: Mapped[str] = mapped_column(String(300), unique=True)
    mailbox_id: Mapped[int | None] = mapped_column(ForeignKey("mailbox.id"))
    uidvalidity: Mapped[int | None] = mapped_column(BigInteger)
    uid: Mapped[int | None] = mapped_column(BigInteger)
    source: Mapped[str] = mapped_column(String(20))  # imap | file
    source_ref: Mapped[str | None] = mapped_column(Text)  # the file path for imports
    message_id: Mapped[str | None] = mapped_column(String(998), index=True)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    size: Mapped[int] = mapped_column(Integer)
    raw: Mapped[bytes] = mapped_column(LargeBinary)
    received_at: Mapped[datetime | None]  # IMAP INTERNALDATE, or the file's mtime
    stored_at: Mapped[datetime] = mapped_column(default=utcnow)
    duplicate_of_id: Mapped[int | None] = mapped_column(ForeignKey("message.id"))
    # Filled by the understanding stage.
    from_addr: Mapped[str | None] = mapped_column(String(998), index=True)
    from_name: Mapped[str | None] = mapped_column(String(998))
    subject: Mapped[str | None] = mapped_column(Text)
    sent_at: Mapped[datetime | None]  # the Date header
    in_reply_to: Mapped[str | None] = mapped_column(Text)
    references: Mapped[str | None] = mapped_column(Text)
    kind: Mapped[str | None] = mapped_column(String(20))  # None until understood
    processed_at: Mapped[datetime | None]
    error: Mapped[str | None] = mapped_column(Text)  # why understanding failed, if it did
    # When the mailbox's after-ingest action (flag / move) was done on the server (migration 0003).
    acted_at: Mapped[datetime | None]

    response: Mapped[Response | None] = relationship(back_populates="message", uselist=False)


class Question(Base):
    """A question from the config, mirrored so responses can refer to it by key."""

    __tablename__ = "question"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(200), unique=True)
    title: Mapped[str] = mapped_column(Text)
    prompt: Mapped[str] = mapped_column(Text, default="")
    match: Mapped[dict[str, Any]] = mapped_column(default=dict)  # references, subjects, dates
    positions: Mapped[list[Any]] = mapped_column(default=list)
    arguments: Mapped[list[Any]] = mapped_column(default=list)


class Response(Base):
    """One genuine reader answer; shares its id with its message."""

    __tablename__ = "response"
    __table_args__ = (
        Index("ix_response_question_status", "question_id", "status"),
        # The review queue (status new, position missing or unsure) read from the index alone,
        # in id order; and the status-only filters (migration 0004).
        Index("ix_response_review_queue", "status", "id", "position_confidence", "position"),
    )

    id: Mapped[int] = mapped_column(ForeignKey("message.id"), primary_key=True)
    question_id: Mapped[int | None] = mapped_column(ForeignKey("question.id"))
    reply: Mapped[str] = mapped_column(Text, default="")
    elided: Mapped[str] = mapped_column(Text, default="")
    signoff: Mapped[str] = mapped_column(Text, default="")
    name: Mapped[str | None] = mapped_column(Text)
    location: Mapped[str | None] = mapped_column(Text)
    country: Mapped[str | None] = mapped_column(String(2))
    withhold_name: Mapped[bool] = mapped_column(Boolean, default=False)
    language: Mapped[str | None] = mapped_column(String(8))
    word_count: Mapped[int] = mapped_column(Integer, default=0)
    position: Mapped[str | None] = mapped_column(String(100))
    position_confidence: Mapped[float | None] = mapped_column(Float)
    position_source: Mapped[str | None] = mapped_column(String(10))  # model | editor
    arguments: Mapped[list[Any]] = mapped_column(default=list)  # [{"key", "score", "source"}]
    quality: Mapped[float | None] = mapped_column(Float)
    status: Mapped[str] = mapped_column(String(20), default="new")
    status_reason: Mapped[str | None] = mapped_column(Text)
    excerpt: Mapped[str | None] = mapped_column(Text)  # the editor's trim; reply stays as sent
    name_override: Mapped[str | None] = mapped_column(Text)
    location_override: Mapped[str | None] = mapped_column(Text)
    withhold_override: Mapped[bool | None] = mapped_column(Boolean)
    pick_order: Mapped[int | None] = mapped_column(Integer)
    supersedes_id: Mapped[int | None] = mapped_column(ForeignKey("response.id"))
    version: Mapped[int] = mapped_column(Integer, default=1)  # bumped on every editor change
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    message: Mapped[Message] = relationship(back_populates="response")


# One index per sort of `curator list` (key, then id), so a page is read in order instead of
# sorting every response (migration 0004). The NULL placement is the listing's: SQLite
# already puts NULLs first in ascending order and takes no NULLS FIRST/LAST in an index, so
# 0004 spells these out on PostgreSQL only.
Index("ix_response_quality", Response.quality.desc().nulls_last(), Response.id)
Index("ix_response_confidence", Response.position_confidence.asc().nulls_first(), Response.id)
Index("ix_response_length", Response.word_count.desc().nulls_last(), Response.id)


class Event(Base):
    """Append-only audit trail: who changed what, when, old → new."""

    __tablename__ = "event"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    actor: Mapped[str] = mapped_column(String(200), index=True)
    action: Mapped[str] = mapped_column(String(50))
    response_id: Mapped[int | None] = mapped_column(ForeignKey("response.id"), index=True)
    old: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    new: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    # One command's changes share a batch (so `curator undo` reverts them together); an undo
    # event names the event it reverted.  Both added by migration 0002.
    batch: Mapped[str | None] = mapped_column(String(36))
    undoes_id: Mapped[int | None] = mapped_column(ForeignKey("event.id"))
