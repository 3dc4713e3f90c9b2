"""Position: logistic regression over [answer cues ⊕ prototype similarity ⊕ embedding ⊕ words].

Trained per question on the config (each position's description and example sentences) plus
every editor correction. On day one the cues and the similarity to each position's examples
carry it; each correction adds a reply in the editors' readers' own wording.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy import sparse  # type: ignore[import-untyped]
from sklearn.feature_extraction.text import TfidfVectorizer  # type: ignore[import-untyped]
from sklearn.linear_model import LogisticRegression  # type: ignore[import-untyped]

from curator.questions import Question
from curator.tagging.cues import cue_matrix
from curator.tagging.embed import Matrix
from curator.tagging.text import normalise


@dataclass(frozen=True)
class PositionSettings:
    # How much each block of features counts against the L2 penalty (bigger = trusted more).
    cue_weight: float = 2.0
    similarity_weight: float = 4.0
    embedding_weight: float = 1.0
    words_weight: float = 1.0
    # Inverse regularisation strength of the logistic regression.
    c: float = 1.0
    # A correction counts this many times a config example.
    correction_weight: float = 2.0
    description_weight: float = 0.5


def position_seed_texts(question: Question) -> tuple[list[str], list[str], list[float]]:
    """(texts, keys, weights) that the config gives for each position."""
    texts: list[str] = []
    keys: list[str] = []
    weights: list[float] = []
    s = PositionSettings()
    for p in question.positions:
        desc = " ".join(x for x in (p.label, p.description) if x)
        if desc:
            texts.append(desc)
            keys.append(p.key)
            weights.append(s.description_weight)
        for example in p.examples:
            texts.append(example)
            keys.append(p.key)
            weights.append(1.0)
    return texts, keys, weights


class PositionModel:
    def __init__(
        self,
        keys: Sequence[str],
        prototypes: list[Matrix],
        settings: PositionSettings,
    ) -> None:
        self.keys = tuple(keys)
        self.prototypes = prototypes  # per position: its example/description vectors
        self.settings = settings
        self.words = TfidfVectorizer(
            analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True, min_df=1, max_features=40_000
        )
        self.classifier = LogisticRegression(
            C=settings.c, class_weight="balanced", max_iter=2000
        )
        self._only: str | None = None

    def _similarities(self, vectors: Matrix) -> npt.NDArray[np.float64]:
        columns = [np.max(vectors @ proto.T, axis=1) for proto in self.prototypes]
        sims = np.stack(columns, axis=1).astype(np.float64)
        # Relative to the other positions: the absolute level says more about length and topic.
        return sims - sims.mean(axis=1, keepdims=True)

    def _features(self, texts: Sequence[str], vectors: Matrix, *, fit: bool) -> sparse.csr_matrix:
        s = self.settings
        clean = [normalise(t) for t in texts]
        blocks = [
            sparse.csr_matrix(cue_matrix(clean).astype(np.float64) * s.cue_weight),
            sparse.csr_matrix(self._similarities(vectors) * s.similarity_weight),
            sparse.csr_matrix(vectors.astype(np.float64) * s.embedding_weight),
        ]
        if s.words_weight > 0:
            words = self.words.fit_transform(clean) if fit else self.words.transform(clean)
            blocks.append(words * s.words_weight)
        return sparse.hstack(blocks, format="csr")

    def fit(
        self, texts: Sequence[str], vectors: Matrix, keys: Sequence[str], weights: Sequence[float]
    ) -> PositionModel:
        classes = sorted(set(keys))
        if len(classes) == 1:
            self._only = classes[0]
            return self
        x = self._features(texts, vectors, fit=True)
        self.classifier.fit(x, list(keys), sample_weight=np.asarray(weights, dtype=np.float64))
        return self

    def predict_proba(self, texts: Sequence[str], vectors: Matrix) -> npt.NDArray[np.float64]:
        """Probabilities, one column per key of ``self.keys`` (0 for keys never trained)."""
        out = np.zeros((len(texts), len(self.keys)), dtype=np.float64)
        if not texts:
            return out
        if self._only is not None:
            out[:, self.keys.index(self._only)] = 1.0
            return out
        proba = self.classifier.predict_proba(self._features(texts, vectors, fit=False))
        for j, cls in enumerate(self.classifier.classes_):
            out[:, self.keys.index(str(cls))] = proba[:, j]
        return out
