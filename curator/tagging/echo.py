"""Echo features: does a reply repeat a position's own wording ("Let them in", "admit")?

Readers often answer in the words of the question or of the answer options an editor would
give ("Admit them.", "I would keep them out."). Each position's label and key are turned into a
loose phrase pattern: the same words in order, inflected endings allowed, up to three words
in between, pronouns optional ("let the poor devils in"). A negation just before the match
flips it ("I would not let them in"), unless the label itself is negative ("Don't adopt it").
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from curator.questions import Position
from curator.tagging.cues import NEGATION
from curator.tagging.text import fold

_WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)*")
_NEGATIONS = frozenset(w for w in NEGATION if " " not in w)
_GAP = r"(?:\W+[^\W_]+){0,3}?\W+"
# Pronouns and articles in a label ("Let them in", "Adopt it") need not be repeated.
_FILLER = frozenset(
    {"them", "it", "they", "this", "that", "the", "a", "an", "to", "of", "him", "her"}
)


def _word_pattern(word: str) -> str:
    if len(word) >= 6:
        return re.escape(word[:5]) + r"[^\W_]*"
    return re.escape(word)


def _phrase(words: Sequence[str]) -> re.Pattern[str]:
    body = _GAP.join(_word_pattern(w) for w in words)
    return re.compile(rf"(?<![^\W_]){body}(?![^\W_])")


def _is_negated(folded: str, start: int) -> bool:
    before = _WORD.findall(folded[max(0, start - 40) : start])[-3:]
    return any(w in _NEGATIONS or w.endswith("n't") for w in before)


class PositionEcho:
    """Per position: (label phrase found, negated) in a text."""

    def __init__(self, positions: Sequence[Position]) -> None:
        self.patterns: list[list[tuple[re.Pattern[str], bool]]] = []
        for p in positions:
            found: list[tuple[re.Pattern[str], bool]] = []
            for phrase in (p.label, p.key.replace("_", " ")):
                toks = _WORD.findall(fold(phrase))
                negative = any(t in _NEGATIONS or t.endswith("n't") for t in toks)
                content = [
                    t
                    for t in toks
                    if t not in _NEGATIONS and not t.endswith("n't") and t not in _FILLER
                ]
                if content:
                    found.append((_phrase(content), negative))
            self.patterns.append(found)

    def features(self, texts: Sequence[str]) -> npt.NDArray[np.float64]:
        """Two columns per position: echoed with the label's polarity, echoed flipped."""
        out = np.zeros((len(texts), 2 * len(self.patterns)), dtype=np.float64)
        for i, text in enumerate(texts):
            folded = fold(text)
            for j, patterns in enumerate(self.patterns):
                for pattern, negative in patterns:
                    for m in pattern.finditer(folded):
                        same = _is_negated(folded, m.start()) == negative
                        out[i, 2 * j + (0 if same else 1)] = 1.0
        return out
