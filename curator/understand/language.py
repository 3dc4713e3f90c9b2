"""The language a reader wrote in (ISO 639-1), offline and fast: Google's CLD2 via pycld2.

CLD2 ships its tables inside the wheel and classifies a reply in about 20 µs.
"""

from __future__ import annotations

from typing import Any

try:
    import pycld2 as _cld2  # type: ignore[import-untyped]
except ImportError:  # pragma: no cover - the dependency is declared; degrade, don't crash
    _cld2 = None

_MIN_LETTERS = 12  # below this CLD2 guesses; "Yes." has no language worth storing


def find_language(text: str) -> str | None:
    letters = sum(map(str.isalpha, text[:200]))  # only compared with 12 and 40 below
    if _cld2 is None or letters < _MIN_LETTERS:
        return None
    sample = text[:4000].encode("utf-8", "replace")
    try:
        reliable, _, details = _detect(sample)
    except Exception:  # pycld2 rejects some byte sequences; no language then
        return None
    code = str(details[0][1]) if details else "un"
    if code in ("un", "xxx") or (not reliable and letters < 40):
        return None
    return code.split("-")[0][:2] if code not in ("zh-Hant",) else "zh"


def _detect(sample: bytes) -> Any:
    assert _cld2 is not None
    return _cld2.detect(sample, bestEffort=True)
