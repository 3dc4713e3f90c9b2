"""`curator import`: local mail through the same store path (and dedup) as polled mail."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from curator.mail.incoming import from_file
from curator.mail.local import iter_local_mail
from curator.store.engine import Store
from curator.store.ingest import IngestResult, store_mail

BATCH = 500


@dataclass
class ImportReport:
    read: int = 0
    result: IngestResult = field(default_factory=IngestResult)


def import_paths(
    store: Store, paths: list[Path], *, progress: Callable[[int], None] | None = None
) -> ImportReport:
    report = ImportReport()
    mails = iter_local_mail(paths)
    while batch := list(itertools.islice(mails, BATCH)):
        incoming = [from_file(m.raw, source_ref=m.ref, received_at=m.received_at) for m in batch]
        with store.transaction() as session:
            report.result.add(store_mail(session, incoming))
        report.read += len(batch)
        if progress:
            progress(report.read)
    return report
