"""Is an editor's excerpt faithful to the reader's reply?

The house rule (the letters-desk norm, and polis#1842's "every quote must be exact"):

* the excerpt is the reader's own words, in the reader's order;
* a cut inside the excerpt is marked with "…" (or "...", "[…]", "[...]"); trimming the start
  or the end of the reply needs no marker;
* anything the editor adds goes in [square brackets] ("[The EU] should…"), and may stand in
  for the words it replaces;
* case and punctuation may change ("…and so" → "And so"), words may not.

`check_excerpt` returns the problems (the CLI refuses the edit unless ``--force``) and the
warnings: a negation ("not", "n't", "nicht", "pas", "не"…) dropped from a sentence that is
otherwise quoted flips the reader's meaning, so it is always pointed out.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

_WORD = re.compile(r"\w+(?:['’]\w+)*", re.UNICODE)
# "[…]" and "[...]" are cuts; any other bracket is an editor's insertion.
_MARKER = re.compile(r"\[\s*(?:…|\.{3,})\s*\]|…|\.{3,}|\[[^\]]*\]")
_SENTENCE_END = re.compile(r"[.!?…]+|\n\s*\n")
NEGATIONS = frozenset(
    [
        # en
        "not",
        "no",
        "never",
        "none",
        "nobody",
        "nothing",
        "neither",
        "nor",
        "cannot",
        "without",
        # de
        "nicht",
        "kein",
        "keine",
        "keinen",
        "keinem",
        "keiner",
        "keines",
        "nie",
        "niemals",
        "nein",
        "nichts",
        # fr
        "ne",
        "pas",
        "non",
        "jamais",
        "rien",
        "aucun",
        "aucune",
        # es/it/pt
        "nunca",
        "nada",
        "ni",
        "ningún",
        "ninguna",
        "ningun",
        "mai",
        "nessuno",
        "nessuna",
        "não",
        "nem",
        # nl/sv/da/no
        "niet",
        "geen",
        "nooit",
        "inte",
        "aldrig",
        "ingen",
        "ikke",
        "aldri",
        # pl/cs
        "nigdy",
        "żaden",
        "ani",
        # ru/uk
        "не",
        "нет",
        "ни",
        "никогда",
        "ничего",
        "ніколи",
        "немає",
    ]
)


@dataclass(frozen=True)
class ExcerptCheck:
    problems: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass(frozen=True)
class _Token:
    key: str  # casefolded, one kind of apostrophe
    text: str
    start: int


def _tokens(text: str) -> list[_Token]:
    return [
        _Token(m.group().casefold().replace("’", "'"), m.group(), m.start())
        for m in _WORD.finditer(text)
    ]


def is_negation(word: str) -> bool:
    key = word.casefold().replace("’", "'")
    # "don't", "isn't"; French "n'est", "n'ai"
    return key in NEGATIONS or key.endswith("n't") or key.startswith("n'")


def parse_runs(excerpt: str) -> list[list[_Token]]:
    """The excerpt's stretches of the reader's words, split at cuts and insertions."""
    runs: list[list[_Token]] = []
    last = 0
    for m in _MARKER.finditer(excerpt):
        runs.append(_tokens(excerpt[last : m.start()]))
        last = m.end()
    runs.append(_tokens(excerpt[last:]))
    return [r for r in runs if r]


def _find(words: list[str], run: list[str], start: int) -> int | None:
    """Earliest index ≥ start where ``run`` appears contiguously in ``words``."""
    n = len(run)
    for i in range(start, len(words) - n + 1):
        if words[i : i + n] == run:
            return i
    return None


def _longest_piece(words: list[str], keys: list[str], start: int) -> tuple[int, int] | None:
    """(index, length) of the longest prefix of ``keys`` found in ``words`` from ``start``
    (the earliest of the longest), in one pass."""
    best: tuple[int, int] | None = None
    for i in range(start, len(words)):
        length = 0
        while length < len(keys) and i + length < len(words) and words[i + length] == keys[length]:
            length += 1
        if length and (best is None or length > best[1]):
            best = (i, length)
            if length == len(keys):
                break
    return best


def check_excerpt(original: str, excerpt: str) -> ExcerptCheck:
    """Check ``excerpt`` against the reply it was cut from (see the module doc)."""
    reply = _tokens(original)
    words = [t.key for t in reply]
    runs = parse_runs(excerpt)
    if not runs:
        return ExcerptCheck(problems=("the excerpt has none of the reader's words",))
    problems: list[str] = []
    kept: set[int] = set()
    pos = 0
    for run in runs:
        pos = _match_run(words, run, pos, kept, problems)
    return ExcerptCheck(tuple(problems[:5]), tuple(_dropped_negations(original, reply, kept)))


def _match_run(
    words: list[str], run: list[_Token], pos: int, kept: set[int], problems: list[str]
) -> int:
    """Match one run at or after ``pos``; record kept indices and problems; return new pos."""
    keys = [t.key for t in run]
    at = _find(words, keys, pos)
    if at is not None:
        kept.update(range(at, at + len(keys)))
        return at + len(keys)
    # Explain: split the run into the longest pieces that do appear, in order.
    k = 0
    previous_end: int | None = None
    while k < len(keys):
        piece = _longest_piece(words, keys[k:], pos)
        if piece is None:
            problems.append(f"“{run[k].text}” is not the reader's word here (or is out of order)")
            k += 1
            previous_end = None  # a replaced word: the next piece may be anywhere after
            continue
        i, length = piece
        if previous_end is not None and i != previous_end:
            problems.append(
                f"words cut between “{run[k - 1].text}” and “{run[k].text}” without “…”"
            )
        kept.update(range(i, i + length))
        pos = previous_end = i + length
        k += length
    return pos


def _dropped_negations(original: str, reply: list[_Token], kept: set[int]) -> list[str]:
    """Negations cut from sentences of which something is still quoted."""
    ends = [m.start() for m in _SENTENCE_END.finditer(original)]
    sentence_of = [sum(1 for e in ends if e < t.start) for t in reply]
    quoted = {sentence_of[i] for i in kept}
    warnings: list[str] = []
    for i, token in enumerate(reply):
        if i in kept or sentence_of[i] not in quoted or not is_negation(token.text):
            continue
        first, last = reply[max(0, i - 4)], reply[min(len(reply) - 1, i + 4)]
        context = " ".join(original[first.start : last.start + len(last.text)].split())
        warnings.append(f"dropped “{token.text}” from “…{context}…” — check the meaning")
    return warnings


def word_diff(original: str, excerpt: str) -> list[tuple[str, str]]:
    """The excerpt against the reply, word by word: ("=", kept), ("-", cut), ("+", added).

    Words are compared without case and punctuation, so "them." → "them …" is a kept word
    and an added "…", as an editor reads it."""
    a, b = original.split(), excerpt.split()

    def key(word: str) -> str:
        return "".join(_WORD.findall(word.casefold().replace("’", "'"))) or word

    matcher = difflib.SequenceMatcher(None, [key(w) for w in a], [key(w) for w in b], False)
    out: list[tuple[str, str]] = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            out.append(("=", " ".join(b[j1:j2])))
            continue
        if i2 > i1:
            out.append(("-", " ".join(a[i1:i2])))
        if j2 > j1:
            out.append(("+", " ".join(b[j1:j2])))
    return out
