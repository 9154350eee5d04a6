"""The impact page, the API and `labcert criteria impact --json` show the same analysis."""

from __future__ import annotations

import json
import re

from tests.impact.conftest import certify, eu_items

DRAFT = "eu-red@2027.01"


def _page_rows(html: str) -> dict[str, str]:
    return dict(re.findall(r'<tr data-number="([^"]+)" data-impact="([^"]+)">', html))


def _page_counts(html: str) -> dict[str, int]:
    return {k: int(v) for k, v in re.findall(r'data-count="([a-z_]+)">(\d+)<', html)}


def test_page_api_and_cli_agree_on_the_draft(eu_lab, client, auth, api, runner) -> None:
    first = certify(eu_lab, "P-1", eu_items(eu_lab))
    second = certify(eu_lab, "P-2", eu_items(eu_lab))
    auth.login_as("technician")
    empty = client.get(f"/criteria/{DRAFT}/impact").get_data(as_text=True)
    assert "No analysis yet" in empty

    started = client.post(f"/criteria/{DRAFT}/impact")  # runs in-process without a broker
    assert started.status_code == 302
    html = client.get(f"/criteria/{DRAFT}/impact").get_data(as_text=True)
    assert 'data-state="done"' in html
    page_rows, page_counts = _page_rows(html), _page_counts(html)
    # the draft adds the IP54 requirement: neither phone has an ingress protection result
    assert page_rows == {first.number: "needs_tests", second.number: "needs_tests"}
    assert "no result for ingress.ip: eco.ingress" in html
    assert html.count("Open re-test") == 2  # a technician opens a follow-up from here

    data = api().get(f"/api/v1/criteria-sets/{DRAFT}/impact").get_json()
    assert data["run"]["state"] == "done" and data["criteria_set"] == DRAFT
    assert data["status"] == "draft" and data["changes"]["added"] == ["eco.ingress"]
    assert {c["number"]: c["impact"] for c in data["certificates"]} == page_rows
    assert page_counts == {"total": data["total"], **data["counts"]}
    assert data["certificates"][0]["tests"] == [
        {"test": "ingress.ip", "conditions": {}, "why": "missing", "criteria": ["eco.ingress"]}]

    result = runner.invoke(args=["criteria", "impact", DRAFT, "--json"])
    assert result.exit_code == 0, result.output
    cli = json.loads(result.stdout)
    assert cli == {k: v for k, v in data.items() if k != "run"}

    filtered = api().get(f"/api/v1/criteria-sets/{DRAFT}/impact?impact=would_fail").get_json()
    assert filtered["certificates"] == [] and filtered["counts"] == data["counts"]
    page_filtered = client.get(f"/criteria/{DRAFT}/impact?impact=needs_tests")
    assert len(_page_rows(page_filtered.get_data(as_text=True))) == 2


def test_the_cli_prints_counts_and_reasons_with_a_progress_bar(eu_lab, runner) -> None:
    certificate = certify(eu_lab, "P-3", eu_items(eu_lab))
    result = runner.invoke(args=["criteria", "impact", DRAFT])
    assert result.exit_code == 0, result.output
    assert "1 certificates in force: 0 unaffected, 1 needs tests" in result.stdout
    assert f"{certificate.number}  needs_tests" in result.stdout
    assert "Re-judging eu-red@2027.01" in result.stderr


def test_the_impact_is_for_lab_staff_only(client, auth, api) -> None:
    response = api(role="manufacturer").get(f"/api/v1/criteria-sets/{DRAFT}/impact")
    assert response.status_code == 403
    auth.login_as("manufacturer")
    assert client.get(f"/criteria/{DRAFT}/impact").status_code == 403


def test_an_unknown_version_is_404_with_the_reason_and_a_bare_id_means_the_newest(
        api, runner) -> None:
    response = api().get("/api/v1/criteria-sets/eu-red@1999.01/impact")
    assert response.status_code == 404 and "unknown version" in response.get_json()["message"]
    bare = api().get("/api/v1/criteria-sets/eu-red/impact")
    assert bare.status_code == 200 and bare.get_json()["criteria_set"] == DRAFT
    unknown = api().get("/api/v1/criteria-sets/xx-none/impact")
    assert unknown.status_code == 404 and "xx-none" in unknown.get_json()["message"]
    bad_filter = api().get(f"/api/v1/criteria-sets/{DRAFT}/impact?impact=maybe")
    assert bad_filter.status_code == 422
    result = runner.invoke(args=["criteria", "impact", "eu-red@1999.01"])
    assert result.exit_code != 0 and "unknown version" in result.output


def test_the_background_run_is_queued_then_stored(eu_lab, api) -> None:
    certify(eu_lab, "P-4", eu_items(eu_lab))
    response = api().post(f"/api/v1/criteria-sets/{DRAFT}/impact")
    assert response.status_code == 202
    run = response.get_json()
    assert run["state"] == "done" and run["total"] == 1 and run["done"] == 1
    again = api().get(f"/api/v1/criteria-sets/{DRAFT}/impact").get_json()
    assert again["run"]["id"] == run["id"]


def test_a_run_abandoned_by_a_dead_worker_does_not_block_a_new_one(eu_lab, api) -> None:
    from datetime import timedelta

    from labcert.extensions import db
    from labcert.models import ImpactRun, utcnow
    from labcert.services import impact_runs

    stuck = ImpactRun(criteria_set=DRAFT, state="running", created_at=utcnow(),
                      started_at=utcnow())
    db.session.add(stuck)
    db.session.commit()
    assert impact_runs.is_active(stuck)
    busy = api().get(f"/api/v1/criteria-sets/{DRAFT}/impact")
    assert busy.status_code == 409 and "running" in busy.get_json()["message"]
    stuck.started_at = utcnow() - timedelta(minutes=20)
    db.session.commit()
    assert not impact_runs.is_active(stuck)
    answer = api().get(f"/api/v1/criteria-sets/{DRAFT}/impact")
    assert answer.status_code == 200 and answer.get_json()["run"]["id"] != stuck.id
