"""Answer cues: how a reply says yes, no, "only if", or "I don't know", in many languages.

These are general features of answering a yes/no question, not of any one question: they say
nothing about draft dodgers or work weeks. The learned head (``position.py``) decides how much
each cue counts for each position of a question, from the config's examples and the editors'
corrections. Languages: en, de, fr, es, it, pt, nl, pl, ru, uk, et, with a few Nordic forms.

The phrase tables live in ``data/cues.toml``, one comment with examples per family.
"""

from __future__ import annotations

import bisect
import math
import re
import tomllib
from collections.abc import Iterable
from pathlib import Path

import numpy as np
import numpy.typing as npt

from curator.greeting import strip_greeting
from curator.tagging.text import fold, sentences

_LEXICON_FILE = Path(__file__).parent / "data" / "cues.toml"


def _load_lexicon() -> dict[str, tuple[str, ...]]:
    with _LEXICON_FILE.open("rb") as fh:
        return {k: tuple(v) for k, v in tomllib.load(fh).items()}


_LEXICON = _load_lexicon()
YES = _LEXICON["yes"]
NO = _LEXICON["no"]
AMBIGUOUS_ANSWER = frozenset(_LEXICON["ambiguous_answer"])
NEGATION = _LEXICON["negation"]
NEGATION_SUFFIXES = ("n't",)
CONDITIONAL = _LEXICON["conditional"]
ONLY = _LEXICON["only"]
IF = _LEXICON["if"]
NOT_CONDITION = _LEXICON["not_condition"]
RESTRICTIVE = _LEXICON["restrictive"]
CONTRAST = _LEXICON["contrast"]
HEDGE = _LEXICON["hedge"]
META = _LEXICON["meta"]
PRO_VERBS = _LEXICON["pro_verbs"]
CON_VERBS = _LEXICON["con_verbs"]

_WORD_IN_FOLDED = re.compile(r"[^\W_]+(?:'[^\W_]+)*")
_STANDALONE = re.compile(r"\s*(?:[,.!;:—–\-)]|$)")
_NEGATION_WORDS = frozenset(p for p in NEGATION if " " not in p)
_YES_WORDS = frozenset({"yes", "sì", "sí", "si", "da", "tak", "так", "да", "jah", "ja", "oui"})
_AMBIGUOUS_YES = frozenset({"si", "так", "sure", "indeed", "klar"})


_ENGLISH_ENDINGS = ("s", "es", "d", "ed", "ing")
_STEM_MIN = 5


class _PhraseIndex:
    """Phrase families matched on word tokens: one dictionary lookup per word, whatever the
    number of phrases. An English ending may follow the last word ("on conditions", "it
    depends", "refused"). Families in ``stemmed`` also match single long words by their stem,
    for inflecting languages: "accogliere" matches "accoglierei", "przyjąć" "przyjmę"."""

    def __init__(
        self, families: dict[str, Iterable[str]], stemmed: frozenset[str] = frozenset()
    ) -> None:
        # first word -> (the phrase's middle words, its last word's accepted forms, family, length)
        self.index: dict[str, list[tuple[tuple[str, ...], frozenset[str], str, int]]] = {}
        self.stems: dict[str, list[tuple[str, str]]] = {}
        for family, phrases in families.items():
            for phrase in phrases:
                toks = tuple(_WORD_IN_FOLDED.findall(phrase.casefold()))
                if not toks:
                    continue
                last = toks[-1]
                forms = frozenset({last} | {last + e for e in _ENGLISH_ENDINGS})
                if len(toks) == 1:
                    for form in forms:
                        self.index.setdefault(form, []).append(((), frozenset({form}), family, 1))
                else:
                    entry = (toks[1:-1], forms, family, len(toks))
                    self.index.setdefault(toks[0], []).append(entry)
                # English words have their endings above; stemming short ones would match
                # "approached" for "approve".
                long_enough = len(last) >= 8 or (not last.isascii() and len(last) >= 7)
                if family in stemmed and len(toks) == 1 and long_enough:
                    stem = last[: max(_STEM_MIN, len(last) - 3)]
                    self.stems.setdefault(stem[:_STEM_MIN], []).append((stem, family))
        for entries in self.index.values():
            entries.sort(key=lambda e: e[3], reverse=True)

    def find(self, toks: list[str]) -> dict[str, list[int]]:
        """Per family, the token index where each match starts (matches of one family do
        not overlap; the longest wins). ``not_condition_words`` lists every token inside a
        ``not_condition`` match: the "if" of "even if" is no condition."""
        found: dict[str, list[int]] = {}
        busy: dict[str, int] = {}
        end = len(toks)
        index, stems = self.index, self.stems
        # Most words start no phrase: skip them with one set lookup each.
        for i in [i for i, t in enumerate(toks) if t in index or t[:_STEM_MIN] in stems]:
            tok = toks[i]
            for middle, last_forms, family, n in index.get(tok, ()):
                if busy.get(family, 0) > i or i + n > end:
                    continue
                if n > 1 and (
                    toks[i + n - 1] not in last_forms or tuple(toks[i + 1 : i + n - 1]) != middle
                ):
                    continue
                found.setdefault(family, []).append(i)
                busy[family] = i + n
                if family == "not_condition":
                    found.setdefault("not_condition_words", []).extend(range(i, i + n))
            for stem, family in stems.get(tok[:_STEM_MIN], ()):
                if busy.get(family, 0) <= i and tok.startswith(stem):
                    found.setdefault(family, []).append(i)
                    busy[family] = i + 1
        return found


