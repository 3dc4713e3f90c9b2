"""Position and argument tagging: pure, offline, learns from editors' corrections.

>>> tagger = Tagger.fit(question, corrections)        # about a second
>>> tagger.tag(["Yes, let them in.", "Nein."])         # [Tagging(...), Tagging(...)]
"""

from curator.tagging.tagger import Tagger, default_embedder
from curator.tagging.types import ArgumentSuggestion, Correction, PositionTag, Tagging

__all__ = [
    "ArgumentSuggestion",
    "Correction",
    "PositionTag",
    "Tagger",
    "Tagging",
    "default_embedder",
]
