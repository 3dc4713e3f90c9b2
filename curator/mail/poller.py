"""`curator poll`: every new mail of every mailbox stored exactly once.

Guarantees (DESIGN §4, research G1–G13): the key of a mail is (mailbox, UIDVALIDITY, UID);
new UIDs are fetched with ``BODY.PEEK[]`` from a read-only EXAMINE in batches bounded by count
and bytes; each batch commits together with the cursor, so a crash anywhere means the next run
re-fetches and the idempotent insert makes storage exactly-once. Network errors reconnect with
backoff and resume from the committed cursor; a refused login or an untrusted certificate is
final. The poller never sets ``\\Seen``; a mailbox's after-ingest action (flag or move,
`curator.mail.actions`) runs only after the commit, and the folder is selected read-write only
when such an action is configured.
"""

from __future__ import annotations

import contextlib
import logging
import queue
import random
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from imapclient import IMAPClient

from curator import faults
from curator.config import MailboxConfig
from curator.errors import CuratorError, MailError, TransientMailError
from curator.mail.actions import apply_after_ingest
from curator.mail.imap import classify_errors, connect
from curator.mail.incoming import from_imap
from curator.mail.oauth import resolve_secret
from curator.store.engine import Store
from curator.store.ingest import (
    IngestResult,
    advance_cursor,
    get_or_create_mailbox,
    record_poll,
    store_mail,
)

log = logging.getLogger(__name__)

Progress = Callable[[str, int, int], None]  # (mailbox, done, total)


@dataclass
class MailboxReport:
    name: str
    folder: str
    uidvalidity: int | None = None
    cursor_before: int = 0
    cursor_after: int = 0
    found: int = 0  # new UIDs on the server
    fetched: int = 0
    stored: int = 0
    duplicates: int = 0
    already: int = 0
    rekeyed: int = 0
    uidvalidity_changed: bool = False
    reconnects: int = 0
    acted: int = 0  # mails flagged or moved by the after-ingest action
    last_success_at: str | None = None  # ISO time of this mailbox's last successful poll
    error: str | None = None
    error_code: int = 0  # the ExitCode of the error, 0 when ok
    seconds: dict[str, float] = field(
        default_factory=lambda: {"connect": 0.0, "search": 0.0, "fetch": 0.0, "store": 0.0}
    )

    @property
    def ok(self) -> bool:
        return self.error is None

    def as_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["ok"] = self.ok
        d["seconds"] = {k: round(v, 4) for k, v in self.seconds.items()}
        return d

    def summary(self) -> str:
        state = "ok" if self.ok else f"error: {self.error}"
        return (
            f"{self.name}/{self.folder}: {state}; uidvalidity {self.uidvalidity}, "
            f"cursor {self.cursor_before}→{self.cursor_after}, found {self.found}, "
            f"stored {self.stored} ({self.duplicates} duplicates), already {self.already}"
        )


class _Timer:
    def __init__(self, report: MailboxReport, stage: str) -> None:
        self.report, self.stage = report, stage

    def __enter__(self) -> None:
        self.start = time.perf_counter()

    def __exit__(self, *exc: object) -> None:
        self.report.seconds[self.stage] += time.perf_counter() - self.start


