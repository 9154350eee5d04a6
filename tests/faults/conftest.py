"""Fault tests use the workflow tests' small lab (a technician, reviewers, a manufacturer)."""

from tests.workflow.conftest import lab  # noqa: F401  (the fixture, shared)
