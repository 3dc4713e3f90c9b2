"""Derived queues and selections: nothing here is stored, all of it is a filter.

* needs review — new responses whose position tag is missing or below ``REVIEW_CONFIDENCE``
  (an editor's own tag has confidence 1.0, so it leaves the queue);
* the shortlist, the picks, the rejected — a status;
* any filter of `curator list` — the target of a bulk change (`--all-matching`).
"""

from __future__ import annotations

from dataclasses import replace

from curator.store.engine import Store
from curator.store.queries import ListFilter, list_records, matching_ids

REVIEW_CONFIDENCE = 0.6


def review_filter(flt: ListFilter) -> ListFilter:
    """Narrow a filter to the review queue."""
    below = REVIEW_CONFIDENCE if flt.confidence_below is None else flt.confidence_below
    return replace(flt, status=flt.status or "new", confidence_below=below)


def select_ids(store: Store, flt: ListFilter) -> list[int]:
    """The responses a filter selects, in its order."""
    with store.transaction() as session:
        return matching_ids(session, flt)


def records(store: Store, flt: ListFilter) -> list[dict[str, object]]:
    with store.transaction() as session:
        return list_records(session, flt)