_PHRASES = _PhraseIndex(
    {
        "yes": [p for p in YES if p not in AMBIGUOUS_ANSWER],
        "no": [p for p in NO if p not in AMBIGUOUS_ANSWER],
        "ambiguous": AMBIGUOUS_ANSWER,
        "conditional": CONDITIONAL,
        "only": ONLY,
        "if": IF,
        "not_condition": NOT_CONDITION,
        "restrictive": RESTRICTIVE,
        "contrast": CONTRAST,
        "hedge": HEDGE,
        "meta": META,
        "pro": PRO_VERBS,
        "con": CON_VERBS,
    },
    stemmed=frozenset({"pro", "con"}),
)

NAMES: tuple[str, ...] = (
    "yes_open",
    "no_open",
    "yes_any",
    "no_any",
    "mixed_answer",
    "negation",
    "pro_verb",
    "con_verb",
    "conditional",
    "only",
    "if",
    "restrictive",
    "contrast",
    "yes_then_but",
    "qualified_yes",
    "hedge",
    "question",
    "opens_with_question",
    "meta",
    "length",
)
OPENING_WORDS = 6  # an answer word among the first six words "opens" the reply
# "Yes, but" with no condition named is a weaker sign of a qualified answer than "yes, if".
YES_BUT = 0.5
# Sentence ends in folded text, to tell which sentence a word is in.
_SENTENCE_BREAK = re.compile(r"[.!?;…]+(?=\s|$)")


def _is_negation(word: str) -> bool:
    return word in _NEGATION_WORDS or word.endswith(NEGATION_SUFFIXES)


def _squash(count: float, scale: float = 2.0) -> float:
    return 1.0 - math.exp(-count / scale)


def _qualified_yes(
    folded: str,
    spans: list[re.Match[str]],
    toks: list[str],
    found: dict[str, list[int]],
    yes_at: list[int],
    pro_at: list[int],
    if_at: list[int],
) -> float:
    """1 for a yes qualified by a condition ("Yes, but only if...", "Take them if they...",
    "Ja, sofern...", "Да, при условии..."): an answer word or an unnegated yes-verb with a
    condition in its sentence (for an answer word also in the next one: "Yes. Only if...");
    ``YES_BUT`` for "yes, but" / "ja, aber" / "да, но" with no condition named; else 0."""
    if not yes_at and not pro_at:
        return 0.0
    breaks = [m.start() for m in _SENTENCE_BREAK.finditer(folded)]

    def sentence(i: int) -> int:
        return bisect.bisect_right(breaks, spans[i].start())

    # "only" restricts unless negated: "not only in Finland" widens.
    only_at = [i for i in found.get("only", ()) if not (i and _is_negation(toks[i - 1]))]
    conditions = {sentence(i) for i in (*found.get("conditional", ()), *only_at, *if_at)}
    if any(sentence(i) in conditions for i in pro_at):
        return 1.0
    if any(sentence(i) in conditions or sentence(i) + 1 in conditions for i in yes_at):
        return 1.0
    contrast = set(found.get("contrast", ()))
    # The contrast right after the answer word ("yes, but"), or one word on ("yes, though").
    if any(i + 1 in contrast or i + 2 in contrast for i in yes_at):
        return YES_BUT
    return 0.0


