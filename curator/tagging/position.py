"""Position: a softmax over the question's positions, from config examples and corrections.

Two kinds of evidence (see ``softmax.py``):

* shared, per (reply, position): the reply echoes the position's label ("Let them in") in its
  opening or anywhere, or echoes it negated; it is close (embedding cosine) to the position's
  known answers — its examples, its description and every reply an editor has tagged with it
  (a training row is never compared with itself); its answer cues (yes / no / only if / I
  don't know) look like those of the position's examples. These have a prior weight, so the
  config alone gives a sensible tagger on day one.
* per position, learned: answer cues of the opening and of the whole reply, and the reply's
  embedding. This is where corrections teach the readers' own wording.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from curator.questions import Question
from curator.tagging.cues import cue_matrix
from curator.tagging.echo import PositionEcho
from curator.tagging.embed import Matrix
from curator.tagging.softmax import Penalties, SharedSoftmax

Floats = npt.NDArray[np.float64]

PAIR_FEATURES: tuple[str, ...] = (
    "echo_open", "echo_any", "echo_open_flipped", "echo_any_flipped",
    "near_open", "near_whole", "near_whole_top", "cues_like_open", "cues_like_whole",
)
# Prior weights of PAIR_FEATURES (after standardising): an echo of the label in the opening is
# the strongest single sign, a negated echo points away, nearness and cue likeness add up.
PRIOR = (1.5, 0.5, -1.0, -0.3, 1.0, 1.0, 0.5, 1.0, 0.5)


@dataclass(frozen=True)
class PositionSettings:
    prior: tuple[float, ...] = PRIOR
    # L2 penalties: pull towards the prior, on per-position weights, on biases; with no
    # corrections the prior pull is stronger (15 config sentences should not overturn it).
    prior_pull: float = 0.3
    prior_pull_config_only: float = 1.0
    reply_penalty: float = 0.1
    bias_penalty: float = 0.1
    embedding_weight: float = 0.5
    # A correction counts this many times a config example.
    correction_weight: float = 1.0
    description_weight: float = 0.5
    neighbours: int = 3
    penalties: Penalties = field(default_factory=Penalties)


def position_seed_texts(question: Question) -> tuple[list[str], list[str], list[float]]:
    """(texts, keys, weights) that the config gives for each position."""
    texts: list[str] = []
    keys: list[str] = []
    weights: list[float] = []
    s = PositionSettings()
    for p in question.positions:
        texts.append(" ".join(x for x in (p.label + ".", p.description) if x))
        keys.append(p.key)
        weights.append(s.description_weight)
        for example in p.examples:
            texts.append(example)
            keys.append(p.key)
            weights.append(1.0)
    return texts, keys, weights


@dataclass(frozen=True)
class Views:
    """What the head sees of a batch of texts."""

    texts: Sequence[str]
    whole: Matrix  # one vector per text
    opening: Matrix  # the first sentences' vector
    opening_texts: Sequence[str]


def _centre(m: Floats) -> Floats:
    return m - m.mean(axis=1, keepdims=True)


class PositionModel:
    def __init__(self, question: Question, settings: PositionSettings) -> None:
        self.keys = tuple(p.key for p in question.positions)
        self.echo = PositionEcho(question.positions)
        self.settings = settings
        self._known = np.zeros((0, 1), dtype=np.float32)
        self._known_keys = np.zeros(0, dtype=np.int64)
        self._profiles: Floats = np.zeros((len(self.keys), 0))
        self._pair_mean: Floats = np.zeros(len(PAIR_FEATURES))
        self._pair_scale: Floats = np.ones(len(PAIR_FEATURES))
        self._x_mean: Floats = np.zeros(0)
        self._x_scale: Floats = np.ones(0)
        self.model = SharedSoftmax(np.asarray(settings.prior), settings.penalties)

    def _near(self, vectors: Matrix, exclude_self: bool) -> tuple[Floats, Floats]:
        sims = (vectors @ self._known.T).astype(np.float64)
        if exclude_self:
            np.fill_diagonal(sims, -1.0)
        best = np.zeros((len(vectors), len(self.keys)))
        top = np.zeros_like(best)
        for j in range(len(self.keys)):
            own = sims[:, self._known_keys == j]
            if own.shape[1] == 0:
                continue
            ranked = -np.sort(-own, axis=1)
            best[:, j] = ranked[:, 0]
            top[:, j] = ranked[:, : self.settings.neighbours].mean(axis=1)
        return _centre(best), _centre(top)

    def _pairs(self, views: Views, cues_open: Floats, cues_whole: Floats, fit: bool) -> Floats:
        echo_open = self.echo.features(views.opening_texts)
        echo_any = self.echo.features(views.texts)
        near_open, _ = self._near(views.opening, fit)
        near_whole, near_top = self._near(views.whole, fit)
        like_open = _centre(cues_open @ self._profiles.T)
        like_whole = _centre(cues_whole @ self._profiles.T)
        phi = np.stack(
            [
                echo_open[:, 0::2], echo_any[:, 0::2], echo_open[:, 1::2], echo_any[:, 1::2],
                near_open, near_whole, near_top, like_open, like_whole,
            ],
            axis=2,
        )
        if fit:
            flat = phi.reshape(-1, phi.shape[2])
            self._pair_mean = flat.mean(axis=0)
            self._pair_scale = flat.std(axis=0) + 1e-3
            # Binary echo features keep their 0/1 scale: "echoed" should mean the same always.
            for i, name in enumerate(PAIR_FEATURES):
                if name.startswith("echo"):
                    self._pair_mean[i], self._pair_scale[i] = 0.0, 1.0
        return (phi - self._pair_mean) / self._pair_scale

    def _design(self, views: Views, fit: bool) -> tuple[Floats, Floats]:
        cues_open = cue_matrix(views.opening_texts).astype(np.float64)
        cues_whole = cue_matrix(views.texts).astype(np.float64)
        phi = self._pairs(views, cues_open, cues_whole, fit)
        x = np.hstack([cues_open, cues_whole])
        if fit:
            self._x_mean = x.mean(axis=0)
            self._x_scale = x.std(axis=0) + 0.1
        x = (x - self._x_mean) / self._x_scale
        emb = np.hstack([views.opening, views.whole]).astype(np.float64)
        return phi, np.hstack([x, emb * self.settings.embedding_weight * 10])

    def fit(
        self, views: Views, keys: Sequence[str], weights: Sequence[float], *, corrected: int = 0
    ) -> PositionModel:
        s = self.settings
        y = np.asarray([self.keys.index(k) for k in keys], dtype=np.int64)
        self._known = views.whole
        self._known_keys = y
        cues = cue_matrix(views.opening_texts).astype(np.float64)
        overall = cues.mean(axis=0)
        self._profiles = np.stack(
            [
                cues[y == j].mean(axis=0) - overall if (y == j).any() else np.zeros_like(overall)
                for j in range(len(self.keys))
            ]
        )
        phi, x = self._design(views, fit=True)
        pull = s.prior_pull if corrected else s.prior_pull_config_only
        self.model = SharedSoftmax(
            np.asarray(s.prior), Penalties(pull, s.reply_penalty, s.bias_penalty)
        )
        self.model.fit(phi, x, y, np.asarray(weights, dtype=np.float64))
        return self

    def predict_proba(self, views: Views) -> Floats:
        """Probabilities, one column per key of ``self.keys``."""
        if not len(views.texts):
            return np.zeros((0, len(self.keys)))
        phi, x = self._design(views, fit=False)
        return self.model.predict_proba(phi, x)
