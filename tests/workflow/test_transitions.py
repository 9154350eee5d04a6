"""Every allowed and every refused application transition, through the API."""

from __future__ import annotations

import pytest

from labcert.extensions import db
from labcert.services.applications import cancel_application
from labcert.services.review import reject
from tests.factories import approve


def _state(lab, name: str):
    """Return an application in state `name`, built through the services."""
    if name == "draft":
        return lab.open()
    if name == "testing":
        return lab.tested()
    if name == "submitted":
        return lab.submitted()
    if name == "approved":
        return approve(lab.reviewer, lab.submitted().id).application
    if name == "cancelled":
        return cancel_application(lab.technician, lab.open().id, "customer withdrew")
    raise AssertionError(name)


ACTIONS = {  # action → (role, url suffix, body)
    "submit": ("technician", "submit", None),
    "approve": ("reviewer", "approve", {}),
    "reject": ("reviewer", "reject", {"reasons": ["SAR report missing"]}),
    "cancel": ("technician", "cancel", {"reason": "customer withdrew"}),
}
ALLOWED = {  # (from state, action) → resulting state
    ("testing", "submit"): "submitted",
    ("submitted", "approve"): "approved",
    ("submitted", "reject"): "testing",
    ("draft", "cancel"): "cancelled",
    ("testing", "cancel"): "cancelled",
    ("submitted", "cancel"): "cancelled",
}
STATES = ("draft", "testing", "submitted", "approved", "cancelled")
REFUSED = [(s, a) for s in STATES for a in ACTIONS if (s, a) not in ALLOWED]


def _call(lab, api, application, action: str):
    role, suffix, body = ACTIONS[action]
    user = lab.technician if role == "technician" else lab.reviewer
    return api(user).post(f"/api/v1/applications/{application.id}/{suffix}",
                          json=body if body is not None else {})


@pytest.mark.parametrize(("start", "action"), sorted(ALLOWED))
def test_allowed_transitions_reach_their_state(lab, api, start, action) -> None:
    application = _state(lab, start)
    response = _call(lab, api, application, action)
    assert response.status_code in (200, 201), response.get_json()
    db.session.expire_all()
    assert application.state == ALLOWED[(start, action)]


@pytest.mark.parametrize(("start", "action"), REFUSED)
def test_refused_transitions_say_the_current_state_and_change_nothing(
        lab, api, start, action) -> None:
    application = _state(lab, start)
    version = application.version
    response = _call(lab, api, application, action)
    body = response.get_json()
    if start == "draft" and action == "submit":
        assert response.status_code == 422
        assert {"samples", "results"} <= set(body["details"])
    else:
        assert response.status_code == 409, body
        assert f"it is {start}" in body["message"]
    db.session.expire_all()
    assert (application.state, application.version) == (start, version)


def test_the_first_sample_moves_a_draft_to_testing(lab) -> None:
    from datetime import date

    from labcert.services.samples import add_sample

    application = lab.open()
    add_sample(lab.technician, application.id, imei="352099001761481", received_at=date.today())
    assert application.state == "testing"


def test_results_are_refused_once_submitted(lab, api) -> None:
    from tests.workflow.conftest import example, result_items

    application = lab.submitted()
    response = api(lab.technician).post(f"/api/v1/applications/{application.id}/results",
                                        json={"results": result_items(example(), None)[:1]})
    assert response.status_code == 409
    assert "it is submitted" in response.get_json()["message"]


def test_a_rejection_needs_a_reason_and_the_manufacturer_sees_it(lab, api) -> None:
    application = lab.submitted()
    response = api(lab.reviewer).post(f"/api/v1/applications/{application.id}/reject",
                                      json={"reasons": ["  "]})
    assert response.status_code == 422 and "reasons" in response.get_json()["details"]
    reject(lab.reviewer, application.id, ["SAR body position missing"])
    shown = api(lab.maker).get(f"/api/v1/applications/{application.id}").get_json()
    assert shown["state"] == "testing"
    assert shown["rejection_reasons"] == ["SAR body position missing"]


def test_a_manufacturer_may_cancel_only_a_draft(lab) -> None:
    from labcert.errors import Conflict

    application = lab.tested()
    with pytest.raises(Conflict, match="it is testing"):
        cancel_application(lab.maker, application.id, "changed our mind")
