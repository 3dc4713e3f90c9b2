"""Reader text made safe for a terminal.

Replies, names, places, subjects and raw mail come from strangers. Printed raw, an ESC in a
reply could recolour the screen, retitle the window, move the cursor or hide text (a CR or a
backspace overwrites what came before; a bidi override reorders it — "Trojan Source",
CVE-2021-42574). Every desk command passes reader text through `printable` (or `cell` for a
rich table, which also keeps "[bold]" in a reply from being read as rich markup), so control
characters show as visible escapes such as ``\\x1b`` instead of acting.
"""

from __future__ import annotations

import re

from rich.text import Text

# C0 controls except tab and newline, DEL, C1 controls (U+009B is CSI on some terminals), and
# the Unicode bidi embeddings/overrides/isolates plus the line/paragraph separators.
_UNSAFE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u2028\u2029]")
_UNSAFE_IN_LINE = re.compile(_UNSAFE.pattern[:-1] + r"\n\t]")


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(value: object, *, one_line: bool = False) -> str:
    """``value`` as text with every control character shown as an escape (``\\x1b``).

    Newlines and tabs are kept, unless ``one_line`` (then they are escaped too)."""
    text = "" if value is None else str(value)
    return (_UNSAFE_IN_LINE if one_line else _UNSAFE).sub(_escape, text)


def cell(value: object, *, style: str = "") -> Text:
    """A rich `Text` of reader text: escaped, and never parsed as markup."""
    return Text(printable(value), style=style)


def json_safe(dumped: str) -> str:
    """JSON text with DEL, C1 controls and bidi overrides written as ``\\u`` escapes.

    `json.dumps` already escapes C0 controls; these others are legal raw in JSON strings, and
    can only occur inside strings, so escaping them keeps the document valid and equal."""
    return _UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", dumped)
