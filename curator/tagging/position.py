"""Position: a softmax over the question's positions, from config examples and corrections.

Two kinds of evidence (see ``softmax.py``):

* shared, per (reply, position): the reply echoes the position's label ("Let them in") in its
  opening or anywhere, or echoes it negated; it is close (embedding cosine) to the position's
  known answers — its examples, its description and every reply an editor has tagged with it
  (a training row is never compared with itself); its answer cues (yes / no / only if / I
  don't know) look like those of the position's examples. Nearness compares texts of one
  language only (a static embedding groups texts by language first). The reply names a
  condition or says a qualified yes ("yes, but only if...") and the position is the one the config
  describes with conditions. A reply that answers yes or no in its opening counts against
  the position whose config texts give no answer (the "no clear answer" one, whatever its key).
  These have a prior weight, so the config alone gives a sensible
  tagger on day one.
* per position, learned: answer cues of the opening and of the whole reply, and the reply's
  embedding. This is where corrections teach the readers' own wording.
"""

from __future__ import annotations

import zlib
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import pairwise

import numpy as np
import numpy.typing as npt

from curator.questions import Question
from curator.tagging.cues import NAMES, cue_matrix
from curator.tagging.echo import PositionEcho
from curator.tagging.embed import Matrix
from curator.tagging.softmax import Penalties, SharedSoftmax
from curator.tagging.text import words

Floats = npt.NDArray[np.float64]

PAIR_FEATURES: tuple[str, ...] = (
    "echo_open",
    "echo_any",
    "echo_open_flipped",
    "echo_any_flipped",
    "near_open",
    "near_whole",
    "near_whole_top",
    "cues_like_open",
    "cues_like_whole",
    "near_corrected",
    "same_as_corrected",
    "qualified_open",
    "qualified_whole",
    "condition_open",
    "condition_whole",
    "answered_open",
)
# Prior weights of PAIR_FEATURES (after standardising): an echo of the label in the opening is
# the strongest single sign, a negated echo points away, nearness and cue likeness add up.
# Nearness to corrected replies starts at zero: long replies are near each other by topic
# whatever their answer, so the data must show that it helps. A near copy of a corrected reply
# (the same answer sent twice, a reworded resend) takes the editor's tag: strong prior.
# A reply's qualified yes ("yes, but only if", "Take them if...") and, weaker, any condition it
# names ("only if", "provided", "case by case") count towards a position by how much its
# config texts name conditions (``_conditionality``): whichever position is the question's
# "under conditions" answer, whatever its key. Config-only macro-F1 without / with these four:
# signal_dev 0.580 / 0.642, four_day_week 0.801 / 0.802, teen_social_media 0.575 / 0.575
# (no position of its config names a condition); +20 corrections over 10 draws 0.593 / 0.635,
# 0.786 / 0.797, 0.584 / 0.584.
# An answer in the opening (yes, no, a yes- or no-verb, a condition) counts against a position
# by the share of its config texts that answer nothing (``_answerless``): a bare "Nope." was
# near the short "no answer" examples. With it and the firmer bias penalty below, config-only
# macro-F1 signal_dev 0.642 -> 0.656, four_day_week 0.802 -> 0.854, teen_social_media 0.575 ->
# 0.575; +20 corrections over 10 draws 0.635 -> 0.643, 0.797 -> 0.824, 0.584 -> 0.583.
PRIOR = (1.5, 0.5, -1.0, -0.3, 1.0, 1.0, 0.5, 1.0, 0.5, 0.0, 3.0, 2.0, 1.0, 1.0, 0.5, -1.0)
# Share of word pairs above which a reply counts as a near copy of a corrected one (ramps up
# to 1 for a full copy). Lexical, not embedding cosine: long replies are all close in a
# static embedding.
SAME_ABOVE = 0.5


