"""Crash points for the kill -9 tests: ``CURATOR_FAULT=commit:3`` kills the process the third
time it passes the ``commit`` point, exactly as ``kill -9`` would (no cleanup, no flush).

The check is one dict lookup when the variable is unset, so it stays in production code, where
the crash must happen for the test to mean anything.
"""

from __future__ import annotations

import os
import signal
from collections import Counter

_spec = os.environ.get("CURATOR_FAULT", "")
_target: tuple[str, int] | None = None
if _spec:
    _name, _, _count = _spec.partition(":")
    _target = (_name, int(_count or "1"))
_passes: Counter[str] = Counter()


def checkpoint(name: str) -> None:
    if _target is None or _target[0] != name:
        return
    _passes[name] += 1
    if _passes[name] == _target[1]:
        os.kill(os.getpid(), signal.SIGKILL)
