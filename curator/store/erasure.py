"""Erasure of one reader (GDPR art. 17): their mail, responses, excerpts and audit payloads.

The audit rows about their responses are kept as bare facts ("anna picked a response at
09:12") with the payload and the link to the response removed, so the trail stays
append-only in shape while holding nothing of the reader's. One "forget" event records the
counts — never the address.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from curator.store.models import Event, Message, Response


@dataclass(frozen=True)
class Erased:
    messages: int
    responses: int
    excerpts: int
    events: int


def reader_message_ids(session: Session, address: str) -> list[int]:
    """Every message from this address, and any stored copy of one of them."""
    ids = set(
        session.scalars(
            select(Message.id).where(func.lower(Message.from_addr) == address.strip().lower())
        )
    )
    frontier = set(ids)
    while frontier:
        copies = set(
            session.scalars(select(Message.id).where(Message.duplicate_of_id.in_(frontier)))
        )
        frontier = copies - ids
        ids |= frontier
    return sorted(ids)


def erase_reader(
    session: Session, address: str, *, actor: str, dry_run: bool = False
) -> tuple[Erased, set[int | None]]:
    """Erase (or count, with ``dry_run``); also returns the questions that lost a pick."""
    ids = reader_message_ids(session, address)
    picked_in = set(
        session.scalars(
            select(Response.question_id).where(Response.id.in_(ids), Response.status == "picked")
        )
    )
    responses = list(session.scalars(select(Response.id).where(Response.id.in_(ids))))
    excerpts = session.scalar(
        select(func.count()).where(Response.id.in_(ids), Response.excerpt.is_not(None))
    )
    events = session.scalar(select(func.count()).where(Event.response_id.in_(responses)))
    erased = Erased(len(ids), len(responses), excerpts or 0, events or 0)
    if dry_run or not ids:
        return erased, set()
    session.execute(
        update(Event)
        .where(Event.response_id.in_(responses))
        .values(old=None, new=None, response_id=None)
    )
    session.execute(
        update(Response).where(Response.supersedes_id.in_(responses)).values(supersedes_id=None)
    )
    session.execute(delete(Response).where(Response.id.in_(responses)))
    session.execute(
        update(Message).where(Message.duplicate_of_id.in_(ids)).values(duplicate_of_id=None)
    )
    session.execute(delete(Message).where(Message.id.in_(ids)))
    session.add(Event(actor=actor, action="forget", new=erased.__dict__))
    return erased, picked_in
