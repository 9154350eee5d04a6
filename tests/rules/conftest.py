"""Fixtures for the pure rule-engine tests (no Flask app, no database)."""

import pytest

from labcert.rules import Catalogue, Registry, load_catalogue, load_registry


@pytest.fixture(scope="session")
def registry() -> Registry:
    return load_registry()


@pytest.fixture(scope="session")
def catalogue() -> Catalogue:
    return load_catalogue()
