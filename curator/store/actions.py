"""Which stored mail still waits for its mailbox's after-ingest action (flag or move)."""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from curator.store.models import Message, utcnow


def pending_actions(session: Session, mailbox_id: int, uidvalidity: int, limit: int) -> list[int]:
    """UIDs (current UIDVALIDITY only) whose action is not done yet, lowest first."""
    return list(
        session.scalars(
            select(Message.uid)
            .where(
                Message.mailbox_id == mailbox_id,
                Message.uidvalidity == uidvalidity,
                Message.uid.is_not(None),
                Message.acted_at.is_(None),
            )
            .order_by(Message.uid)
            .limit(limit)
        )
    )


def mark_acted(session: Session, mailbox_id: int, uidvalidity: int, uids: list[int]) -> None:
    session.execute(
        update(Message)
        .where(
            Message.mailbox_id == mailbox_id,
            Message.uidvalidity == uidvalidity,
            Message.uid.in_(uids),
        )
        .values(acted_at=utcnow())
    )
