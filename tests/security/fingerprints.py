"""Whether a request stored anything: a digest of every table, cheap enough to take per probe.

On PostgreSQL each table's row count and newest row version (xmin) say it in one query. On
SQLite the rows themselves are hashed, but only when another connection committed since the
last digest (PRAGMA data_version), which most refused probes never do.
"""

from __future__ import annotations

import hashlib
import sqlite3

from sqlalchemy import text

from labcert.extensions import db

# Rows that may change on any request by design: every public verification is logged.
LOGGED_ON_READ = frozenset({"verification_log"})
# Rows a refused request adds by design: refusals (403, 409) and failed sign-ins are audited.
AUDITED_ON_REFUSAL = LOGGED_ON_READ | {"audit_event", "audit_head"}
_watchers: dict[str, sqlite3.Connection] = {}
_last: dict[tuple[str, frozenset[str]], tuple[int, dict[str, str]]] = {}


def fingerprint(ignore: frozenset[str] = LOGGED_ON_READ) -> dict[str, str]:
    """Return a digest of every table's rows, so any insert, update or delete shows."""
    if db.engine.dialect.name == "postgresql":
        return _in_postgres(ignore)
    path = db.engine.url.database or ""
    watcher = _watchers.get(path) or _watchers.setdefault(path, sqlite3.connect(path))
    version = watcher.execute("PRAGMA data_version").fetchone()[0]
    key = (path, ignore)
    if key in _last and _last[key][0] == version:
        return dict(_last[key][1])
    connection = db.session.connection()
    digests = {}
    for table in db.metadata.sorted_tables:
        if table.name not in ignore:
            rows = connection.exec_driver_sql(f'SELECT * FROM "{table.name}" ORDER BY rowid')
            digests[table.name] = hashlib.sha256(repr(rows.fetchall()).encode()).hexdigest()
    db.session.rollback()
    _last[key] = (version, digests)
    return dict(digests)


def changed_tables(before: dict[str, str],
                   ignore: frozenset[str] = LOGGED_ON_READ) -> list[str]:
    """Name the tables whose rows differ from `before` (taken with the same `ignore`)."""
    after = fingerprint(ignore)
    return sorted(name for name, digest in after.items() if before.get(name) != digest)


def close_watchers() -> None:
    """Close the connections that watch SQLite's data_version."""
    while _watchers:
        _watchers.popitem()[1].close()
    _last.clear()


def _in_postgres(ignore: frozenset[str]) -> dict[str, str]:
    """Count each table's rows and take the newest row version: an insert or a delete moves
    the count, an insert or an update moves xmin. One query; no row is read out."""
    parts = [f"""SELECT '{t.name}', count(*) || ':' || coalesce(max(xmin::text::bigint), 0)
                 FROM "{t.name}" """ for t in db.metadata.sorted_tables if t.name not in ignore]
    digests = dict(db.session.execute(text(" UNION ALL ".join(parts))).all())
    db.session.rollback()
    return digests
