"""The language a reader wrote in (ISO 639-1), offline and fast: Google's CLD2 via pycld2.

CLD2 ships its tables inside the wheel and classifies a reply in about 20 µs.
"""

from __future__ import annotations

try:
    import pycld2 as _cld2  # type: ignore[import-untyped]
except ImportError:  # pragma: no cover - the dependency is declared; degrade, don't crash
    _cld2 = None

_MIN_LETTERS = 12  # below this CLD2 guesses; "Yes." has no language worth storing
_SHORT = 200  # letters; up to here CLD2's best-effort mode is worth a try


def find_language(text: str) -> str | None:
    """ISO 639-1 code, or None when the text is too short or CLD2 cannot tell.

    CLD2 is asked twice only for short replies: its best-effort mode guesses from a few
    words ("Let them in." → en), but on a long text it can only mislead (Georgian typed in
    Latin letters comes back as Latin), so a long text it is unsure of gets no language.
    """
    letters = sum(map(str.isalpha, text[:300]))
    if _cld2 is None or letters < _MIN_LETTERS:
        return None
    sample = text[:4000].encode("utf-8", "replace")
    try:
        reliable, _, details = _cld2.detect(sample)
        if not reliable and letters < _SHORT:
            reliable, _, details = _cld2.detect(sample, bestEffort=True)
    except Exception:  # pycld2 rejects some byte sequences; no language then
        return None
    code = str(details[0][1]) if details else "un"
    if code in ("un", "xxx") or not reliable:
        return None
    return "zh" if code.startswith("zh") else code.split("-")[0][:2]