def cue_vector(text: str) -> npt.NDArray[np.float32]:
    """The answer cues of one reply, each in [0, 1], in the order of ``NAMES``."""
    text = strip_greeting(text)
    folded = fold(text)
    spans = list(_WORD_IN_FOLDED.finditer(folded))
    toks = [m.group(0) for m in spans]
    n_words = max(len(toks), 1)
    sents = sentences(text)
    found = _PHRASES.find(toks)

    yes_at = list(found.get("yes", ()))
    no_at = list(found.get("no", ()))
    # "no", "si", "nie" ... are answers only when they stand alone: "No.", not "no reason".
    for i in found.get("ambiguous", ()):
        if _STANDALONE.match(folded, spans[i].end()):
            word = toks[i]
            (yes_at if word in _YES_WORDS or word in _AMBIGUOUS_YES else no_at).append(i)
    first_yes = min(yes_at, default=n_words)
    first_no = min(no_at, default=n_words)
    yes_open = first_yes < OPENING_WORDS and first_yes < first_no
    no_open = first_no < OPENING_WORDS and first_no < first_yes

    # Saying yes to a proposal ("accept", "let in") or no ("refuse"); a negation among the
    # three words before flips it ("we should not turn them away").
    pro = con = 0
    pro_at: list[int] = []
    for family, flipped in (("pro", False), ("con", True)):
        for i in found.get(family, ()):
            negated = any(_is_negation(w) for w in toks[max(0, i - 3) : i])
            if negated != flipped:
                con += 1
            else:
                pro += 1
                if not flipped:
                    pro_at.append(i)
    contrast_at = found.get("contrast", [])
    not_condition = set(found.get("not_condition_words", ()))
    if_at = [i for i in found.get("if", ()) if i not in not_condition]
    qualified = _qualified_yes(folded, spans, toks, found, yes_at, pro_at, if_at)
    negations = sum(1 for w in toks if w in _NEGATION_WORDS or w.endswith(NEGATION_SUFFIXES))
    questions = sum(1 for s in sents if s.rstrip().endswith("?"))

    def count(family: str) -> int:
        return len(found.get(family, ()))

    values = (
        float(yes_open),
        float(no_open),
        _squash(len(yes_at)),
        _squash(len(no_at)),
        float(bool(yes_at) and bool(no_at)),
        _squash(negations / math.sqrt(n_words) * 3),
        _squash(pro),
        _squash(con),
        _squash(count("conditional"), 1.0),
        _squash(count("only"), 1.0),
        _squash(len(if_at), 1.0),
        _squash(count("restrictive"), 1.0),
        _squash(len(contrast_at)),
        float(bool(yes_at) and any(c > first_yes for c in contrast_at)),
        qualified,
        _squash(count("hedge"), 1.0),
        questions / max(len(sents), 1),
        float(bool(sents) and sents[0].rstrip().endswith("?")),
        _squash(count("meta"), 1.0),
        min(math.log1p(n_words) / math.log(400), 1.0),
    )
    return np.asarray(values, dtype=np.float32)


def cue_matrix(texts: Iterable[str]) -> npt.NDArray[np.float32]:
    rows = [cue_vector(t) for t in texts]
    if not rows:
        return np.zeros((0, len(NAMES)), dtype=np.float32)
    return np.stack(rows)
