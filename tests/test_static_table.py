"""The static token table: compact rows, throttled writes, a flush at exit, and a reload that
needs no model run."""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import pytest

from curator.tagging import embed

TEXTS = ["Let them in, they refused to fight.", "Nein. Sicherheitsrisiko.", "Да, конечно"]


@pytest.fixture(autouse=True)
def _fresh_tables() -> None:
    pytest.importorskip("onnxruntime")
    embed._static_table.cache_clear()


def test_rows_are_kept_for_known_tokens_only(tmp_path: Path) -> None:
    embedder = embed.StaticMiniLMEmbedder(tmp_path)
    embedder.encode(TEXTS)
    table = embed._static_table(tmp_path)
    ids = np.flatnonzero(table.row_of >= 0)
    assert 0 < table.count == len(ids) < 200  # a few dozen tokens, not the vocabulary
    columns, rows = table.ensure(ids)
    assert rows.shape == (table.count, 384)
    assert np.allclose(np.linalg.norm(rows[columns], axis=1), 1.0, atol=1e-4)


def test_new_tokens_between_writes_reach_the_disk_on_flush(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    embedder = embed.StaticMiniLMEmbedder(tmp_path)
    before = embedder.encode(TEXTS[:1])  # first new tokens: written at once
    table = embed._static_table(tmp_path)
    on_disk = table.count
    table.saved_at = time.monotonic()  # a write just happened: the next waits SAVE_EVERY
    later = embedder.encode(TEXTS)
    assert table.count > on_disk
    with np.load(next(tmp_path.glob("minilm-static-*.npz"))) as saved:
        assert len(saved["ids"]) == on_disk  # throttled
    table.flush()
    with np.load(next(tmp_path.glob("minilm-static-*.npz"))) as saved:
        assert len(saved["ids"]) == table.count

    # A new process: the table comes from disk and the model is never run.
    embed._static_table.cache_clear()

    def no_model(ids: object) -> None:
        raise AssertionError("the model ran for a token already on disk")

    monkeypatch.setattr(embed, "_run_tokens", no_model)
    again = embed.StaticMiniLMEmbedder(tmp_path)
    assert np.allclose(again.encode(TEXTS[:1]), before, atol=2e-3)  # stored as float16
    assert np.allclose(again.encode(TEXTS), later, atol=2e-3)
