"""A small softmax model with shared weights across answers, fitted with L-BFGS.

The score of answer k for reply i is ``phi[i, k] @ w + x[i] @ v[:, k] + b[k]``:

* ``phi`` holds features of the *pair* (reply, answer) — "the reply echoes this answer's
  label", "the reply is close to this answer's examples". Their weights ``w`` are shared by all
  answers, so they mean the same for any question and start from a prior ``w0`` that holds with
  no training data at all; data moves them only as far as it must (L2 pull towards ``w0``).
* ``x`` holds features of the reply alone (cues, embedding); ``v`` learns what they mean for
  each answer of this question, from the config's examples and the editors' corrections.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy.optimize import minimize  # type: ignore[import-untyped]

Floats = npt.NDArray[np.float64]


@dataclass(frozen=True)
class Penalties:
    prior: float = 1.0  # pull of w towards w0
    reply: float = 1.0  # L2 on v
    bias: float = 1.0  # L2 on b


class SharedSoftmax:
    def __init__(
        self,
        w0: Floats,
        penalties: Penalties,
        v0: Floats | None = None,
        b0: Floats | None = None,
    ) -> None:
        """``w0``: prior of the shared weights; ``v0``, ``b0``: what the per-answer weights and
        biases are pulled towards (zero by default; a config-only fit when refitting)."""
        self.w0 = np.asarray(w0, dtype=np.float64)
        self.v0 = v0
        self.b0 = b0
        self.penalties = penalties
        self.w = self.w0.copy()
        self.v: Floats = np.zeros((0, 0))
        self.b: Floats = np.zeros(0)

    def _unpack(self, theta: Floats, f: int, d: int, k: int) -> tuple[Floats, Floats, Floats]:
        w = theta[:f]
        v = theta[f : f + d * k].reshape(d, k)
        b = theta[f + d * k :]
        return w, v, b

    def fit(self, phi: Floats, x: Floats, y: npt.NDArray[np.int64], weights: Floats) -> None:
        n, k, f = phi.shape
        d = x.shape[1]
        onehot = np.zeros((n, k))
        onehot[np.arange(n), y] = 1.0
        # Balance the answers, as an editor's sample rarely is.
        counts = np.bincount(y, weights=weights, minlength=k)
        per_class = np.where(counts > 0, counts.sum() / (k * np.maximum(counts, 1e-9)), 0.0)
        sw = weights * per_class[y]
        sw = sw / sw.sum()
        p = self.penalties
        v0 = self.v0 if self.v0 is not None else np.zeros((d, k))
        b0 = self.b0 if self.b0 is not None else np.zeros(k)

        def loss(theta: Floats) -> tuple[float, Floats]:
            w, v, b = self._unpack(theta, f, d, k)
            z = phi @ w + x @ v + b
            z -= z.max(axis=1, keepdims=True)
            logp = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
            nll = -float((sw * (onehot * logp).sum(axis=1)).sum())
            g = (np.exp(logp) - onehot) * sw[:, None]  # d nll / d z
            dw = np.einsum("nk,nkf->f", g, phi) + 2 * p.prior * (w - self.w0)
            dv = x.T @ g + 2 * p.reply * (v - v0)
            db = g.sum(axis=0) + 2 * p.bias * (b - b0)
            reg = (
                p.prior * float(((w - self.w0) ** 2).sum())
                + p.reply * float(((v - v0) ** 2).sum())
                + p.bias * float(((b - b0) ** 2).sum())
            )
            return nll + reg, np.concatenate([dw, dv.ravel(), db])

        theta0 = np.concatenate([self.w0, v0.ravel(), b0])
        result = minimize(loss, theta0, jac=True, method="L-BFGS-B", options={"maxiter": 500})
        self.w, self.v, self.b = self._unpack(np.asarray(result.x), f, d, k)

    def predict_proba(self, phi: Floats, x: Floats) -> Floats:
        z = phi @ self.w + (x @ self.v if self.v.size else 0.0) + (self.b if self.b.size else 0.0)
        z = z - z.max(axis=1, keepdims=True)
        e = np.exp(z)
        return np.asarray(e / e.sum(axis=1, keepdims=True), dtype=np.float64)
