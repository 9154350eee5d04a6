"""`labcert users list|deactivate|reactivate` and `labcert tokens list|revoke`."""

from __future__ import annotations

import json

from labcert.extensions import db
from labcert.models import ApiToken, User
from labcert.services.tokens import issue_token
from tests.admin.conftest import events
from tests.factories import make_user


def test_users_list_prints_every_account_and_json_for_scripts(runner) -> None:
    active = make_user(role="reviewer", name="Rita")
    gone = make_user(role="technician", is_active_account=False)
    result = runner.invoke(args=["users", "list"])
    assert result.exit_code == 0, result.output
    assert active.email in result.output and "INACTIVE" in result.output
    rows = json.loads(runner.invoke(args=["users", "list", "--json"]).output)
    by_email = {r["email"]: r for r in rows}
    assert by_email[active.email]["active"] is True and by_email[active.email]["name"] == "Rita"
    assert by_email[gone.email]["active"] is False
    only_active = json.loads(runner.invoke(args=["users", "list", "--active-only",
                                                 "--json"]).output)
    assert gone.email not in {r["email"] for r in only_active}


def test_users_deactivate_and_reactivate_record_the_change(runner) -> None:
    make_user(role="admin")
    user = make_user()
    result = runner.invoke(args=["users", "deactivate", user.email.upper()])
    assert result.exit_code == 0, result.output
    assert not db.session.get(User, user.id).is_active_account
    assert runner.invoke(args=["users", "reactivate", user.email]).exit_code == 0
    assert db.session.get(User, user.id).is_active_account
    assert [e.actor for e in events("user.deactivate") + events("user.reactivate")] == [
        "system", "system"]


def test_users_deactivate_refuses_the_last_administrator_with_a_reason(runner) -> None:
    admin = make_user(role="admin")
    result = runner.invoke(args=["users", "deactivate", admin.email])
    assert result.exit_code == 1
    assert "last active administrator" in result.output
    assert len(result.output.strip().splitlines()) == 1
    assert db.session.get(User, admin.id).is_active_account


def test_users_deactivate_an_unknown_address_fails_with_a_reason(runner) -> None:
    result = runner.invoke(args=["users", "deactivate", "ghost@example.test"])
    assert result.exit_code == 1 and "No user with e-mail ghost@example.test" in result.output


def test_tokens_list_and_revoke_by_id(runner) -> None:
    user = make_user()
    plain, token = issue_token(None, user, days=10, name="rig")
    listed = json.loads(runner.invoke(args=["tokens", "list", user.email, "--json"]).output)
    assert [(t["id"], t["status"], t["name"]) for t in listed] == [(token.id, "active", "rig")]
    assert plain not in runner.invoke(args=["tokens", "list", user.email]).output
    result = runner.invoke(args=["tokens", "revoke", str(token.id)])
    assert result.exit_code == 0, result.output
    assert db.session.get(ApiToken, token.id).revoked_at is not None
    [event] = events("token.revoke")
    assert event.actor == "system"
    assert "revoked" in runner.invoke(args=["tokens", "list", user.email]).output


def test_tokens_revoke_an_unknown_id_fails_with_a_reason(runner) -> None:
    result = runner.invoke(args=["tokens", "revoke", "999999"])
    assert result.exit_code == 1 and "No API token with id 999999" in result.output
