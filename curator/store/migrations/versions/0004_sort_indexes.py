"""indexes for the sorts of `curator list` and for the review queue

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02 16:30:00

``curator list --sort quality|confidence|length`` read and sorted every response (320 ms on
SQLite, 860 ms on PostgreSQL at 100,000); with an index per sort key (then ``id``, the
tie-breaker) a page of 50 is read in order. ``ix_response_review_queue`` holds what the review
queue tests (status new, position missing or unsure) in id order, so opening the queue reads
that index instead of every response row. Indexes only: no table rebuild, so the FTS triggers
of 0002 stay.

The NULL placement matches the listing's ORDER BY (best quality first with the unscored last;
least confidence first with the untagged first). SQLite has that order by default and refuses
NULLS FIRST/LAST in an index; PostgreSQL needs it spelled out to use the index.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

# name: (sort key on SQLite, the same on PostgreSQL)
_SORTS = {
    "ix_response_quality": ("quality DESC", "quality DESC NULLS LAST"),
    "ix_response_confidence": ("position_confidence", "position_confidence ASC NULLS FIRST"),
    "ix_response_length": ("word_count DESC", "word_count DESC NULLS LAST"),
}


def upgrade() -> None:
    postgresql = op.get_bind().dialect.name == "postgresql"
    for name, (sqlite_key, pg_key) in _SORTS.items():
        key = pg_key if postgresql else sqlite_key
        op.create_index(name, "response", [sa.text(key), "id"])
    op.create_index(
        "ix_response_review_queue", "response", ["status", "id", "position_confidence", "position"]
    )


def downgrade() -> None:
    op.drop_index("ix_response_review_queue", table_name="response")
    for name in reversed(_SORTS):
        op.drop_index(name, table_name="response")
