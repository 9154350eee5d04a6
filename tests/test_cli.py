"""The `labcert` commands: users, demo seeding, plain text and --json."""

from __future__ import annotations

import json

from sqlalchemy import func, select

from labcert.extensions import db
from labcert.models import Organization, User
from labcert.services.accounts import authenticate


def test_users_create_makes_an_account_that_can_sign_in(runner) -> None:
    result = runner.invoke(args=["users", "create", "Sara@Lab.Example", "--role", "reviewer",
                                 "--name", "Sara", "--password", "a long password"])
    assert result.exit_code == 0, result.output
    assert authenticate("sara@lab.example", "a long password").role == "reviewer"


def test_users_create_makes_an_unknown_organization_of_the_right_kind(runner) -> None:
    result = runner.invoke(args=["users", "create", "m@vivo.example", "--role", "manufacturer",
                                 "--name", "M", "--organization", "Vivo Pakistan",
                                 "--password", "a long password", "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["organization"] == "Vivo Pakistan"
    org = db.session.scalar(select(Organization).where(Organization.name == "Vivo Pakistan"))
    assert org.kind == "manufacturer"


def test_users_create_refuses_bad_input_with_a_one_line_reason(runner) -> None:
    result = runner.invoke(args=["users", "create", "not-an-email", "--role", "technician",
                                 "--name", "X", "--password", "short"])
    assert result.exit_code == 1
    assert "email" in result.output and "password" in result.output
    assert "Traceback" not in result.output


def test_seed_demo_is_idempotent_and_prints_working_logins(runner) -> None:
    first = runner.invoke(args=["seed-demo", "--json"])
    assert first.exit_code == 0, first.output
    logins = json.loads(first.output)
    assert {x["role"] for x in logins} == {"admin", "technician", "reviewer", "manufacturer",
                                           "exporter"}
    count = db.session.scalar(select(func.count()).select_from(User))
    again = runner.invoke(args=["seed-demo"])
    assert again.exit_code == 0
    assert db.session.scalar(select(func.count()).select_from(User)) == count
    for login in logins:
        assert authenticate(login["email"], login["password"]) is not None
