"""Local mail sources for `curator import`: .eml files, folders of them, mbox files, Maildirs."""

from __future__ import annotations

import logging
import mailbox
import os
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from curator.errors import UsageError

log = logging.getLogger(__name__)
MAIL_SUFFIXES = (".eml", ".msg", ".txt")


@dataclass(frozen=True)
class LocalMail:
    raw: bytes
    ref: str  # where it came from, e.g. "replies.mbox#12" or "inbox/cur/1700000000.x"
    received_at: datetime | None


def iter_local_mail(paths: list[Path]) -> Iterator[LocalMail]:
    """Every mail under the given paths, in a stable order."""
    for path in (p.absolute() for p in paths):
        if not path.exists():
            raise UsageError(f"{path} does not exist — give .eml files, folders, mbox or Maildir")
        if path.is_dir():
            yield from _iter_dir(path)
        elif _is_mbox(path):
            yield from _iter_mbox(path)
        else:
            yield _read_file(path)


def _iter_dir(path: Path) -> Iterator[LocalMail]:
    if all((path / sub).is_dir() for sub in ("cur", "new", "tmp")):
        yield from _iter_maildir(path)
        return
    for dirpath, dirnames, filenames in os.walk(path):
        dirnames.sort()
        here = Path(dirpath)
        if here != path and all((here / s).is_dir() for s in ("cur", "new", "tmp")):
            dirnames.clear()
            yield from _iter_maildir(here)
            continue
        for name in sorted(filenames):
            file = here / name
            if name.lower().endswith(MAIL_SUFFIXES):
                yield _read_file(file)
            elif _is_mbox(file):
                yield from _iter_mbox(file)


def _iter_maildir(path: Path) -> Iterator[LocalMail]:
    box = mailbox.Maildir(path, factory=None, create=False)
    for key in sorted(box.keys()):
        with box.get_file(key) as fh:
            raw = fh.read()
        yield LocalMail(raw, f"{path}#{key}", _maildir_time(key))


def _maildir_time(key: str) -> datetime | None:
    # Maildir file names start with the delivery time in seconds ("1700000000.M1P2.host").
    head = key.split(".", 1)[0]
    return datetime.fromtimestamp(int(head), UTC) if head.isdigit() else None


def _iter_mbox(path: Path) -> Iterator[LocalMail]:
    box = mailbox.mbox(path, factory=None, create=False)
    try:
        for i, key in enumerate(box.keys()):
            raw = box.get_bytes(key)
            yield LocalMail(raw, f"{path}#{i + 1}", None)
    finally:
        box.close()


def _read_file(path: Path) -> LocalMail:
    return LocalMail(path.read_bytes(), str(path), _mtime(path))


def _is_mbox(path: Path) -> bool:
    if not path.is_file():
        return False
    with path.open("rb") as fh:
        return fh.read(5) == b"From "


def _mtime(path: Path) -> datetime | None:
    try:
        return datetime.fromtimestamp(path.stat().st_mtime, UTC)
    except OSError:
        return None
