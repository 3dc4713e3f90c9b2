"""Health: is every mailbox being polled? (`curator status`), and the checks `curator doctor`
reports, one ✓/✗ line each with what is wrong and how to fix it.

A mailbox is healthy when its last *successful* poll is more recent than ``max_age``
(``[health] max_age`` or ``--max-age``). A configured mailbox that never succeeded is not, so a
monitor or cron's mail notices a poller that has silently stopped (research G18).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from typing import Any

from curator.config import Config
from curator.store.engine import Store
from curator.store.status import MailboxState, mailbox_states


@dataclass(frozen=True)
class Check:
    """One line of `curator doctor`: ``ok`` False is a problem, ``warning`` a notice."""

    name: str
    ok: bool
    detail: str
    fix: str = ""
    warning: bool = False

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class MailboxStatus:
    name: str
    folder: str
    configured: bool
    uidvalidity: int | None
    cursor: int
    stored: int
    last_poll_at: datetime | None
    last_success_at: datetime | None
    last_result: str | None
    age_seconds: float | None  # since the last success; None when it never succeeded
    healthy: bool

    def as_dict(self) -> dict[str, Any]:
        d = asdict(self)
        for key in ("last_poll_at", "last_success_at"):
            d[key] = d[key].isoformat() if d[key] else None
        if self.age_seconds is not None:
            d["age_seconds"] = round(self.age_seconds, 1)
        return d


@dataclass(frozen=True)
class StatusReport:
    max_age: float
    mailboxes: tuple[MailboxStatus, ...]

    @property
    def ok(self) -> bool:
        return all(m.healthy for m in self.mailboxes if m.configured)

    def as_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "max_age_seconds": self.max_age,
            "mailboxes": [m.as_dict() for m in self.mailboxes],
        }


def mailbox_status(
    store: Store, config: Config, max_age: float, *, now: datetime | None = None
) -> StatusReport:
    """Every configured mailbox (and any the database still knows), healthy or not."""
    now = now or datetime.now(UTC)
    with store.transaction() as session:
        states = {s.name: s for s in mailbox_states(session)}
    names = [m.name for m in config.mailboxes]
    names += sorted(set(states) - set(names))
    rows = []
    for name in names:
        configured = config.mailbox(name)
        state = states.get(name) or MailboxState(
            name, configured.folder if configured else "", None, 0, None, None, None, 0
        )
        age = (now - state.last_success_at).total_seconds() if state.last_success_at else None
        rows.append(
            MailboxStatus(
                name=name,
                folder=state.folder,
                configured=configured is not None,
                uidvalidity=state.uidvalidity,
                cursor=state.last_uid,
                stored=state.stored,
                last_poll_at=state.last_poll_at,
                last_success_at=state.last_success_at,
                last_result=state.last_result,
                age_seconds=age,
                healthy=age is not None and age <= max_age,
            )
        )
    return StatusReport(max_age, tuple(rows))


def describe_age(seconds: float | None) -> str:
    if seconds is None:
        return "never"
    for unit, size in (("d", 86400), ("h", 3600), ("min", 60)):
        if seconds >= size:
            return f"{seconds / size:.1f} {unit} ago"
    return f"{seconds:.0f} s ago"
