"""Indexes behind the search box: trigram indexes on PostgreSQL, plain ones elsewhere.

A trigram (pg_trgm GIN) index serves `ILIKE '%text%'` and `LIKE 'digits%'` alike. The migration
creates the extension when the server offers it; SQLite gets an ordinary index of the same name.
"""

from __future__ import annotations

from sqlalchemy import Index


def text_search_index(table: str, column: str) -> Index:
    """Return the index that makes substring search on `table.column` fast."""
    return Index(f"ix_{table}_{column}_search", column, postgresql_using="gin",
                 postgresql_ops={column: "gin_trgm_ops"})
