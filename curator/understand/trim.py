"""Reply trimming: keep the reader's new words, cut quotes, headers and taglines.

A line-classifying trimmer after discourse/email_reply_trimmer (MIT): each line becomes one
letter (e empty, d delimiter, s mobile signature, b embedded-mail marker, h header line,
q quote, t text) and regexes over that string decide what to keep. The sign-off lines are
kept, as in the original: the sign-off parser needs them. ``trim_reply`` also returns the
cut text, so an editor can see it; trimming its own output changes nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from curator.understand import patterns as p

MAX_LINES = 5_000  # a typed reply is never this long; the rest is kept out of the regexes
MAX_LINE_CHARS = 2_000  # lines longer than this are classified by their first part only


@dataclass(frozen=True)
class Trimmed:
    reply: str
    elided: str


def _combine(regexes: tuple[re.Pattern[str], ...]) -> re.Pattern[str]:
    def scoped(r: re.Pattern[str]) -> str:
        flags = ("i" if r.flags & re.I else "") + ("s" if r.flags & re.S else "")
        return f"(?{flags}:{r.pattern})" if flags else f"(?:{r.pattern})"

    return re.compile("|".join(scoped(r) for r in regexes), re.M)


_SIGNATURE = _combine(p.SIGNATURES)
_AFTER_LEAD = _combine(p.EMBEDDED_AFTER_LEAD)
_ENDING_IN_COLON = _combine(p.EMBEDDED_ENDING_IN_COLON)
_OTHER_EMBEDDED = _combine(p.EMBEDDED_OTHER)
# Every pattern in EMBEDDED_OTHER needs one of these (lower-cased) on the line.
_OTHER_HINTS = ("--", "@", "gmt", "wrote", "schrieb", "posted by", "begin forwarded", "début",
                "message", "messaggio", "mensaje", "mensagem", "nachricht", "meddel", "melding",
                "viesti", "bericht", "wiadomo", "zpráva", "сообщение", "sõnum", "üzenet",
                "原始邮件", "original")
_MARKDOWN_LINK = re.compile(r"\[([^\]]+)\]\([^)]+\)")
# An attribution line above a quote in any language: it ends with a colon and names a
# date, a time or an address ("Le 29/09/2022 à 12:31, Signal <x@y> a écrit :").
_ATTRIBUTION_HINT = re.compile(r"(?:\b\d{4}\b|\b\d{1,2}[:.]\d\d\b|@)")


def is_mobile_signature(line: str) -> bool:
    stripped = _MARKDOWN_LINK.sub(r"\1", line)
    if _SIGNATURE.match(stripped):
        return True
    sent = p.SENT_FROM.match(stripped)
    return bool(sent and p.SENT_FROM_REST.match(sent.group("rest")))


def is_embedded_marker(line: str) -> bool:
    """ "On … wrote:", "-----Original Message-----", "Am … schrieb X:" and the like."""
    if p.LEAD_WORDS.match(line) and _AFTER_LEAD.search(line):
        return True
    if line.rstrip(" \t>").endswith(":") and _ENDING_IN_COLON.search(line):
        return True
    low = line.lower()
    return any(h in low for h in _OTHER_HINTS) and bool(_OTHER_EMBEDDED.search(line))


def classify_line(line: str) -> str:
    if not line or line.isspace():
        return "e"
    head = line[:MAX_LINE_CHARS]
    if p.DELIMITER.match(head):
        return "d"
    if p.QUOTE.match(head):
        # A quoted line can only be an embedded marker ("> On … wrote:"), never s/h/d.
        return "b" if is_embedded_marker(head) else "q"
    if is_mobile_signature(head):
        return "s"
    if is_embedded_marker(head):
        return "b"
    if p.HEADER_WITH_DATE.match(head) or p.HEADER_WITH_TEXT.match(head):
        return "h"
    return "t"


_FENCE = re.compile(r"^```\w*$")


def classify(lines: list[str]) -> str:
    pattern = [classify_line(line) for line in lines]
    _protect_code_blocks(lines, pattern)
    _mark_attributions(lines, pattern)
    return "".join(pattern)


def _protect_code_blocks(lines: list[str], pattern: list[str]) -> None:
    """Lines inside a closed ``` fence are text: "# comment" or "----" in code is no delimiter."""
    start: int | None = None
    for i, line in enumerate(lines):
        if not _FENCE.match(line):
            continue
        if start is None:
            start = i
            continue
        for j in range(start, i + 1):
            pattern[j] = "t"
        start = None


def _mark_attributions(lines: list[str], pattern: list[str]) -> None:
    """A text line ending in ':' with a date or address, right above a quote, is a marker."""
    for i, kind in enumerate(pattern):
        if kind != "t" or not lines[i].rstrip().endswith(":"):
            continue
        j = i + 1
        while j < len(pattern) and pattern[j] == "e":
            j += 1
        if j < len(pattern) and pattern[j] == "q" and _ATTRIBUTION_HINT.search(lines[i]):
            pattern[i] = "b"


def trim_reply(text: str, *, quotes_only: bool = False) -> Trimmed:
    """The new text of a reply body, and what was cut from it.

    ``quotes_only`` cuts quoted mail but keeps delimiters, signatures and taglines (what
    talon's quotation extractor does), for comparing with tools that work that way.
    Trimming is repeated until nothing changes, so trimming a trimmed reply is a no-op.
    """
    if not text or text.isspace():
        return Trimmed("", "")
    lines = preprocess(text).split("\n")
    overflow: list[str] = []
    if len(lines) > MAX_LINES:
        lines, overflow = lines[:MAX_LINES], lines[MAX_LINES:]
    kept = list(range(len(lines)))
    for _ in range(4):
        pattern = classify([lines[i] for i in kept])
        if quotes_only:
            pattern = pattern.replace("d", "t").replace("s", "t")
        chosen = [kept[i] for i in _select(pattern, list(range(len(kept))))]
        chosen = _strip_blank_ends(lines, chosen)
        if chosen == kept:
            break
        kept = chosen
    reply = "\n".join(lines[i] for i in kept).strip()
    keep = set(kept)
    elided = "\n".join([line for i, line in enumerate(lines) if i not in keep] + overflow)
    return Trimmed(reply, elided.strip())


def _strip_blank_ends(lines: list[str], idx: list[int]) -> list[int]:
    start, end = 0, len(idx)
    while start < end and not lines[idx[start]].strip():
        start += 1
    while end > start and not lines[idx[end - 1]].strip():
        end -= 1
    return idx[start:end]


def _select(pattern: str, idx: list[int]) -> list[int]:
    """Indices of the lines to keep: the trimmer's rules over the pattern string, in order."""
    m = pattern.find("d")
    if m >= 0:  # everything after the first delimiter goes
        pattern, idx = pattern[:m], idx[:m]
    pattern, idx = _drop(pattern, idx, "s")  # mobile signatures, wherever they are
    if re.search(r"^b[^t]+t[et]*$", pattern):  # the reply is below the quote
        m = re.search(r"t[et]*$", pattern)
        assert m is not None
        pattern, idx = pattern[m.start() :], idx[m.start() :]
    m = re.search(r"te*b[^q]*$", pattern)  # an embedded marker not followed by a quote
    if m:
        pattern, idx = pattern[: m.start() + 1], idx[: m.start() + 1]
    m = re.search(r"te*b[eqbh]*([te]*)$", pattern)  # a marker followed by a big quote
    if m and m.group(1).count("t") < 7:
        pattern, idx = pattern[: m.start() + 1], idx[: m.start() + 1]
    m = re.search(r"t?e*[qbe]+$", pattern)  # text, then a quote that ends the mail
    if m:
        pattern, idx = pattern[: m.start() + 1], idx[: m.start() + 1]
    pattern, idx = _drop(pattern, idx, "b")
    m = re.search(r"h+[hte]+h+e", pattern)  # a header block wrapped over several lines
    if m:
        pattern = pattern[: m.start()] + "h" * len(m.group(0)) + pattern[m.end() :]
    m = re.search(r"t[eq]*h{3,}", pattern)  # three header lines start the quoted mail
    if m:
        pattern, idx = pattern[: m.start() + 1], idx[: m.start() + 1]
    pattern, idx = _drop(pattern, idx, "h")
    m = re.search(r"[eq]+$", pattern)  # trailing quotes, once there is some text
    if "t" in pattern and m:
        pattern, idx = pattern[: m.start()], idx[: m.start()]
    return idx


def _drop(pattern: str, idx: list[int], letter: str) -> tuple[str, list[int]]:
    if letter not in pattern:
        return pattern, idx
    keep = [i for i, c in enumerate(pattern) if c != letter]
    return "".join(pattern[i] for i in keep), [idx[i] for i in keep]


_PGP_HEAD = re.compile(r"\A-----BEGIN PGP SIGNED MESSAGE-----\n(?:Hash: \w+)?\s+", re.I)
_PGP_SIGNATURE = re.compile(
    r"^-----BEGIN PGP SIGNATURE-----$[\s\S]+?^-----END PGP SIGNATURE-----", re.M
)
_UNSUBSCRIBE_FOOTER = re.compile(r"^Unsubscribe: .+@.+(\n.+http:.+)?\s*\Z", re.I | re.M)
_ALIAS_QUOTE = re.compile(r"^.*>{5} \"[^\"\n]+\" == .+ writes:", re.M)
_ENCLOSED = re.compile(r"^>>> ?(.+) ?>>>$\n([\s\S]+?)\n^<<< ?\1 ?<<<$", re.M)
_BLOCK_QUOTE = re.compile(r"^>{4,}[ \t]*$\n([\s\S]+?)\n^<{4,}[ \t]*$", re.M)
# "foo> text" (Usenet initials) and "| text" quoting become "> text".
_QUOTE_PREFIX = re.compile(r"^((?:[ \t]*[^\W\d_]*[>|])+)", re.M)
_QUOTE_TOKEN = re.compile(r"[^\W\d_]+>|\|")


def preprocess(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _PGP_HEAD.sub("", text)
    text = _PGP_SIGNATURE.sub("", text)
    text = _UNSUBSCRIBE_FOOTER.sub("", text)
    text = _ALIAS_QUOTE.sub("", text)
    text = _ENCLOSED.sub(lambda m: _quote(m.group(2)), text)
    text = _BLOCK_QUOTE.sub(lambda m: _quote(m.group(1)), text)
    if ">" in text or "|" in text:
        text = _QUOTE_PREFIX.sub(lambda m: _QUOTE_TOKEN.sub(">", m.group(1)), text)
    folded = text.lower()
    for words, regex in p.WRAPPED_ATTRIBUTIONS:
        if any(w in folded for w in words):
            text = regex.sub(_join_wrapped, text)
    return text.strip()


def _quote(block: str) -> str:
    return "\n".join("> " + line for line in block.split("\n"))


def _join_wrapped(m: re.Match[str]) -> str:
    found = m.group(0)
    return found if found.count("\n") > 4 else re.sub(r"\n+\s*", " ", found)