@dataclass(frozen=True)
class PositionSettings:
    prior: tuple[float, ...] = PRIOR
    # L2 penalties: pull towards the prior, on per-position weights, on biases; with no
    # corrections the prior pull is stronger (15 config sentences should not overturn it).
    prior_pull: float = 0.3
    # Pull of a refit towards the config-only solution. On all three evaluation questions a
    # freer refit moved the model the wrong way (held-out macro-F1 over draws of 20
    # corrections, pull 0.3 / 3 / 10): signal_dev 0.61 / 0.65 / 0.67, four_day_week 0.77 /
    # 0.78 / 0.78, teen_social_media (3 / 10 only) 0.40 / 0.43. Even at 10 the refit does not
    # beat the config alone: the readers' long replies teach these features little.
    refit_pull: float = 10.0
    prior_pull_config_only: float = 1.0
    reply_penalty: float = 1.0
    # Biases of the config-only fit. At 0.1 the "no clear answer" position, whose examples are
    # unlike all others, took a bias of +0.2..0.3 on all three questions; at 1.0 it stays near
    # 0 (config-only macro-F1 0.642 / 0.802 / 0.575 -> 0.655 / 0.834 / 0.575 alone).
    bias_penalty: float = 1.0
    embedding_weight: float = 0.5
    words_weight: float = 0.5
    word_dim: int = 2048
    # A correction counts this many times a config example.
    correction_weight: float = 1.0
    description_weight: float = 0.5
    neighbours: int = 3
    # Nearness only within the reply's language (see _language_mask). Config-only macro-F1
    # without / with: signal_dev 0.679 / 0.580, four_day_week 0.807 / 0.801,
    # teen_social_media (blind) 0.456 / 0.575; +20 corrections (10 draws) 0.672 / 0.593,
    # 0.784 / 0.786, 0.427 / 0.584. signal_dev's replies in Spanish, French or Russian had
    # been pulled towards "admit" by its one German example.
    same_language: bool = True
    clip: float = 2.5
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
    # Each text's language (None: too short to tell); nearness is measured within one.
    languages: Sequence[str | None] = ()


def word_grams(texts: Sequence[str], dim: int) -> Floats:
    """Words and word pairs hashed into ``dim`` columns (crc32, so stable across runs),
    log-scaled and L2-normalised: the readers' own wording, for corrections to teach."""
    out = np.zeros((len(texts), dim))
    for i, text in enumerate(texts):
        toks = words(text)
        for gram in [*toks, *(f"{a} {b}" for a, b in pairwise(toks))]:
            out[i, zlib.crc32(gram.encode()) % dim] += 1.0
    out = np.log1p(out)
    norms = np.linalg.norm(out, axis=1, keepdims=True)
    return np.asarray(out / np.where(norms > 0, norms, 1.0), dtype=np.float64)


def _pairs_of(text: str) -> frozenset[tuple[str, str]]:
    toks = words(text)
    return frozenset(pairwise(toks)) if len(toks) > 1 else frozenset((t, "") for t in toks)


def _centre(m: Floats) -> Floats:
    return np.asarray(m - m.mean(axis=1, keepdims=True), dtype=np.float64)


_QUALIFIED = NAMES.index("qualified_yes")
_CONDITION = NAMES.index("conditional")
_CONDITION_CUES = [NAMES.index(n) for n in ("conditional", "qualified_yes")]
_ANSWER_CUES = [
    NAMES.index(n)
    for n in ("yes_any", "no_any", "pro_verb", "con_verb", "conditional", "qualified_yes")
]


def _answered(cues: Floats) -> Floats:
    """How plainly a text answers (its strongest yes / no / condition cue), 0..1."""
    return np.asarray(cues[:, _ANSWER_CUES].max(axis=1, initial=0.0), dtype=np.float64)


def _answerless(cues: Floats, y: npt.NDArray[np.int64], weights: Floats, k: int) -> Floats:
    """Per position, the (weighted) share of its config texts with no answer cue at all: how
    much it is the question's "no clear answer" position, whatever its key."""
    return _share(np.asarray(_answered(cues) == 0), y, weights, k)


