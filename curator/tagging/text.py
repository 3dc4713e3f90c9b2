"""Text clean-up shared by the tagger's features: length cap, folding, sentences, words."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from curator.greeting import strip_greeting

# Replies past this are cut before any model sees them: the e5/MiniLM cost grows with length and
# the answer to the question is almost always in the first paragraphs.
MAX_CHARS = 2000
MAX_SENTENCES = 24

_SPACE = re.compile(r"\s+")
# Sentence ends: . ! ? … ; and line breaks; keeps "Dr." style abbreviations together roughly.
_SENTENCE_END = re.compile(r"(?<=[.!?…;])\s+|\n+")
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*", re.UNICODE)


def cap(text: str, limit: int = MAX_CHARS) -> str:
    """The first ``limit`` characters, cut at a word boundary where one is near."""
    if len(text) <= limit:
        return text
    head = text[:limit]
    cut = head.rfind(" ", limit - 200)
    return head[:cut] if cut > 0 else head


def normalise(text: str) -> str:
    """Whitespace collapsed, typographic apostrophes made plain, length capped."""
    text = unicodedata.normalize("NFC", text).replace("’", "'").replace("‘", "'")
    return _SPACE.sub(" ", cap(text)).strip()


@lru_cache(maxsize=4096)
def fold(text: str) -> str:
    """Lower case for matching cue phrases (keeps diacritics: 'nié' is not 'nie'). Cached: the
    cues, the echoes and the argument words of one batch all fold the same texts."""
    return normalise(text).casefold()


def sentences(text: str) -> list[str]:
    """The reply cut into sentences (at most ``MAX_SENTENCES``), never an empty list; an
    opening salutation is left out."""
    capped = strip_greeting(cap(unicodedata.normalize("NFC", text)))
    parts = [_SPACE.sub(" ", p).strip() for p in _SENTENCE_END.split(capped)]
    found = [p for p in parts if _WORD.search(p)]
    return found[:MAX_SENTENCES] or [normalise(text)]


def words(text: str) -> list[str]:
    return _WORD.findall(fold(text))
