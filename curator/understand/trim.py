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
from functools import lru_cache

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
_OTHER_EMBEDDED = tuple((words, _combine(group)) for words, group in p.EMBEDDED_OTHER)
_MARKDOWN_LINK = re.compile(r"\[([^\]]+)\]\([^)]+\)")
# An attribution line above a quote in any language: it ends with a colon and names a
# date, a time or an address ("Le 29/09/2022 à 12:31, Signal <x@y> a écrit :").
_ATTRIBUTION_HINT = re.compile(r"(?:\b\d{4}\b|\b\d{1,2}[:.]\d\d\b|@)")


def is_mobile_signature(line: str) -> bool:
    if len(line) > 160:
        return False  # taglines are short; skip the patterns for prose
    stripped = _MARKDOWN_LINK.sub(r"\1", line) if "](" in line else line
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
    for words, regex in _OTHER_EMBEDDED:
        for word in words:
            if word in low:
                if regex.search(line):
                    return True
                break
    return False


@lru_cache(maxsize=16_384)
def classify_line(line: str) -> str:
    """One line's letter. Cached: replies quote the same newsletter, line for line."""
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
    colon = head.find(":", 0, 80)
    if (colon >= 0 or "：" in head[:80]) and (
        p.HEADER_WITH_DATE.match(head) or p.HEADER_WITH_TEXT.match(head)
    ):
        return "h"
    return "t"


_FENCE = re.compile(r"^```\w*$")
_TAGLINE_AFTER_TEXT = re.compile(r"t[e]*s")
# The trimmer's rules over the pattern string, in the order _select applies them.
_REPLY_BELOW_QUOTE = re.compile(r"^b[^t]+t[et]*$")
_TEXT_TO_END = re.compile(r"t[et]*$")
_MARKER_NO_QUOTE = re.compile(r"te*b[^q]*$")
_MARKER_BIG_QUOTE = re.compile(r"te*b[eqbh]*([te]*)$")
_QUOTE_AT_END = re.compile(r"t?e*[qbe]+$")
_WRAPPED_HEADERS = re.compile(r"h+[hte]+h+e")
_HEADER_BLOCK = re.compile(r"t[eq]*h{3,}")
_TRAILING_QUOTE = re.compile(r"[eq]+$")


def classify(lines: list[str], *, stop_at_delimiter: bool = True) -> str:
    """One letter per line. Lines past the first delimiter are not classified one by one:
    the trimmer drops them whatever they are (often a whole quoted newsletter)."""
    # Each pass below runs only when the text holds what it looks for (a quote line, an
    # "@", a "---"…): most replies need two or three of the seven, and the second round of
    # trim_reply, over the kept lines, often none.
    text = "\n".join(lines)
    fenced = "```" in text and any(line.startswith("```") for line in lines)
    stop = stop_at_delimiter and not fenced
    pattern: list[str] = []
    for line in lines:
        letter = classify_line(line)
        pattern.append(letter)
        if letter == "d" and stop:
            pattern.extend("d" * (len(lines) - len(pattern)))
            break
    if fenced:
        _protect_code_blocks(lines, pattern)
    letters = "".join(pattern)
    if "q" in letters and ":" in text:
        _mark_attributions(lines, pattern)
    if "---" in text:
        _mark_dashed_markers(lines, pattern)
    if "@" in text:
        _mark_header_blocks(lines, pattern)
    if ":" in text:
        _mark_wrapped_attributions(lines, pattern)
    letters = "".join(pattern)
    if "q" in letters:
        _mark_wrapped_quote_lines(lines, pattern)
    if "b" in letters:
        _mark_indented_quotes(lines, pattern)
    return "".join(pattern)


def _mark_wrapped_attributions(lines: list[str], pattern: list[str]) -> None:
    """An attribution the client wrapped over two to five lines ("On Thu, Sep 29, 2022 at
    12:31 PM Signal <" / "signal@example.com> wrote:"): the lines joined read as a marker.

    discourse's trimmer joins such lines in the text first; testing the few lines that end
    in a colon, and the lines above them, finds the same markers without scanning the text.
    """
    tried = 0
    for end in range(1, len(pattern)):
        if pattern[end] not in "tbq" or not lines[end].rstrip(" \t>").endswith(":"):
            continue
        tried += 1
        if tried > _MAX_WRAPPED_TRIES:
            break  # a typed reply has a handful of such lines; bound the work on odd input
        if pattern[end] == "b" and p.LEAD_WORDS.match(lines[end]):
            continue  # "On … wrote:" whole on one line: nothing above belongs to it
        start = _wrapped_start(lines, pattern, end)
        if start is not None:
            pattern[start : end + 1] = ["b"] * (end + 1 - start)


_JOIN_FORMS = p.WRAPPED_ATTRIBUTIONS
_MAX_WRAPPED_TRIES = 40


