"""The factory: settings precedence, no side effects, the layout of the design card."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import create_engine, inspect

from labcert import create_app
from labcert.config import normalise_database_url


def test_environment_overrides_defaults_and_test_mapping_overrides_environment(
        monkeypatch, tmp_path: Path) -> None:
    monkeypatch.setenv("LABCERT_PUBLIC_URL", "https://env.example/")
    monkeypatch.setenv("LABCERT_RATELIMIT_ENABLED", "false")
    monkeypatch.setenv("LABCERT_INSTANCE_PATH", str(tmp_path))
    app = create_app({"SECRET_KEY": "k"})
    assert app.config["PUBLIC_URL"] == "https://env.example"
    assert app.config["RATELIMIT_ENABLED"] is False
    app = create_app({"SECRET_KEY": "k", "PUBLIC_URL": "https://test.example"})
    assert app.config["PUBLIC_URL"] == "https://test.example"


def test_a_malformed_boolean_in_the_environment_names_the_variable(monkeypatch) -> None:
    monkeypatch.setenv("LABCERT_RATELIMIT_ENABLED", "perhaps")
    try:
        create_app({"SECRET_KEY": "k"})
    except RuntimeError as error:
        assert "LABCERT_RATELIMIT_ENABLED" in str(error)
    else:
        raise AssertionError("expected a RuntimeError")


def test_creating_the_app_creates_no_tables(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'fresh.sqlite'}"
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "k"})
    with app.app_context():
        app.test_client().get("/login")
    assert inspect(create_engine(url)).get_table_names() == []


def test_a_plain_postgresql_url_uses_the_psycopg_driver() -> None:
    assert normalise_database_url("postgresql://postgres@127.0.0.1/test") == \
        "postgresql+psycopg://postgres@127.0.0.1/test"
    assert normalise_database_url("sqlite:///x.db") == "sqlite:///x.db"


def test_flask_serves_the_top_level_templates_and_static_folders(app) -> None:
    root = Path(__file__).resolve().parent.parent
    assert Path(app.template_folder) == root / "templates"
    assert Path(app.static_folder) == root / "static"


def test_the_secret_key_is_generated_once_into_the_instance_folder(monkeypatch, tmp_path) -> None:
    monkeypatch.setenv("LABCERT_INSTANCE_PATH", str(tmp_path))
    first = create_app({"DATABASE_URL": "sqlite://"}).config["SECRET_KEY"]
    second = create_app({"DATABASE_URL": "sqlite://"}).config["SECRET_KEY"]
    assert first == second and len(first) > 40
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


def test_weasyprint_warnings_have_a_handler(app) -> None:
    import logging

    assert logging.getLogger("weasyprint").handlers
