"""The response filters shared by `list`, the bulk forms of the status commands and `tag`,
and `review`: every option is defined here once."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import click

from curator.curate.queue import review_filter
from curator.store.queries import SORTS, ListFilter

F = TypeVar("F", bound=Callable[..., Any])
STATUS_CHOICE = click.Choice(("new", "shortlisted", "picked", "rejected"))
FILTER_KEYS = (
    "question",
    "position",
    "argument",
    "status",
    "language",
    "country",
    "confidence_below",
    "needs_review",
    "search",
)

_OPTIONS: dict[str, Callable[[F], F]] = {
    "question": click.option("--question", help="Only replies to this question (slug)."),
    "position": click.option("--position", help="Only this position key."),
    "argument": click.option("--argument", help="Only replies making this argument (key)."),
    "status": click.option("--status", type=STATUS_CHOICE, help="Only this status."),
    "language": click.option("--language", help="Only this language code (e.g. de)."),
    "country": click.option("--country", help="Only readers in this country (ISO code, e.g. LV)."),
    "confidence_below": click.option(
        "--confidence-below",
        type=click.FloatRange(0, 1),
        help="Only replies tagged with less confidence than this (or untagged).",
    ),
    "needs_review": click.option(
        "--needs-review", is_flag=True, help="The review queue: new, untagged or unsure tags."
    ),
    "search": click.option("--search", help="Words in the reply, name or location (prefix match)."),
}


def filter_options(func: F, exclude: tuple[str, ...] = ()) -> F:
    """Add the filter options (``exclude`` names those a command uses for something else)."""
    for key, option in reversed(_OPTIONS.items()):
        if key not in exclude:
            func = option(func)
    return func


def sort_option(func: F) -> F:
    return click.option(
        "--sort",
        type=click.Choice(SORTS),
        default="oldest",
        show_default=True,
        help="Order: newest, quality (best first), confidence (least sure first), length.",
    )(func)


def pop_filter(kwargs: dict[str, Any]) -> dict[str, Any]:
    """Take the filter options out of a command's keyword arguments."""
    return {k: kwargs.pop(k) for k in FILTER_KEYS if k in kwargs}


def has_filter(values: dict[str, Any]) -> bool:
    return any(v not in (None, False, "") for v in values.values())


def build_filter(values: dict[str, Any], **extra: Any) -> ListFilter:
    needs_review = values.get("needs_review", False)
    flt = ListFilter(**{k: v for k, v in values.items() if k != "needs_review"}, **extra)
    return review_filter(flt) if needs_review else flt
