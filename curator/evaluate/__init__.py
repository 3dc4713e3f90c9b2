"""Accuracy scoring over the public corpora (`scripts/eval`).

Each section module exposes ``evaluate(corpora: Path) -> Section``; ``__main__`` runs them all,
prints one table and exits non-zero when a figure is below its floor.
"""