def _may_open_marker(line: str) -> bool:
    # Every form opens with a lead word ("On", "Am", …), a date, or "X wrote on"/"schrieb am".
    return (
        bool(p.LEAD_WORDS.match(line) or _DIGIT.search(line))
        or "wrote" in line
        or ("schrieb" in line)
    )


_DIGIT = re.compile(r"\d")


def _wrapped_start(lines: list[str], pattern: list[str], end: int) -> int | None:
    """The earliest line above ``end`` from which one of the trimmer's multi-line marker
    patterns runs to the end of line ``end`` (at most four line breaks, as in the trimmer)."""
    first = end
    while first > max(0, end - 4) and pattern[first - 1] in "tbe":
        first -= 1
    for start in range(first, end):
        if pattern[start] == "e" or not _may_open_marker(lines[start]):
            continue
        block = "\n".join(lines[start : end + 1])
        tail = len(block) - len(lines[end])
        for regex in _JOIN_FORMS:
            m = regex.search(block)
            if m and m.start() < len(lines[start]) and m.end() >= tail:
                joined = " ".join(line.strip() for line in lines[start : end + 1] if line.strip())
                if is_embedded_marker(joined):
                    return start
    return None


def _mark_dashed_markers(lines: list[str], pattern: list[str]) -> None:
    """ "---------- Messaggio inoltrato ---------" right above header lines is a marker."""
    for i, letter in enumerate(pattern):
        if letter not in "th" or "---" not in lines[i]:
            continue
        following = [line for line in lines[i + 1 : i + 4] if line.strip()]
        if p.is_dashed_marker(lines[i], following[0] if following else ""):
            pattern[i] = "b"


def _mark_header_blocks(lines: list[str], pattern: list[str]) -> None:
    """Three or more "Label: value" lines in a row, one with an address and one with a date
    or time, are a quoted mail's header block in any language ("Από: X <x@y>" / "Στάλθηκε:
    …" / "Προς: …" / "Θέμα: …"), even when the labels are not in the header tables."""
    start = 0  # of the current run of header-shaped lines
    for end in range(len(pattern) + 1):
        if end < len(pattern) and pattern[end] in "th":
            line = lines[end]
            if (":" in line or "：" in line) and p.HEADER_SHAPED.match(line):
                continue
        if end - start >= 3 and "t" in pattern[start:end]:
            block = "\n".join(lines[start:end])
            if "@" in block and _DATE_OR_TIME.search(block):
                pattern[start:end] = ["h"] * (end - start)
        start = end + 1


_DATE_OR_TIME = re.compile(r"\b\d{1,2}[:.]\d\d\b|\b(?:19|20)\d\d\b")


def _mark_indented_quotes(lines: list[str], pattern: list[str]) -> None:
    """Outlook for Mac quotes by indenting the original four spaces under "On … wrote:":
    an indented block right below a marker is quoted mail."""
    for i, letter in enumerate(pattern):
        if letter != "b":
            continue
        j = i + 1
        while j < len(pattern) and pattern[j] == "e":
            j += 1
        block = []
        while j < len(pattern) and (pattern[j] == "e" or lines[j].startswith(("    ", "\t"))):
            block.append(j)
            j += 1
        if sum(1 for k in block if pattern[k] != "e") >= 2:
            for k in block:
                if pattern[k] == "t":
                    pattern[k] = "q"


def _mark_wrapped_quote_lines(lines: list[str], pattern: list[str]) -> None:
    """A quoted line that the client hard-wrapped leaves its tail unquoted, between two
    quote lines: starting in lower case ("> … pharetra d" / "ignissim odio?" / "> …"), or
    itself a long line of a paragraph (MailMate); a short answer between quotes stays."""
    for i in range(1, len(pattern) - 1):
        if pattern[i] != "t" or pattern[i - 1] != "q" or pattern[i + 1] not in "qe":
            continue
        line = lines[i].lstrip()
        if len(lines[i - 1]) >= 60 and (
            line[:1].islower() or (len(line) >= 60 and pattern[i + 1] == "q")
        ):
            pattern[i] = "q"  # a long wrapped line between quote lines is quoted too


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
        pattern = classify([lines[i] for i in kept], stop_at_delimiter=not quotes_only)
        if kept and len(kept) < len(lines) and not pattern.strip("te"):
            break  # only text lines left, blank ends already stripped: nothing more to cut
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
    at = pattern.find("d")
    if at >= 0:  # everything after the first delimiter goes
        pattern, idx = pattern[:at], idx[:at]
    if not pattern.strip("te"):
        # Only text and blank lines: of the rules below only the two quote-at-the-end ones
        # apply, and all they cut is the blank lines at the end.
        return idx[: len(pattern.rstrip("e"))] if "t" in pattern else idx[:1]
    m = _TAGLINE_AFTER_TEXT.search(pattern)
    if m:  # a phone's tagline closes what was typed; below it is the (unmarked) original
        pattern, idx = pattern[: m.start() + 1], idx[: m.start() + 1]
    pattern, idx = _drop(pattern, idx, "s")  # mobile signatures, wherever they are
    if "b" in pattern:  # the next three rules start at an embedded marker
        pattern, idx = _select_around_marker(pattern, idx)
    m = _QUOTE_AT_END.search(pattern)  # text, then a quote that ends the mail
    if m:
        pattern, idx = pattern[: m.start() + 1], idx[: m.start() + 1]
    pattern, idx = _drop(pattern, idx, "b")
    if "h" in pattern:
        m = _WRAPPED_HEADERS.search(pattern)  # a header block wrapped over several lines
        if m:
            pattern = pattern[: m.start()] + "h" * len(m.group(0)) + pattern[m.end() :]
        m = _HEADER_BLOCK.search(pattern)  # three header lines start the quoted mail
        if m:
            pattern, idx = pattern[: m.start() + 1], idx[: m.start() + 1]
        pattern, idx = _drop(pattern, idx, "h")
    m = _TRAILING_QUOTE.search(pattern)  # trailing quotes, once there is some text
    if "t" in pattern and m:
        pattern, idx = pattern[: m.start()], idx[: m.start()]
    return idx


