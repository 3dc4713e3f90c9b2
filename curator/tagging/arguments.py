"""Arguments: rank a question's themes for a reply, best first.

Zero-shot from the config: each theme is its label, description and examples; a reply scores a
theme by its best-matching sentence (embedding cosine), calibrated per theme against the other
config texts so that a theme that is close to everything does not win everywhere, plus a
lexical match on the theme's distinctive words (names, places, terms such as "Geneva").
Editors' corrections add the matching sentences of tagged replies as new examples of a theme.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from curator.questions import Question
from curator.tagging.embed import Matrix
from curator.tagging.text import words

# Short function words of the languages the cues cover; they carry no theme.
_STOP_WORDS = """
    the and that this with from they them their there have has had were was are for not but
    would could should will can into than then about what which when where who whom because
    also just only very more most some such other these those being been does did done
    ihre sind nicht eine einer einen dass oder aber auch wenn sich pour avec dans sont mais
    pas qui que les des une para como pero porque esta este della degli sono anche perché
    jest się oraz które это что как для они так"""
_STOP = frozenset(_STOP_WORDS.split())
_STEM_LEN = 6


def _stems(text: str) -> set[str]:
    return {w[:_STEM_LEN] for w in words(text) if len(w) >= 4 and w not in _STOP}


@dataclass(frozen=True)
class ArgumentSettings:
    # The theme's own words count for much: top-3 recall with weight 0 / 1 / 2: signal_dev
    # 0.30 / 0.52 / 0.55, four_day_week 0.48 / 0.55 / 0.55, teen_social_media 0.71 / 0.78 / 0.78.
    lexical_weight: float = 2.0
    text_weight: float = 0.3  # whole-reply similarity next to the best sentence's
    top_sentences: int = 2
    lend_above: float = 2.0  # z-score a corrected reply's sentence needs to join a theme
    calibrate_on_replies: bool = True
    # Nearness to corrected replies with vs without the theme. Off: after 20 corrections it
    # cost top-3 recall on all three evaluation questions (0.5 / 0: signal_dev 0.536 / 0.549,
    # four_day_week 0.615 / 0.628, teen_social_media 0.605 / 0.711; 3 draws).
    neighbour_weight: float = 0.0


class ArgumentModel:
    def __init__(self, question: Question, settings: ArgumentSettings | None = None) -> None:
        self.keys = tuple(a.key for a in question.arguments)
        self.settings = settings or ArgumentSettings()
        self.theme_texts: list[list[str]] = [
            [" ".join(x for x in (a.label + ".", a.description) if x), *a.examples]
            for a in question.arguments
        ]
        self._prototypes: list[Matrix] = []
        self._stacked = np.zeros((0, 1), dtype=np.float32)
        self._starts = np.zeros(0, dtype=np.intp)
        self._mu = np.zeros(len(self.keys))
        self._sd = np.ones(len(self.keys))
        self._lexicon: list[Counter[str]] = [Counter() for _ in self.keys]
        self._replies = np.zeros((0, 1), dtype=np.float32)
        self._reply_themes = np.zeros((0, len(self.keys)), dtype=bool)
        self._idf: dict[str, float] = {}
        self._stem_column: dict[str, int] = {}
        self._lexical_weights = np.zeros((len(self.keys), 0))

    # -- fitting -------------------------------------------------------------------------

    def fit(
        self,
        theme_vectors: list[Matrix],
        background: Matrix,
        background_owner: Sequence[int],
        extra: Sequence[tuple[int, str, Matrix]] = (),
        replies: Sequence[tuple[frozenset[int], Matrix]] = (),
    ) -> ArgumentModel:
        """``theme_vectors[k]``: vectors of theme k's config texts. ``background``: every config
        text's vector, ``background_owner[i]`` the theme it belongs to (-1 for none).
        ``extra``: (theme, reply text, reply sentence vectors) from editors' corrections;
        ``replies``: each corrected reply's themes and sentence vectors, which join the
        background so that a theme that gained a real reply's sentence is calibrated on real
        replies too (a reply's sentences are closer to other replies than config text is)."""
        prototypes = [v.copy() for v in theme_vectors]
        for k, texts in enumerate(self.theme_texts):
            for t in texts:
                self._lexicon[k].update(_stems(t))
        self._calibrate(prototypes, background, background_owner, replies)
        # A corrected reply lends a theme its sentence closest to that theme, but only when the
        # sentence is clearly about it (a long reply's other sentences would blur the theme).
        for k, _text, sent_vectors in extra:
            if len(sent_vectors) == 0:
                continue
            closeness = np.max(sent_vectors @ prototypes[k].T, axis=1)
            best = int(np.argmax(closeness))
            if (closeness[best] - self._mu[k]) / self._sd[k] >= self.settings.lend_above:
                prototypes[k] = np.vstack([prototypes[k], sent_vectors[best : best + 1]])
        self._prototypes = prototypes
        # All prototypes in one matrix, theme by theme, for one matrix product per reply.
        self._stacked = np.vstack(prototypes) if prototypes else np.zeros((0, 1), np.float32)
        self._starts = np.cumsum([0] + [len(p) for p in prototypes[:-1]]).astype(np.intp)
        df: Counter[str] = Counter()
        for lex in self._lexicon:
            df.update(lex.keys())
        n = max(len(self.keys), 1)
        self._idf = {w: math.log((n + 1) / (c + 0.5)) for w, c in df.items()}
        # stem -> column; column j of _lexical_weights: the stem's idf for each theme using it
        self._stem_column = {w: j for j, w in enumerate(sorted(df))}
        self._lexical_weights = np.zeros((len(self.keys), len(self._stem_column)))
        for k, lex in enumerate(self._lexicon):
            for w in lex:
                self._lexical_weights[k, self._stem_column[w]] = self._idf[w]
        self._calibrate(prototypes, background, background_owner, replies)
        pooled = [v.mean(axis=0) for _, v in replies if len(v)]
        if pooled:
            m = np.stack(pooled)
            self._replies = m / np.maximum(np.linalg.norm(m, axis=1, keepdims=True), 1e-9)
            self._reply_themes = np.asarray(
                [[k in themes for k in range(len(self.keys))] for themes, v in replies if len(v)]
            )
        return self

    def _calibrate(
        self,
        prototypes: list[Matrix],
        background: Matrix,
        background_owner: Sequence[int],
        replies: Sequence[tuple[frozenset[int], Matrix]],
    ) -> None:
        owners = [frozenset({o}) for o in background_owner]
        rows = [background]
        for themes, sent_vectors in replies if self.settings.calibrate_on_replies else ():
            rows.append(sent_vectors)
            owners += [themes] * len(sent_vectors)
        everything = np.vstack(rows)
        for k in range(len(self.keys)):
            others = everything[[k not in o for o in owners]]
            if len(others) < 2:
                continue
            raw = np.max(others @ prototypes[k].T, axis=1)
            self._mu[k] = float(raw.mean())
            self._sd[k] = float(raw.std()) + 0.02

    # -- scoring -------------------------------------------------------------------------

    def _lexical(self, text: str) -> npt.NDArray[np.float64]:
        stems = _stems(text)
        if not stems:
            return np.zeros(len(self.keys))
        columns = [j for w in stems if (j := self._stem_column.get(w)) is not None]
        hits = self._lexical_weights[:, columns].sum(axis=1)
        return np.asarray(hits / (1.0 + math.sqrt(len(stems)) * 0.5), dtype=np.float64)

    def scores(
        self, texts: Sequence[str], sent_vectors: Sequence[Matrix], text_vectors: Matrix
    ) -> npt.NDArray[np.float64]:
        """Theme scores, one row per text (z-scores plus lexical and neighbour terms)."""
        s = self.settings
        out = np.zeros((len(texts), len(self.keys)))
        if not self.keys or not len(texts):
            return out
        sizes = [len(v) for v in sent_vectors]
        empty: Matrix = np.zeros((0, self._dim()), dtype=np.float32)
        flat: Matrix = np.vstack([v for v in sent_vectors if len(v)] or [empty])
        # Per sentence and theme: the best cosine to any of the theme's prototypes.
        per_sentence = np.maximum.reduceat(flat @ self._stacked.T, self._starts, axis=1)
        whole = np.maximum.reduceat(text_vectors @ self._stacked.T, self._starts, axis=1)
        start = 0
        for i, (text, n) in enumerate(zip(texts, sizes, strict=True)):
            if n == 0:
                continue
            block = per_sentence[start : start + n]
            start += n
            top = min(s.top_sentences, n)
            best = -np.sort(-block, axis=0)[:top].mean(axis=0)
            raw = (1 - s.text_weight) * best + s.text_weight * whole[i]
            out[i] = (raw - self._mu) / self._sd + s.lexical_weight * self._lexical(text)
            if len(self._replies) and s.neighbour_weight:
                out[i] += s.neighbour_weight * self._neighbours(text_vectors[i])
        return out

    def _dim(self) -> int:
        return int(self._stacked.shape[1])

    def _neighbours(self, vector: Matrix) -> npt.NDArray[np.float64]:
        """Per theme: how much nearer the reply is to corrected replies that have the theme
        than to those that do not (0 for themes no editor has tagged yet)."""
        sims = (self._replies @ vector).astype(np.float64)
        out = np.zeros(len(self.keys))
        spread = float(sims.std()) + 0.02
        for k in range(len(self.keys)):
            has = self._reply_themes[:, k]
            if has.any() and (~has).any():
                out[k] = (sims[has].max() - sims[~has].max()) / spread
        return out