def _conditionality(cues: Floats, y: npt.NDArray[np.int64], weights: Floats, k: int) -> Floats:
    """Per position, the (weighted) share of its config texts that name a condition ("only
    if", "provided", "yes, but only..."): how much it is the question's "under conditions"
    answer. A qualified yes in a reply counts towards a position by this share, so the cue
    serves whichever position the config describes with conditions, whatever its key; a
    question without such a position (all shares 0) gets nothing from it."""
    return _share(np.asarray((cues[:, _CONDITION_CUES] > 0).any(axis=1)), y, weights, k)


def _share(
    marked: npt.NDArray[np.bool_], y: npt.NDArray[np.int64], weights: Floats, k: int
) -> Floats:
    """Per position, the weighted share of its config texts that are ``marked``."""
    total = np.bincount(y, weights=weights, minlength=k)
    named = np.bincount(y, weights=weights * marked.astype(np.float64), minlength=k)
    return np.asarray(named / np.where(total > 0, total, 1.0), dtype=np.float64)


class PositionModel:
    def __init__(self, question: Question, settings: PositionSettings) -> None:
        self.keys = tuple(p.key for p in question.positions)
        self.echo = PositionEcho(question.positions)
        self.settings = settings
        self._known = np.zeros((0, 1), dtype=np.float32)
        self._known_opening = np.zeros((0, 1), dtype=np.float32)
        self._known_grams: list[frozenset[tuple[str, str]]] = []
        self._gram_postings: dict[tuple[str, str], list[int]] = {}
        self._known_keys = np.zeros(0, dtype=np.int64)
        self._known_languages: list[str | None] = []
        self._known_corrected = np.zeros(0, dtype=bool)
        self._profiles: Floats = np.zeros((len(self.keys), 0))
        self._conditionality: Floats = np.zeros(len(self.keys))
        self._answerless: Floats = np.zeros(len(self.keys))
        self._pair_mean: Floats = np.zeros(len(PAIR_FEATURES))
        self._pair_scale: Floats = np.ones(len(PAIR_FEATURES))
        self._x_mean: Floats = np.zeros(0)
        self._x_scale: Floats = np.ones(0)
        self.model = SharedSoftmax(np.asarray(settings.prior), settings.penalties)

    def _language_mask(
        self, sims: Floats, languages: Sequence[str | None], source: bool
    ) -> npt.NDArray[np.bool_]:
        """Hide known texts in another language than the reply (in place), and return the
        replies for which some position is left without a known text in their language.

        A static embedding places texts by language before meaning: with one German example
        among a position's, every German reply would be "near" that position."""
        uncovered = np.zeros(len(sims), dtype=bool)
        if not self.settings.same_language or not languages or not self._known_languages:
            return uncovered
        known_lang = self._known_languages
        mine = self._known_corrected == source
        for lang in {x for x in languages if x is not None}:
            rows = np.asarray([x == lang for x in languages])
            other = np.asarray([k is not None and k != lang for k in known_lang])
            sims[np.ix_(rows, other)] = -1.0
            pool = mine & ~other
            uncovered[rows] = any(
                not (pool & (self._known_keys == j)).any() for j in range(len(self.keys))
            )
        return uncovered

    def _near(
        self,
        vectors: Matrix,
        exclude_self: bool,
        source: bool,
        known: Matrix | None = None,
        languages: Sequence[str | None] = (),
    ) -> tuple[Floats, Floats]:
        """Per position: cosine to its nearest known answer, and mean of the nearest few;
        among config texts (``source`` False) or corrected replies (True)."""
        sims = (vectors @ (self._known if known is None else known).T).astype(np.float64)
        if exclude_self:
            np.fill_diagonal(sims, -1.0)
        uncovered = self._language_mask(sims, languages, source)
        best = np.zeros((len(vectors), len(self.keys)))
        top = np.zeros_like(best)
        for j in range(len(self.keys)):
            own = sims[:, (self._known_keys == j) & (self._known_corrected == source)]
            if own.shape[1] == 0:
                continue
            ranked = -np.sort(-own, axis=1)
            best[:, j] = ranked[:, 0]
            top[:, j] = ranked[:, : self.settings.neighbours].mean(axis=1)
        # A reply in a language that some position has no text in: nearness cannot compare
        # the positions fairly, so it says nothing.
        best[uncovered] = 0.0
        top[uncovered] = 0.0
        if source and not self._known_corrected.any():
            return best, top
        return _centre(best), _centre(top)

    def _same_as_corrected(self, texts: Sequence[str], exclude_self: bool) -> Floats:
        """Per position: how nearly the text copies a reply an editor tagged with it (word
        pairs shared, over the shorter text's), 0 below ``SAME_ABOVE``, 1 for a copy."""
        out = np.zeros((len(texts), len(self.keys)))
        if not self._gram_postings:
            return out
        for i, text in enumerate(texts):
            mine = _pairs_of(text)
            if not mine:
                continue
            shared: Counter[int] = Counter()
            for gram in mine:
                shared.update(self._gram_postings.get(gram, ()))
            for r, count in shared.items():
                if exclude_self and r == i:
                    continue
                overlap = count / min(len(mine), len(self._known_grams[r]))
                level = min(max((overlap - SAME_ABOVE) / (1.0 - SAME_ABOVE), 0.0), 1.0)
                j = self._known_keys[r]
                out[i, j] = max(out[i, j], level)
        return out

    def _pairs(self, views: Views, cues_open: Floats, cues_whole: Floats, fit: bool) -> Floats:
        echo_open = self.echo.features(views.opening_texts)
        echo_any = self.echo.features(views.texts)
        langs = views.languages
        near_open, _ = self._near(views.opening, fit, False, languages=langs)
        near_whole, near_top = self._near(views.whole, fit, False, languages=langs)
        near_corrected, _ = self._near(views.opening, fit, True, self._known_opening, langs)
        same = self._same_as_corrected(views.texts, fit)
        like_open = _centre(cues_open @ self._profiles.T)
        like_whole = _centre(cues_whole @ self._profiles.T)
        phi = np.stack(
            [
                echo_open[:, 0::2],
                echo_any[:, 0::2],
                echo_open[:, 1::2],
                echo_any[:, 1::2],
                near_open,
                near_whole,
                near_top,
                like_open,
                like_whole,
                near_corrected,
                same,
                *(
                    cues[:, [cue]] * self._conditionality
                    for cue in (_QUALIFIED, _CONDITION)
                    for cues in (cues_open, cues_whole)
                ),
                _answered(cues_open)[:, None] * self._answerless,
            ],
            axis=2,
        )
        if fit:
            # Scale from the config rows, as the prior weights assume; the nearness to corrected
            # replies from the corrected rows, the only ones where it is meaningful.
            corrected = self._known_corrected
            config = phi[~corrected].reshape(-1, phi.shape[2])
            self._pair_mean = config.mean(axis=0)
            self._pair_scale = config.std(axis=0) + 1e-3
            if corrected.any():
                rows = phi[corrected].reshape(-1, phi.shape[2])
                for i, name in enumerate(PAIR_FEATURES):
                    if name == "near_corrected":
                        self._pair_mean[i] = rows[:, i].mean()
                        self._pair_scale[i] = rows[:, i].std() + 1e-3
            # Echoes, near copies and conditions keep their 0..1 scale: they should mean the
            # same always (and few config rows have a condition to take a scale from).
            for i, name in enumerate(PAIR_FEATURES):
                fixed = name.startswith(("echo", "qualified", "condition", "answered"))
                if fixed or name == "same_as_corrected":
                    self._pair_mean[i], self._pair_scale[i] = 0.0, 1.0
        # Clipped: the scale comes from a handful of short config sentences, and a reply unlike
        # all of them (another script, a long essay) must not get an extreme vote from it.
        z = (phi - self._pair_mean) / self._pair_scale
        return np.clip(z, -self.settings.clip, self.settings.clip)

    def _design(self, views: Views, fit: bool) -> tuple[Floats, Floats]:
        cues_open = cue_matrix(views.opening_texts).astype(np.float64)
        cues_whole = cue_matrix(views.texts).astype(np.float64)
        phi = self._pairs(views, cues_open, cues_whole, fit)
        x = np.hstack([cues_open, cues_whole])
        if fit:
            config = x[~self._known_corrected]
            self._x_mean = config.mean(axis=0)
            self._x_scale = config.std(axis=0) + 0.1
        x = (x - self._x_mean) / self._x_scale
        emb = np.hstack([views.opening, views.whole]).astype(np.float64)
        blocks = [x, emb * self.settings.embedding_weight * 10]
        if self.settings.words_weight:
            grams = word_grams(views.opening_texts, self.settings.word_dim)
            blocks.append(grams * self.settings.words_weight * 10)
        return phi, np.hstack(blocks)

    def fit(
        self, views: Views, keys: Sequence[str], weights: Sequence[float], *, corrected: int = 0
    ) -> PositionModel:
        s = self.settings
        y = np.asarray([self.keys.index(k) for k in keys], dtype=np.int64)
        self._known = views.whole
        self._known_opening = views.opening
        self._known_keys = y
        self._known_languages = list(views.languages)
        self._known_corrected = np.arange(len(y)) >= len(y) - corrected
        self._known_grams = [
            _pairs_of(t) if c else frozenset()
            for t, c in zip(views.texts, self._known_corrected, strict=True)
        ]
        self._gram_postings = {}
        for r, grams in enumerate(self._known_grams):
            for gram in grams:
                self._gram_postings.setdefault(gram, []).append(r)
        # What each position's answers look like in cues, from the config's own sentences:
        # they are written to be typical; corrections teach through the learned weights.
        config = ~self._known_corrected
        cues = cue_matrix([t for t, c in zip(views.opening_texts, config, strict=True) if c])
        cues64 = cues.astype(np.float64)
        overall = cues64.mean(axis=0)
        yc = y[config]
        self._profiles = np.stack(
            [
                cues64[yc == j].mean(axis=0) - overall
                if (yc == j).any()
                else np.zeros_like(overall)
                for j in range(len(self.keys))
            ]
        )
        self._conditionality = _conditionality(
            cues64, yc, np.asarray(weights)[config], len(self.keys)
        )
        self._answerless = _answerless(cues64, yc, np.asarray(weights)[config], len(self.keys))
        phi, x = self._design(views, fit=True)
        sw = np.asarray(weights, dtype=np.float64)
        config = ~self._known_corrected
        # First the config alone; corrections then move that solution only as far as they
        # must (a few noisy replies should not undo what the config says).
        self.model = SharedSoftmax(
            np.asarray(s.prior),
            Penalties(s.prior_pull_config_only, s.reply_penalty, s.bias_penalty),
        )
        self.model.fit(phi[config], x[config], y[config], sw[config])
        if corrected:
            base = self.model
            self.model = SharedSoftmax(
                base.w,
                Penalties(s.refit_pull, s.refit_pull, s.refit_pull),
                v0=base.v,
                b0=base.b,
            )
            self.model.fit(phi, x, y, sw)
        return self

    def predict_proba(self, views: Views) -> Floats:
        """Probabilities, one column per key of ``self.keys``."""
        if not len(views.texts):
            return np.zeros((0, len(self.keys)))
        phi, x = self._design(views, fit=False)
        return self.model.predict_proba(phi, x)