def _select_around_marker(pattern: str, idx: list[int]) -> tuple[str, list[int]]:
    if _REPLY_BELOW_QUOTE.search(pattern):  # the reply is below the quote
        m = _TEXT_TO_END.search(pattern)
        assert m is not None
        pattern, idx = pattern[m.start() :], idx[m.start() :]
    m = _MARKER_NO_QUOTE.search(pattern)  # an embedded marker not followed by a quote
    if m:
        pattern, idx = pattern[: m.start() + 1], idx[: m.start() + 1]
    m = _MARKER_BIG_QUOTE.search(pattern)  # a marker followed by a big quote
    if m and m.group(1).count("t") < 7:
        pattern, idx = pattern[: m.start() + 1], idx[: m.start() + 1]
    return pattern, idx


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
_QUOTE_PREFIX = re.compile(r"(?:[^\S\n]*[^\W\d_]*[>|])+")  # at a line start
# "Test user <test@example.com" / ">:": an address the client broke before its ">".
_BROKEN_ADDRESS = re.compile(r"(<[^<>\s@]+@[^<>\s]+)\n>(:?)[ \t]*$", re.M)
_LETTER_THEN_QUOTE = re.compile(r"[^\W\d_]>")
_QUOTE_TOKEN = re.compile(r"[^\W\d_]*[>|]")  # "foo>", "|", "A|" → ">" (idempotent)
_WORD_QUOTE = re.compile(r"^[^\S\n]*[^\W\d_]+>", re.M)  # "foo> text": Usenet-style initials


def preprocess(text: str) -> str:
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    folded = text.lower()
    # Each rewrite runs only when the text holds what it rewrites (each costs ~10 µs).
    if "-----begin pgp" in folded:
        text = _PGP_SIGNATURE.sub("", _PGP_HEAD.sub("", text))
    if "unsubscribe:" in folded:
        text = _UNSUBSCRIBE_FOOTER.sub("", text)
    if '>>>>> "' in text:
        text = _ALIAS_QUOTE.sub("", text)
    if ">>>" in text:
        text = _ENCLOSED.sub(lambda m: _quote(m.group(2)), text)
        text = _BLOCK_QUOTE.sub(lambda m: _quote(m.group(1)), text)
    if "\n>" in text and _BROKEN_ADDRESS.search(text):
        text = _BROKEN_ADDRESS.sub(r"\1>\2", text)
    if "|" in text or (_LETTER_THEN_QUOTE.search(text) and _WORD_QUOTE.search(text)):
        text = _normalise_quote_prefixes(text)
    return text.strip()


def _normalise_quote_prefixes(text: str) -> str:
    """ "foo> text" and "| text" → "> text". A prefix never spans lines, so only the lines
    it would change go through the regex, those holding a "|" or a letter before a ">":
    scanning every position of the text for a line start costs ~40 ns a character."""
    lines = text.split("\n")
    for i, line in enumerate(lines):
        if "|" in line or (">" in line and _LETTER_THEN_QUOTE.search(line)):
            # Matched at the start only: a line has one start, and a search (as re.sub
            # does) would try every position of it.
            prefix = _QUOTE_PREFIX.match(line)
            if prefix:
                lines[i] = _QUOTE_TOKEN.sub(">", prefix.group()) + line[prefix.end() :]
    return "\n".join(lines)


def _quote(block: str) -> str:
    return "\n".join("> " + line for line in block.split("\n"))
