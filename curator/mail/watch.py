"""`curator watch`: new mail within seconds, with IMAP IDLE (RFC 2177), for months on end.

One thread per mailbox, each with its own connection: IDLE watches only the selected folder of
one connection, so watching several mailboxes "one at a time" would leave the others blind for as
long as each IDLE lasts. The threads share nothing but the store, and their syncs are serialised
(a process lock, then the database's poll lock), so SQLite sees one writer at a time.

IDLE output is only a wake-up call (research G15): every wake-up, every IDLE renewal (``renew``,
10 minutes by default, well inside the 29 minutes of RFC 2177) and every reconnect runs the
poller's own `sync_mailbox` — the same UID path, batches, commits and after-ingest action as
`curator poll`. Missed notifications therefore cost at most one renewal period, and the renewal
sync also refreshes ``last_success_at`` for `curator status`. Servers without IDLE are polled
every ``interval`` seconds instead.

Locking: each sync takes the database's ``poll`` lock without waiting; if a cron `curator poll`
holds it, the round is skipped and tried again ``lock_retry`` seconds later, so the two never
write at once. Network errors reconnect with capped exponential backoff; a refused login, an
untrusted certificate or a configuration or OAuth grant problem stops the watch with its exit
code (no retry loop that could lock the account). SIGTERM/SIGINT: the batch being committed is
finished, every connection logs out, exit 0.
"""

from __future__ import annotations

import logging
import random
import signal
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from types import FrameType
from typing import Any

from imapclient import IMAPClient

from curator.config import MailboxConfig
from curator.errors import CuratorError, ExitCode, TransientMailError
from curator.mail.imap import classify_errors, connect
from curator.mail.oauth import resolve_secret
from curator.mail.poller import MailboxReport, record_report, sync_mailbox
from curator.store.engine import Store, exclusive_lock

log = logging.getLogger(__name__)
CHECK_EVERY = 1.0  # seconds between looks at the stop flag while idling


@dataclass(frozen=True)
class WatchSettings:
    renew: float = 600.0  # re-issue IDLE (and sync) this often
    interval: float = 300.0  # poll this often where the server has no IDLE
    max_backoff: float = 300.0  # cap of the reconnect delay
    lock_retry: float = 2.0  # seconds before retrying a round skipped for a running poll


@dataclass
class Watcher:
    store: Store
    mailboxes: Sequence[MailboxConfig]
    settings: WatchSettings = WatchSettings()
    after_sync: Callable[[MailboxReport], None] | None = None  # e.g. understand new mail
    stop: threading.Event = field(default_factory=threading.Event)
    failure: CuratorError | None = None
    _serial: threading.Lock = field(default_factory=threading.Lock)

    def run(self) -> None:
        """Watch until `stop` is set or a mailbox fails for good (see `failure`)."""
        threads = [
            threading.Thread(target=self._watch_one, args=(m,), name=f"watch-{m.name}")
            for m in self.mailboxes
        ]
        for t in threads:
            t.start()
        # join with a timeout: the main thread must keep running Python code for signal handlers.
        while any(t.is_alive() for t in threads):
            for t in threads:
                t.join(0.2)

    def _watch_one(self, mailbox: MailboxConfig) -> None:
        delay = max(mailbox.retry_backoff, 0.1)
        while not self.stop.is_set():
            try:
                with connect(mailbox, resolve_secret(mailbox)) as client:
                    delay = max(mailbox.retry_backoff, 0.1)
                    self._watch_connected(mailbox, client)
            except TransientMailError as exc:
                self._record_error(mailbox, exc)
                wait = delay * random.uniform(0.8, 1.2)
                log.warning("%s; reconnecting in %.1f s", exc, wait)
                self.stop.wait(wait)
                delay = min(delay * 2, self.settings.max_backoff)
            except CuratorError as exc:  # login refused, bad certificate, config, OAuth grant
                self._record_error(mailbox, exc)
                log.info("%s: stopped watching: %s", mailbox.name, exc)
                self.failure = self.failure or exc
                self.stop.set()

    def _watch_connected(self, mailbox: MailboxConfig, client: IMAPClient) -> None:
        with classify_errors(f"{mailbox.name} ({mailbox.host})"):
            can_idle = client.has_capability("IDLE")
        if not can_idle:
            log.warning(
                "%s: the server has no IDLE; polling every %.0f s",
                mailbox.name,
                self.settings.interval,
            )
        while not self.stop.is_set():
            synced = self._sync(mailbox, client)
            wait = self.settings.renew if can_idle else self.settings.interval
            wait = wait if synced else self.settings.lock_retry
            if self.stop.is_set():
                return
            if can_idle:
                self._idle(mailbox, client, wait)
            else:
                self.stop.wait(wait)

    def _sync(self, mailbox: MailboxConfig, client: IMAPClient) -> bool:
        """One poll of this connection's folder; False when a `curator poll` had the lock."""
        with self._serial, exclusive_lock(self.store, "poll") as got:
            if not got:
                log.info("%s: a curator poll is running; trying again shortly", mailbox.name)
                return False
            report = MailboxReport(mailbox.name, mailbox.folder)
            try:
                sync_mailbox(self.store, mailbox, client, report, stop=self.stop)
            finally:
                if report.stored and self.after_sync is not None:
                    self.after_sync(report)  # still under the lock, like `curator poll`
            record_report(self.store, mailbox, report)
            log.info("%s", report.summary())
        return True

    def _idle(self, mailbox: MailboxConfig, client: IMAPClient, seconds: float) -> None:
        """IDLE until new mail, ``seconds`` pass, or stop; the caller then syncs."""
        deadline = time.monotonic() + seconds
        with classify_errors(f"{mailbox.name} ({mailbox.host})"):
            client.idle()
            try:
                while not self.stop.is_set():
                    left = deadline - time.monotonic()
                    if left <= 0:
                        return
                    responses = client.idle_check(timeout=min(CHECK_EVERY, left))
                    if _is_bye(responses):
                        raise TransientMailError(f"{mailbox.name}: the server ended the session")
                    if _has_new_mail(responses):
                        return
            finally:
                client.idle_done()

    def _record_error(self, mailbox: MailboxConfig, exc: CuratorError) -> None:
        report = MailboxReport(mailbox.name, mailbox.folder)
        report.error, report.error_code = str(exc), int(exc.exit_code)
        record_report(self.store, mailbox, report)

    @property
    def exit_code(self) -> ExitCode:
        return ExitCode.OK if self.failure is None else self.failure.exit_code


def _has_new_mail(responses: list[Any]) -> bool:
    return any(len(r) > 1 and r[1] in (b"EXISTS", b"RECENT") for r in responses)


def _is_bye(responses: list[Any]) -> bool:
    return any(r and r[0] == b"BYE" for r in responses)


@contextmanager
def stop_on_signals(stop: threading.Event) -> Iterator[None]:
    """SIGTERM (systemd, kill) and SIGINT (Ctrl-C) set ``stop`` instead of killing mid-commit."""

    def handler(signum: int, _frame: FrameType | None) -> None:
        log.info("got %s; finishing the current batch and logging out", signal.Signals(signum).name)
        stop.set()

    previous = {s: signal.signal(s, handler) for s in (signal.SIGTERM, signal.SIGINT)}
    try:
        yield
    finally:
        for s, h in previous.items():
            signal.signal(s, h)
