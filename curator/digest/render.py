"""Picked responses → a digest section (HTML, plain text, Markdown) through Jinja2 templates.

Reader text is untrusted: the HTML environment autoescapes everything, the Markdown one escapes
every value it prints (`markdown_escape`), and StrictUndefined turns a template typo into an
error instead of an empty string. The HTML is written with a ``<style>`` block and then inlined
with css-inline, because Gmail and Outlook drop or ignore most ``<style>`` rules.

Templates resolve from ``$CURATOR_HOME/templates`` first, then the defaults; the defaults are also
reachable as ``default:NAME``, so a user template can ``{% extends "default:digest.html.j2" %}``
and replace one block.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import css_inline
from jinja2 import (
    BaseLoader,
    ChoiceLoader,
    Environment,
    FileSystemLoader,
    PrefixLoader,
    StrictUndefined,
    TemplateError,
    TemplateNotFound,
)

from curator.config import Config, curator_home
from curator.digest.model import Digest, Group, group_quotes, make_quote, paragraphs
from curator.digest.split import compute_split
from curator.digest.style import DigestStyle
from curator.errors import ConfigError, UsageError
from curator.store import digest as db
from curator.store.engine import Store

DEFAULT_TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
FORMATS = {"html": "digest.html.j2", "text": "digest.txt.j2", "markdown": "digest.md.j2"}
FRAGMENT_BEGIN, FRAGMENT_END = "<!-- curator-digest begin", "<!-- curator-digest end"
EXTENSIONS = {"html": ".html", "text": ".txt", "markdown": ".md"}

# CommonMark: a backslash before ASCII punctuation always prints the character itself.
_MD_ANYWHERE = re.compile(r"([\\`*_\[\]|~])")
_MD_LINE_START = re.compile(r"^([ \t]*)(\d*)([#>+=.)-])", re.MULTILINE)
_MD_ENTITY = re.compile(r"&(?=#?\w+;)")  # "&amp;" would print as "&": only escape look-alikes
# @media rules cannot be inlined: they stay in a <style> block for the clients that read it.
_INLINER = css_inline.CSSInliner(load_remote_stylesheets=False, keep_at_rules=True)


def build_digest(
    store: Store,
    config: Config,
    slug: str,
    *,
    intro: str | None = None,
    stats: bool = True,
    flat: bool = False,
) -> Digest:
    """Read the question's picks and counts and shape them into a `Digest`."""
    with store.transaction() as session:
        question = db.find_question_record(session, slug)
        if question is None:
            raise UsageError(f"no question {slug!r} — check [[questions]] in the config")
        picks = db.picked_records(session, slug)
        counts = db.response_position_counts(session, slug) if stats else None
    positions = _positions(config, question)
    quotes = tuple(make_quote(p, dict(positions)) for p in picks)
    groups: tuple[Group, ...]
    if flat:
        groups = (Group(None, None, quotes),) if quotes else ()
    else:
        groups = group_quotes(quotes, positions, config.digest.other_heading)
    return Digest(
        slug=slug,
        heading=config.digest.heading or question.title,
        title=question.title,
        prompt=question.prompt,
        intro=paragraphs(intro or ""),
        split=compute_split(counts, positions) if counts is not None else None,
        groups=groups,
        quotes=quotes,
        flat=flat,
        edited=any(q.edited for q in quotes),
    )


def render_digest(
    store: Store,
    config: Config,
    slug: str,
    fmt: str = "html",
    *,
    intro: str | None = None,
    stats: bool = True,
    flat: bool = False,
    only_section: bool = False,
) -> tuple[Digest, str]:
    """What `curator render` does: build the digest, render it, optionally cut the section out."""
    if only_section and fmt != "html":
        raise UsageError("--fragment is for --format html")
    digest = build_digest(store, config, slug, intro=intro, stats=stats, flat=flat)
    text = render(digest, fmt, config.digest)
    return digest, fragment(text) if only_section else text


def _positions(config: Config, question: db.QuestionRecord) -> tuple[tuple[str, str], ...]:
    """(key, label) in config order: from the config file, else as stored with the question."""
    configured = config.question(question.slug)
    if configured is not None and configured.positions:
        return tuple((p.key, p.label) for p in configured.positions)
    return question.positions


def markdown_escape(value: Any) -> Any:
    """Every value a Markdown template prints: no reader text can become markup or raw HTML."""
    if not isinstance(value, str):
        return value
    text = _MD_ENTITY.sub("&amp;", value).replace("<", "&lt;").replace(">", "&gt;")
    text = _MD_ANYWHERE.sub(r"\\\1", text)
    return _MD_LINE_START.sub(r"\1\2\\\3", text)


def template_loader() -> BaseLoader:
    default = FileSystemLoader(os.environ.get("CURATOR_TEMPLATES", str(DEFAULT_TEMPLATES)))
    user = curator_home() / "templates"
    loaders: list[BaseLoader] = [FileSystemLoader(str(user))] if user.is_dir() else []
    loaders += [default, PrefixLoader({"default": default}, delimiter=":")]
    return ChoiceLoader(loaders)


def environment(fmt: str) -> Environment:
    finalize: Callable[[Any], Any] | None = markdown_escape if fmt == "markdown" else None
    return Environment(
        loader=template_loader(),
        autoescape=fmt == "html",
        finalize=finalize,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def render(digest: Digest, fmt: str = "html", style: DigestStyle | None = None) -> str:
    if fmt not in FORMATS:
        raise UsageError(f"unknown format {fmt!r} — use one of {', '.join(FORMATS)}")
    try:
        template = environment(fmt).get_template(FORMATS[fmt])
        text = template.render(digest=digest, style=style or DigestStyle())
    except TemplateNotFound as exc:
        raise ConfigError(f"digest template not found: {exc.name} — check its name") from None
    except TemplateError as exc:
        line = getattr(exc, "lineno", None)
        where = f" line {line}" if line else ""
        raise ConfigError(
            f"digest template {FORMATS[fmt]}{where}: {exc} — fix the template"
        ) from None
    return inline_css(text) if fmt == "html" else text


def fragment(html: str) -> str:
    """The section alone, for an editor's HTML/code block: between the curator-digest comments."""
    begin, end = html.find(FRAGMENT_BEGIN), html.find(FRAGMENT_END)
    close = html.find("-->", end) if end >= 0 else -1
    if begin < 0 or end < begin or close < 0:
        raise UsageError(
            f"the HTML template has no {FRAGMENT_BEGIN}…{FRAGMENT_END} comments — "
            "keep them in a custom template to use --fragment"
        )
    return html[begin : close + 3] + "\n"


def inline_css(html: str) -> str:
    """Move the ``<style>`` rules onto the elements (email clients drop ``<style>``)."""
    try:
        return _INLINER.inline(html)
    except css_inline.InlineError as exc:
        raise ConfigError(f"digest template: cannot inline its CSS: {exc}") from None
