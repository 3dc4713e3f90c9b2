"""From a body text to the reader's new words: trimming plus what a reply parser for
newsletter replies needs on top of it.

- A forward with nothing typed above the forwarded mail has no new words.
- Interleaved answers keep no quoted fragments: the pieces are joined in order.
- The RFC 3676 signature below "-- " is kept aside: it often holds the name and town.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from curator.understand.patterns import is_dashed_marker
from curator.understand.trim import classify_line, is_embedded_marker, trim_reply

_SIGNATURE_DELIMITER = re.compile(r"^--[ \t]?$")  # RFC 3676 §4.3: "-- " alone on its line
_MAX_SIGNATURE_LINES = 6
# "---------- Forwarded message ---------", "Begin forwarded message:", "-------- Message
# transféré --------", "Weitergeleitete Nachricht": the client's forward markers.
_FORWARD_MARKER = re.compile(
    r"forward|transféré|réexpédié|weitergeleitet|reenviado|inoltrato|doorgestuurd|przekazana"
    r"|videresendt|vidarebefordrat|välitetty|пересланное|переслане|továbbított|přeposlan"
    r"|пересылаемое|edelleenlähetetty|inoltrato|encaminhada|przesłana|転送|转发",
    re.I,
)


_BLANK_LINES = re.compile(r"\n{3,}")
_LABELLED_FORWARD = re.compile(r"^(?:Forwarded message|Begin forwarded message)\s*:", re.I)


@dataclass(frozen=True)
class Extracted:
    text: str  # the new words with their sign-off, quotes and taglines cut
    elided: str
    signature: tuple[str, ...]  # lines of a "-- " signature, if any
    is_bare_forward: bool  # a forward with nothing typed above it


def extract_reply(body: str) -> Extracted:
    if is_bare_forward(body):
        return Extracted("", body.strip(), (), True)
    trimmed = trim_reply(body)
    kept: list[str] = []
    quoted: list[str] = []
    if ">" in trimmed.reply:
        for line in trimmed.reply.split("\n"):
            (quoted if line.lstrip().startswith(">") else kept).append(line)
        text = "\n".join(kept).strip()
    else:
        text = trimmed.reply  # no quoted fragment left between the answers
    elided = "\n".join(x for x in ("\n".join(quoted).strip(), trimmed.elided) if x)
    if "\n\n\n" in text:
        text = _BLANK_LINES.sub("\n\n", text)
    return Extracted(text, elided, find_signature(body), False)


def is_bare_forward(body: str) -> bool:
    """Does the body open with the forwarded mail, nothing typed above it? Either a marker
    line ("---------- Forwarded message ---------", "Begin forwarded message:") or the
    forwarded header block itself ("From: …" / "Sent: …" / "To: …", Outlook)."""
    head = _first_lines(body[:5000].split("\n", 40)[:40], 3)
    if not head:
        return False
    first = head[0]
    if is_embedded_marker(first) and _FORWARD_MARKER.search(first):
        return True
    if _LABELLED_FORWARD.match(first):
        return True
    if is_dashed_marker(first, head[1] if len(head) > 1 else ""):
        return True
    return len(head) >= 3 and all(classify_line(line) == "h" for line in head[:3])


def _first_lines(lines: list[str], n: int) -> list[str]:
    """The first ``n`` lines that hold text, stripped of blanks and quote marks."""
    found: list[str] = []
    for line in lines:
        text = line.strip().lstrip("> ").strip()
        if text:
            found.append(text)
            if len(found) == n:
                break
    return found


def find_signature(body: str) -> tuple[str, ...]:
    """The lines of the first "-- " signature that stands outside the quote."""
    if not body.startswith("--") and "\n--" not in body:
        return ()
    lines = body.split("\n")
    for i, line in enumerate(lines):
        if line.startswith(">") or not _SIGNATURE_DELIMITER.match(line.rstrip("\r")):
            continue
        found: list[str] = []
        for sig in lines[i + 1 :]:
            if classify_line(sig) in "qbh" or len(found) >= _MAX_SIGNATURE_LINES:
                break
            if sig.strip():
                found.append(sig.strip())
        return tuple(found)
    return ()
