"""What `curator status` reports per mailbox: cursor, last poll, last success, stored count."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from curator.store.models import Mailbox, Message


@dataclass(frozen=True)
class MailboxState:
    name: str
    folder: str
    uidvalidity: int | None
    last_uid: int
    last_poll_at: datetime | None
    last_success_at: datetime | None
    last_result: str | None
    stored: int


def mailbox_states(session: Session) -> list[MailboxState]:
    counts = dict(
        session.execute(
            select(Message.mailbox_id, func.count())
            .where(Message.mailbox_id.is_not(None))
            .group_by(Message.mailbox_id)
        ).all()
    )
    boxes = session.scalars(select(Mailbox).order_by(Mailbox.name))
    return [
        MailboxState(
            name=b.name,
            folder=b.folder,
            uidvalidity=b.uidvalidity,
            last_uid=b.last_uid,
            last_poll_at=b.last_poll_at,
            last_success_at=b.last_success_at,
            last_result=b.last_result,
            stored=int(counts.get(b.id, 0)),
        )
        for b in boxes
    ]