def poll_mailbox(
    store: Store,
    mailbox: MailboxConfig,
    *,
    progress: Progress | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> MailboxReport:
    """Poll one mailbox; never raises a `CuratorError` (it is recorded on the report)."""
    report = MailboxReport(mailbox.name, mailbox.folder)
    try:
        password = resolve_secret(mailbox)
        attempt = 0
        while True:
            try:
                _poll_once(store, mailbox, password, report, progress)
                break
            except TransientMailError as exc:
                attempt += 1
                if attempt > mailbox.retries:
                    raise MailError(f"{exc} — gave up after {mailbox.retries} retries") from None
                delay = mailbox.retry_backoff * 2 ** (attempt - 1) * random.uniform(0.8, 1.2)
                log.warning("%s; reconnecting in %.1f s (retry %d)", exc, delay, attempt)
                report.reconnects += 1
                sleep(delay)
    except CuratorError as exc:
        report.error = str(exc)
        report.error_code = int(exc.exit_code)
    record_report(store, mailbox, report)
    return report


def record_report(store: Store, mailbox: MailboxConfig, report: MailboxReport) -> None:
    try:
        with store.transaction() as session:
            box = get_or_create_mailbox(session, mailbox.name, mailbox.folder)
            record_poll(session, box.id, ok=report.ok, summary=report.summary())
            session.refresh(box)
            when = box.last_success_at
            report.last_success_at = when.isoformat() if when else None
    except Exception:  # the poll's own outcome matters more than its bookkeeping
        log.exception("could not record the poll result for %s", mailbox.name)


def _poll_once(
    store: Store,
    mailbox: MailboxConfig,
    password: str,
    report: MailboxReport,
    progress: Progress | None,
) -> None:
    start = time.perf_counter()
    with connect(mailbox, password) as client:
        report.seconds["connect"] += time.perf_counter() - start
        sync_mailbox(store, mailbox, client, report, progress)


def sync_mailbox(
    store: Store,
    mailbox: MailboxConfig,
    client: IMAPClient,
    report: MailboxReport,
    progress: Progress | None = None,
    stop: threading.Event | None = None,
) -> None:
    """On a logged-in client: store the new mail, then do the after-ingest action.

    `curator watch` calls this after every IDLE wake-up; ``stop`` ends the run after the batch
    being committed (the cursor is committed per batch, so the next run goes on from there).
    """
    selected = _fetch_new(store, mailbox, client, report, progress, stop)
    if stop is None or not stop.is_set():
        report.acted += apply_after_ingest(store, mailbox, client, selected)


def _fetch_new(
    store: Store,
    mailbox: MailboxConfig,
    client: IMAPClient,
    report: MailboxReport,
    progress: Progress | None,
    stop: threading.Event | None = None,
) -> dict[bytes, Any]:
    where = f"{mailbox.name} ({mailbox.host})"
    with classify_errors(where), _Timer(report, "search"):
        # EXAMINE unless an after-ingest action must change the folder (research G6).
        status: dict[bytes, Any] = client.select_folder(
            mailbox.folder, readonly=mailbox.after_ingest == "keep"
        )
        uidvalidity = int(status[b"UIDVALIDITY"])
        uidnext = int(status.get(b"UIDNEXT", 0))
    with store.transaction() as session:
        box = get_or_create_mailbox(session, mailbox.name, mailbox.folder)
        box_id, known_uv, last_uid = box.id, box.uidvalidity, box.last_uid
    if not report.reconnects:
        report.cursor_before = last_uid
    report.uidvalidity = uidvalidity
    rescan = known_uv is not None and known_uv != uidvalidity
    if rescan:
        # RFC 3501 §2.3.1.1: old UIDs mean nothing now. Re-read the folder and match stored
        # mail by content; the cursor moves only when the whole rescan has committed, so a crash
        # mid-way simply starts the rescan again.
        log.warning(
            "%s: UIDVALIDITY changed %s → %s; re-scanning the folder and matching stored mail "
            "by Message-ID and content",
            where,
            known_uv,
            uidvalidity,
        )
        report.uidvalidity_changed = True
        last_uid = 0
    report.cursor_after = last_uid
    if uidnext and uidnext <= last_uid + 1:
        return status
    with classify_errors(where), _Timer(report, "search"):
        # "UID n:*" always matches the highest UID, even when n is beyond it (RFC 3501 §6.4.8).
        uids = sorted(u for u in client.search(["UID", f"{last_uid + 1}:*"]) if u > last_uid)
    report.found = max(report.found, len(uids))
    done = 0
    batches = list(_plan_batches(client, uids, mailbox, where, last_uid))
    for batch, fetched in _prefetched(client, batches, where, report):
        faults.checkpoint("store")
        with _Timer(report, "store"), store.transaction() as session:
            incoming = [
                from_imap(raw, mailbox_id=box_id, uidvalidity=uidvalidity, uid=uid)
                for uid, raw in fetched.items()
            ]
            result = store_mail(
                session, incoming, mailbox_id=box_id, uidvalidity=uidvalidity, rekey=rescan
            )
            if not rescan:
                advance_cursor(session, box_id, uidvalidity, batch[-1])
            faults.checkpoint("commit")
        faults.checkpoint("committed")
        _count(report, result, len(fetched))
        if not rescan:
            report.cursor_after = batch[-1]
        done += len(batch)
        if progress:
            progress(mailbox.name, done, len(uids))
        if stop is not None and stop.is_set():
            return status
    if rescan:
        with store.transaction() as session:
            advance_cursor(session, box_id, uidvalidity, uids[-1] if uids else 0)
        report.cursor_after = uids[-1] if uids else 0
    return status


def _prefetched(
    client: IMAPClient, batches: list[list[int]], where: str, report: MailboxReport
) -> Iterator[tuple[list[int], dict[int, bytes]]]:
    """Yield fetched batches in order while the next one is already being fetched.

    A thread fetches batch n+1 while the caller commits batch n (parsing IMAP and waiting for
    fsync overlap). At most one batch waits in the queue, so memory stays bounded; the caller
    still commits strictly in UID order, which is what the cursor guarantee rests on.
    """
    results: queue.Queue[tuple[list[int], Any] | BaseException | None] = queue.Queue(maxsize=1)
    stop = threading.Event()

    def produce() -> None:
        try:
            for batch in batches:
                if stop.is_set():
                    return
                item = (batch, _fetch_batch(client, batch, where, report))
                while not stop.is_set():
                    try:
                        results.put(item, timeout=0.1)
                        break
                    except queue.Full:
                        continue
            results.put(None)
        except BaseException as exc:  # handed to the consumer, which re-raises it
            results.put(exc)

    worker = threading.Thread(target=produce, name="imap-prefetch", daemon=True)
    worker.start()
    try:
        while (item := results.get()) is not None:
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        stop.set()
        while worker.is_alive():
            with contextlib.suppress(queue.Empty):
                results.get(timeout=0.1)
        worker.join()


def _count(report: MailboxReport, result: IngestResult, fetched: int) -> None:
    report.fetched += fetched
    report.stored += result.stored
    report.duplicates += result.duplicates
    report.already += result.already
    report.rekeyed += result.rekeyed


def _plan_batches(
    client: IMAPClient, uids: Sequence[int], mailbox: MailboxConfig, where: str, after: int
) -> Iterator[list[int]]:
    """UID lists of at most batch_size mails and batch_bytes bytes (a huge mail goes alone).

    Only mails larger than an even share of batch_bytes need their size known: the server
    names them (``SEARCH LARGER``) and reports their RFC822.SIZE; every other mail counts as
    that share, so a batch stays within batch_bytes without a size request per mail.
    """
    share = max(1, mailbox.batch_bytes // mailbox.batch_size)
    wanted = set(uids)
    with classify_errors(where):
        large = [
            u for u in client.search(["UID", f"{after + 1}:*", "LARGER", str(share)]) if u in wanted
        ]
        sizes = client.fetch(large, ["RFC822.SIZE"]) if large else {}
    big = {u: int(sizes.get(u, {}).get(b"RFC822.SIZE", share)) for u in large}
    batch: list[int] = []
    total = 0
    for uid in uids:
        size = big.get(uid, share)
        if batch and (len(batch) >= mailbox.batch_size or total + size > mailbox.batch_bytes):
            yield batch
            batch, total = [], 0
        batch.append(uid)
        total += size
    if batch:
        yield batch


def _fetch_batch(
    client: IMAPClient, batch: list[int], where: str, report: MailboxReport
) -> dict[int, bytes]:
    """Fetch a batch; every UID must come back unless another client expunged it meanwhile."""
    faults.checkpoint("fetch")
    with classify_errors(where), _Timer(report, "fetch"):
        data = client.fetch(batch, ["BODY.PEEK[]"])
        missing = [u for u in batch if u not in data or b"BODY[]" not in data[u]]
        if missing:
            # imapclient leaves out UIDs the server did not answer for (research G4).
            still_there = set(client.search(["UID", ",".join(map(str, missing))]))
            if still_there:
                data.update(client.fetch(sorted(still_there), ["BODY.PEEK[]"]))
                lost = [u for u in still_there if u not in data or b"BODY[]" not in data[u]]
                if lost:
                    raise TransientMailError(
                        f"{where}: the server did not return UID {lost[0]} although it exists"
                    )
    out: dict[int, bytes] = {}
    for uid in batch:
        item = data.get(uid)
        if item is None or b"BODY[]" not in item:
            continue  # expunged by another client before we could fetch it
        out[uid] = bytes(item[b"BODY[]"])
    return out
