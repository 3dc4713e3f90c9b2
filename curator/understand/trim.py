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
    return _may_be_other_marker(line) and bool(_OTHER_EMBEDDED.search(line))


def _may_be_other_marker(line: str) -> bool:
    # Every pattern in EMBEDDED_OTHER needs one of these; plain `in` tests cost ~50 ns each.
    if "@" in line or "--" in line or ":" in line or "GMT" in line:
        return True
    low = line.lower()
    return (
        "message" in low or "wrote" in low or "schrieb" in low or "original" in low
        or "posted by" in low
    )


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
    colon = head.find(":", 0, 80)
    if (colon >= 0 or "：" in head[:80]) and (
        p.HEADER_WITH_DATE.match(head) or p.HEADER_WITH_TEXT.match(head)
    ):
        return "h"
    return "t"


_FENCE = re.compile(r"^```\w*$")
_TAGLINE_AFTER_TEXT = re.compile(r"t[e]*s")


def classify(lines: list[str], *, stop_at_delimiter: bool = True) -> str:
    """One letter per line. Lines past the first delimiter are not classified one by one:
    the trimmer drops them whatever they are (often a whole quoted newsletter)."""
    stop = stop_at_delimiter and not any(line.startswith("```") for line in lines)
    pattern: list[str] = []
    for line in lines:
        letter = classify_line(line)
        pattern.append(letter)
        if letter == "d" and stop:
            pattern.extend("d" * (len(lines) - len(pattern)))
            break
    _protect_code_blocks(lines, pattern)
    _mark_attributions(lines, pattern)
    _mark_wrapped_attributions(lines, pattern)
    _mark_wrapped_quote_lines(lines, pattern)
    return "".join(pattern)


def _mark_wrapped_attributions(lines: list[str], pattern: list[str]) -> None:
    """An attribution the client wrapped in two ("pe 20. lokakuuta 2017 klo 17.50 John Coe" /
    "<john@example.com> kirjoitti:"): the pair together reads as a marker."""
    for i in range(1, len(pattern)):
        if pattern[i] != "t" or pattern[i - 1] != "t" or not lines[i].rstrip().endswith(":"):
            continue
        if len(lines[i - 1]) + len(lines[i]) < 300 and is_embedded_marker(
            lines[i - 1].rstrip() + " " + lines[i].strip()
        ):
            pattern[i - 1] = pattern[i] = "b"


def _mark_wrapped_quote_lines(lines: list[str], pattern: list[str]) -> None:
    """A quoted line that the client hard-wrapped leaves its tail unquoted, between two
    quote lines and starting in lower case ("> … pharetra d" / "ignissim odio?" / "> …")."""
    for i in range(1, len(pattern) - 1):
        if pattern[i] != "t" or pattern[i - 1] != "q" or pattern[i + 1] not in "qe":
            continue
        line = lines[i].lstrip()
        if len(lines[i - 1]) >= 60 and line[:1].islower():
            pattern[i] = "q"


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
    m = _TAGLINE_AFTER_TEXT.search(pattern)
    if m:  # a phone's tagline closes what was typed; below it is the (unmarked) original
        pattern, idx = pattern[: m.start() + 1], idx[: m.start() + 1]
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
# "Test user <test@example.com" / ">:": an address the client broke before its ">".
_BROKEN_ADDRESS = re.compile(r"(<[^<>\s@]+@[^<>\s]+)\n>(:?)[ \t]*$", re.M)
_QUOTE_TOKEN = re.compile(r"[^\W\d_]+>|\|")
_WORD_QUOTE = re.compile(r"^[ \t]*[^\W\d_]+>", re.M)  # "foo> text": Usenet-style initials


def preprocess(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
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
    if "\n>" in text:
        text = _BROKEN_ADDRESS.sub(r"\1>\2", text)
    if "|" in text or _WORD_QUOTE.search(text):
        text = _QUOTE_PREFIX.sub(lambda m: _QUOTE_TOKEN.sub(">", m.group(1)), text)
    for words, regex in p.WRAPPED_ATTRIBUTIONS:
        if any(w in folded for w in words):
            text = regex.sub(_join_wrapped, text)
    return text.strip()


def _quote(block: str) -> str:
    return "\n".join("> " + line for line in block.split("\n"))


def _join_wrapped(m: re.Match[str]) -> str:
    found = m.group(0)
    return found if found.count("\n") > 4 else re.sub(r"\n+\s*", " ", found)
