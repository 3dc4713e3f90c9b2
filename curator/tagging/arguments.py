"""Arguments: rank a question's themes for a reply, best first.

Zero-shot from the config: each theme is its label, description and examples; a reply scores a
theme by its best-matching sentence (embedding cosine), calibrated per theme against the other
config texts so that a theme that is close to everything does not win everywhere, plus a
lexical match on the theme's distinctive words (names, places, terms such as "Geneva").
Editors' corrections add the matching sentences of tagged replies as new examples of a theme.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from curator.questions import Question
from curator.tagging.embed import Matrix
from curator.tagging.text import words

# Short function words of the languages the cues cover; they carry no theme.
_STOP = frozenset(
    """the and that this with from they them their there have has had were was are for not but
    would could should will can into than then about what which when where who whom because
    also just only very more most some such other these those being been does did done
    ihre sind nicht eine einer einen dass oder aber auch wenn sich pour avec dans sont mais
    pas qui que les des une para como pero porque esta este della degli sono anche perché
    jest się oraz które это что как для они так""".split()
)
_STEM_LEN = 6


def _stems(text: str) -> set[str]:
    return {w[:_STEM_LEN] for w in words(text) if len(w) >= 4 and w not in _STOP}


@dataclass(frozen=True)
class ArgumentSettings:
    lexical_weight: float = 1.0
    text_weight: float = 0.3  # whole-reply similarity next to the best sentence's
    top_sentences: int = 2


class ArgumentModel:
    def __init__(self, question: Question, settings: ArgumentSettings | None = None) -> None:
        self.keys = tuple(a.key for a in question.arguments)
        self.settings = settings or ArgumentSettings()
        self.theme_texts: list[list[str]] = [
            [" ".join(x for x in (a.label + ".", a.description) if x), *a.examples]
            for a in question.arguments
        ]
        self._prototypes: list[Matrix] = []
        self._mu = np.zeros(len(self.keys))
        self._sd = np.ones(len(self.keys))
        self._lexicon: list[Counter[str]] = [Counter() for _ in self.keys]
        self._idf: dict[str, float] = {}

    # -- fitting -------------------------------------------------------------------------

    def fit(
        self,
        theme_vectors: list[Matrix],
        background: Matrix,
        background_owner: Sequence[int],
        extra: Sequence[tuple[int, str, Matrix]] = (),
    ) -> ArgumentModel:
        """``theme_vectors[k]``: vectors of theme k's config texts. ``background``: every config
        text's vector, ``background_owner[i]`` the theme it belongs to (-1 for none).
        ``extra``: (theme, reply text, reply sentence vectors) from editors' corrections."""
        prototypes = [v.copy() for v in theme_vectors]
        for k, texts in enumerate(self.theme_texts):
            for t in texts:
                self._lexicon[k].update(_stems(t))
        for k, text, sent_vectors in extra:
            if len(sent_vectors) == 0:
                continue
            best = int(np.argmax(np.max(sent_vectors @ prototypes[k].T, axis=1)))
            prototypes[k] = np.vstack([prototypes[k], sent_vectors[best : best + 1]])
            self._lexicon[k].update(_stems(text))
        self._prototypes = prototypes
        df: Counter[str] = Counter()
        for lex in self._lexicon:
            df.update(lex.keys())
        n = max(len(self.keys), 1)
        self._idf = {w: math.log((n + 1) / (c + 0.5)) for w, c in df.items()}
        owners = np.asarray(background_owner)
        for k in range(len(self.keys)):
            others = background[owners != k]
            if len(others) < 2:
                continue
            raw = np.max(others @ prototypes[k].T, axis=1)
            self._mu[k] = float(raw.mean())
            self._sd[k] = float(raw.std()) + 0.02
        return self

    # -- scoring -------------------------------------------------------------------------

    def _lexical(self, text: str) -> npt.NDArray[np.float64]:
        stems = _stems(text)
        out = np.zeros(len(self.keys))
        if not stems:
            return out
        for k, lex in enumerate(self._lexicon):
            hit = sum(self._idf.get(w, 0.0) for w in stems if w in lex)
            out[k] = hit
        return out / (1.0 + math.sqrt(len(stems)) * 0.5)

    def scores(self, text: str, sent_vectors: Matrix, text_vector: Matrix) -> npt.NDArray[np.float64]:
        s = self.settings
        out = np.zeros(len(self.keys))
        if not self.keys or len(sent_vectors) == 0:
            return out
        for k, proto in enumerate(self._prototypes):
            per_sentence = np.sort(np.max(sent_vectors @ proto.T, axis=1))[::-1]
            best = float(per_sentence[: s.top_sentences].mean())
            whole = float(np.max(text_vector @ proto.T))
            raw = (1 - s.text_weight) * best + s.text_weight * whole
            out[k] = (raw - self._mu[k]) / self._sd[k]
        return out + s.lexical_weight * self._lexical(text)
