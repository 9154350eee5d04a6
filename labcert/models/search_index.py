"""Indexes behind the search box: trigram indexes on PostgreSQL, plain ones elsewhere.

A trigram (pg_trgm GIN) index serves `ILIKE '%text%'`; the migration creates the extension when
the server offers it. Digits (IMEI, TAC) are matched from the start, which a B-tree with pattern
operators serves whatever the collation. SQLite gets ordinary indexes of the same names.
"""

from __future__ import annotations

from sqlalchemy import Index


def text_search_index(table: str, column: str) -> Index:
    """Return the index that makes substring search on `table.column` fast."""
    return Index(f"ix_{table}_{column}_search", column, postgresql_using="gin",
                 postgresql_ops={column: "gin_trgm_ops"})


def prefix_search_index(table: str, column: str) -> Index:
    """Return the index that makes `LIKE 'digits%'` on `table.column` fast."""
    return Index(f"ix_{table}_{column}_prefix", column,
                 postgresql_ops={column: "varchar_pattern_ops"})
