"""Picked responses → a digest section (HTML and plain text) through Jinja2 templates.

Reader text is untrusted: the environment autoescapes everything and StrictUndefined turns a
template typo into an error instead of an empty string.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from jinja2 import ChoiceLoader, Environment, FileSystemLoader, StrictUndefined, select_autoescape

from curator.config import curator_home
from curator.errors import UsageError
from curator.store import curation as db
from curator.store.engine import Store

DEFAULT_TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
FORMATS = {"html": "digest.html.j2", "text": "digest.txt.j2"}


@dataclass(frozen=True)
class Quote:
    text: str
    paragraphs: tuple[str, ...]
    attribution: str
    position: str | None
    position_label: str | None


@dataclass(frozen=True)
class Digest:
    slug: str
    title: str
    prompt: str
    total: int
    quotes: tuple[Quote, ...]


def attribution(name: str | None, location: str | None, withhold: bool) -> str:
    """ "Jane Doe, Lisbon" · "a reader in Riga" · "a reader"."""
    if withhold or not name:
        return f"a reader in {location}" if location else "a reader"
    return f"{name}, {location}" if location else name


def build_digest(store: Store, slug: str) -> Digest:
    with store.transaction() as session:
        question = db.find_question(session, slug)
        if question is None:
            raise UsageError(f"no question {slug!r} — check [[questions]] in the config")
        labels = {p["key"]: p.get("label", p["key"]) for p in question.positions}
        quotes = []
        for r, _m in db.picked_responses(session, slug):
            text = (r.excerpt or r.reply).strip()
            withhold = r.withhold_override if r.withhold_override is not None else r.withhold_name
            quotes.append(
                Quote(
                    text=text,
                    paragraphs=tuple(p.strip() for p in text.split("\n\n") if p.strip()),
                    attribution=attribution(
                        r.name_override or r.name, r.location_override or r.location, withhold
                    ),
                    position=r.position,
                    position_label=labels.get(r.position or ""),
                )
            )
        total = sum(db.position_counts(session, slug).values())
        return Digest(slug, question.title, question.prompt, total, tuple(quotes))


def environment() -> Environment:
    user = curator_home() / "templates"
    loaders = [FileSystemLoader(str(user))] if user.is_dir() else []
    loaders.append(FileSystemLoader(os.environ.get("CURATOR_TEMPLATES", str(DEFAULT_TEMPLATES))))
    return Environment(
        loader=ChoiceLoader(loaders),
        autoescape=select_autoescape(enabled_extensions=("html", "j2"), default=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def render(digest: Digest, fmt: str = "html") -> str:
    if fmt not in FORMATS:
        raise UsageError(f"unknown format {fmt!r} — use one of {', '.join(FORMATS)}")
    env = environment()
    if fmt == "text":
        env.autoescape = False  # plain text: nothing is interpreted as markup
    return env.get_template(FORMATS[fmt]).render(digest=digest)
