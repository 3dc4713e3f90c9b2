"""Full-text search over responses: SQLite FTS5 and PostgreSQL tsvector, one query API.

The search objects live outside the SQLAlchemy metadata (migration 0002 creates them):

* SQLite: ``response_fts``, an external-content FTS5 table over ``response`` kept in step by
  the triggers ``response_fts_ai/ad/au`` (the text is stored once, in ``response``).
* PostgreSQL: ``response.search_tsv``, a stored generated ``to_tsvector('simple', …)`` of the
  same columns, with the GIN index ``ix_response_fts``.

A search for ``riga fsb`` finds responses holding words starting with both "riga" and "fsb"
(prefix match, case and accents folded), like a search box.
"""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import ColumnElement, Select, bindparam, select, text
from sqlalchemy.sql import literal_column

from curator.store.models import Response

FTS_TABLE = "response_fts"
PG_INDEX = "ix_response_fts"
SEARCH_COLUMNS = ("reply", "name", "location", "name_override", "location_override")
PG_COLUMN = "search_tsv"  # GENERATED ALWAYS AS (to_tsvector('simple', <SEARCH_COLUMNS>)) STORED
_WORD = re.compile(r"\w+", re.UNICODE)


def search_terms(query: str) -> list[str]:
    """The words of a search box query (punctuation and FTS operators dropped)."""
    # lower(), not casefold(): to_tsvector keeps "ß", casefold would make it "ss".
    return [w.lower() for w in _WORD.findall(query)][:20]


def search_condition(
    dialect: str, query: str, id_column: Any = Response.id
) -> ColumnElement[bool] | None:
    """A WHERE condition on Response matching ``query``; None when it has no words.

    ``id_column`` is the id the SQLite form compares with the FTS rowids: `Message.id` (the
    same value) lets SQLite walk the matches by primary key instead of testing every row."""
    terms = search_terms(query)
    if not terms:
        return None
    if dialect == "sqlite":
        match = " ".join(f'"{t}"*' for t in terms)
        fts: Select[*tuple[Any, ...]] = (
            select(literal_column("rowid"))
            .select_from(text(FTS_TABLE))
            .where(text(f"{FTS_TABLE} MATCH :fts_query").bindparams(bindparam("fts_query", match)))
        )
        return id_column.in_(fts.scalar_subquery())  # type: ignore[no-any-return]
    if dialect == "postgresql":
        tsquery = " & ".join(f"{t}:*" for t in terms)
        return text(f"response.{PG_COLUMN} @@ to_tsquery('simple', :ts_query)").bindparams(
            bindparam("ts_query", tsquery)
        )  # type: ignore[return-value]
    raise NotImplementedError(f"no full-text search for {dialect}")


def is_search_object(name: str | None) -> bool:
    return bool(name) and (str(name).startswith((FTS_TABLE, PG_INDEX)) or name == PG_COLUMN)


def include_object(
    obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any
) -> bool:
    """Alembic autogenerate filter: the search objects are managed by migration 0002 by hand."""
    return not (type_ in ("table", "index", "column") and is_search_object(name))
