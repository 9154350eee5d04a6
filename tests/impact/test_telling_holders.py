"""Publishing an impact: one mail per organisation, a notice on the public status, no change."""

from __future__ import annotations

import re

from sqlalchemy import select

from labcert.extensions import db
from labcert.models import Certificate, MailMessage
from tests.factories import make_organization, make_user
from tests.impact.conftest import certify, eu_items
from tests.impact.test_impact_classes import ESD_8KV, LOUD_SPURIOUS, SPURIOUS_3600
from tests.impact.versions import NEXT

NOTICE = "affected by eu-red@2031.11 from 2031-11-15: re-test required"


def _retest_mail() -> list[MailMessage]:
    db.session.expire_all()
    return list(db.session.scalars(select(MailMessage).where(
        MailMessage.kind == "certificate.retest_required").order_by(MailMessage.id)))


def test_holders_are_told_once_per_organisation_and_verifiers_see_the_notice(
        eu_lab, published_next, api, client, auth) -> None:
    lab = eu_lab
    other = make_organization(name="Second Phone Maker", kind="manufacturer")
    other_user = make_user("manufacturer", organization=other)
    fine = certify(lab, "A-ALL", eu_items(lab, add=[ESD_8KV]))
    missing = certify(lab, "B-NO8KV", eu_items(lab))
    failing = certify(lab, "C-LOUD", eu_items(lab, drop=[SPURIOUS_3600],
                                              add=[ESD_8KV, LOUD_SPURIOUS]))
    elsewhere = certify(lab, "H-OTHER", eu_items(lab), holder=other)

    staff = api(lab.technician)
    assert staff.post(f"/api/v1/criteria-sets/{NEXT}/impact").status_code == 202
    assert api(lab.technician).post(f"/api/v1/criteria-sets/{NEXT}/impact/publish"
                                    ).status_code == 403  # reviewers and admins tell holders
    published = api(lab.reviewer).post(f"/api/v1/criteria-sets/{NEXT}/impact/publish")
    assert published.status_code == 200, published.get_json()
    assert published.get_json() == {"run": published.get_json()["run"], "criteria_set": NEXT,
                                    "organisations": 2, "certificates": 3}

    mails = _retest_mail()
    assert sorted(m.to_address for m in mails) == sorted([lab.maker.email, other_user.email])
    ours = next(m for m in mails if m.to_address == lab.maker.email)
    assert ours.subject == f"Re-test required by 2031-11-15: 2 certificate(s) affected by {NEXT}"
    assert missing.number in ours.body_text and failing.number in ours.body_text
    assert fine.number not in ours.body_text and elsewhere.number not in ours.body_text
    assert "no result for emc.esd" in ours.body_text
    assert "rf.spurious.above_1ghz" in ours.body_text
    theirs = next(m for m in mails if m.to_address == other_user.email)
    assert elsewhere.number in theirs.body_text and missing.number not in theirs.body_text

    for certificate in (missing, failing, elsewhere):
        answer = client.get(f"/api/v1/verify/{certificate.number}").get_json()
        assert answer["status"] == "valid"  # the status does not change until the lab acts
        assert [n["text"] for n in answer["notices"]] == [NOTICE]
        assert db.session.get(Certificate, certificate.id).status == "valid"
    assert client.get(f"/api/v1/verify/{fine.number}").get_json()["notices"] == []
    page = client.get(f"/verify/{missing.number}").get_data(as_text=True)
    assert NOTICE in re.sub(r"<[^>]+>", "", page)  # the version is isolated for RTL pages

    auth.login_as("reviewer")
    assert "Published to the holders on" in client.get(f"/criteria/{NEXT}/impact").get_data(
        as_text=True)
    again = api(lab.reviewer).post(f"/api/v1/criteria-sets/{NEXT}/impact/publish")
    assert again.status_code == 409 and "already published" in again.get_json()["message"]
    assert len(_retest_mail()) == 2


def test_a_draft_is_analysed_but_not_announced(eu_lab, api, client, auth) -> None:
    certify(eu_lab, "D-DRAFT", eu_items(eu_lab))
    assert api(eu_lab.technician).post("/api/v1/criteria-sets/eu-red@2027.01/impact"
                                       ).status_code == 202
    response = api(eu_lab.reviewer).post("/api/v1/criteria-sets/eu-red@2027.01/impact/publish")
    assert response.status_code == 409 and "is a draft" in response.get_json()["message"]
    assert _retest_mail() == []
    auth.login_as("reviewer")
    page = client.get("/criteria/eu-red@2027.01/impact").get_data(as_text=True)
    assert "publish the version before telling holders" in page and "Tell the holders" not in page
