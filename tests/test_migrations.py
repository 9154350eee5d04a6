"""The migrations build exactly the models' schema, on SQLite and on PostgreSQL.

The database is the run's (LABCERT_TEST_DATABASE_URL or SQLite): `.ci/run` runs this on both.
"""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from labcert.extensions import db


def test_migrations_and_models_do_not_drift(app) -> None:
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, db.metadata)
    assert differences == [], "run `labcert db migrate` and tidy the script: " + repr(differences)


def test_the_schema_is_at_the_latest_revision(app) -> None:
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(app.extensions["migrate"].migrate.get_config())
    with db.engine.connect() as connection:
        current = MigrationContext.configure(connection).get_current_revision()
    assert current == script.get_current_head()


def test_db_upgrade_works_on_an_empty_sqlite_file(tmp_path, monkeypatch) -> None:
    from labcert.console import main

    url = f"sqlite:///{tmp_path / 'empty.sqlite'}"
    monkeypatch.setenv("LABCERT_DATABASE_URL", url)
    monkeypatch.setenv("LABCERT_INSTANCE_PATH", str(tmp_path))
    from click.testing import CliRunner

    result = CliRunner().invoke(main, ["db", "upgrade"])
    assert result.exit_code == 0, result.output
    from sqlalchemy import create_engine

    tables = set(inspect(create_engine(url)).get_table_names())
    assert {"application", "certificate", "audit_event", "test_result"} <= tables


def _literals(sql: str) -> set[str]:
    """Return the quoted values a CHECK expression names (PostgreSQL rewrites the rest)."""
    import re

    return set(re.findall(r"'([^']*)'", sql))


def test_check_constraints_in_the_database_are_the_models(app) -> None:
    """Alembic does not compare CHECK constraints: a new status without a migration fails here."""
    from sqlalchemy import CheckConstraint

    inspector = inspect(db.engine)
    expected, found = {}, {}
    for table in db.metadata.sorted_tables:
        for constraint in table.constraints:
            if isinstance(constraint, CheckConstraint):
                expected[constraint.name] = _literals(str(constraint.sqltext))
        for constraint in inspector.get_check_constraints(table.name):
            found[constraint["name"]] = _literals(constraint["sqltext"])
    assert found == expected
