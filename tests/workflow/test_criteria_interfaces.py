"""The rule engine's outside interfaces: API, CLI, pages, and the OpenAPI document."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from labcert.rules import load_registry
from tests.workflow.conftest import example

CRITERIA = Path(__file__).resolve().parents[2] / "labcert" / "criteria"
SETS = sorted(p for p in CRITERIA.glob("*@*.yaml"))


def _evaluate_body(**overrides):
    ex = example()
    results = []
    for res in ex.results:
        item = {"test": res.test, "conditions": dict(res.conditions)}
        if res.value is not None:
            item.update(value=str(res.value), unit=res.unit, uncertainty=str(res.uncertainty))
        else:
            item["observation"] = res.observation
        results.append(item)
    body = {"criteria_set": "pk-pta", "results": results,
            "product": {"brand": ex.product.brand, "model": ex.product.model,
                        "technologies": sorted(ex.product.technologies),
                        "bands": sorted(ex.product.bands), "tacs": list(ex.product.tacs),
                        "sample_imeis": list(ex.product.sample_imeis)}}
    body.update(overrides)
    return body


def test_the_criteria_sets_are_listed_publicly_with_their_status(client) -> None:
    sets = client.get("/api/v1/criteria-sets").get_json()
    ids = {s["id"] for s in sets}
    assert {"eu-red", "us-fcc", "sa-cst", "ae-tdra", "eaeu", "pk-pta"} <= ids
    eu = {s["version"]: s["status"] for s in sets if s["id"] == "eu-red"}
    assert list(eu.values()).count("active") == 1 and set(eu.values()) == {"active", "superseded",
                                                                  "draft"}


def test_one_set_is_served_by_id_or_by_version(client) -> None:
    current = client.get("/api/v1/criteria-sets/eu-red").get_json()
    assert current["criteria"] and {"test", "limit", "unit", "source"} <= set(
        current["criteria"][0])
    older = next(cs for cs in load_registry().all() if cs.id == "eu-red" and cs.ref !=
                 f"eu-red@{current['version']}")
    assert client.get(f"/api/v1/criteria-sets/{older.ref}").get_json()["version"] == older.version


@pytest.mark.parametrize("ref", ["mars-tdra", "eu-red@1999.01", "eu red@@x"])
def test_an_unknown_or_malformed_set_gets_404_with_the_reason(client, ref) -> None:
    response = client.get(f"/api/v1/criteria-sets/{ref}")
    assert response.status_code == 404 and response.get_json()["message"]


def test_evaluate_answers_the_evaluation_shape_and_stores_nothing(api) -> None:
    from sqlalchemy import func, select

    from labcert.extensions import db
    from labcert.models import AuditEvent

    caller = api(role="manufacturer")
    events = db.session.scalar(select(func.count()).select_from(AuditEvent))
    response = caller.post("/api/v1/evaluate", json=_evaluate_body())
    body = response.get_json()
    assert response.status_code == 200, body
    assert body["verdict"] == "pass" and body["criteria_set"].startswith("pk-pta@")
    outcome = body["outcomes"][0]
    assert {"criterion", "test", "verdict", "rule", "limit", "unit", "governing",
            "reason"} <= set(outcome)
    assert db.session.scalar(select(func.count()).select_from(AuditEvent)) == events
    assert body["evaluated_on"] and body["outcomes"][0]["limit_text"]


def test_evaluate_needs_a_token(client) -> None:
    assert client.post("/api/v1/evaluate", json=_evaluate_body()).status_code == 401


def test_bad_evaluation_input_is_422_with_a_message_per_item(api) -> None:
    body = _evaluate_body(criteria_set="eu-red@@1")
    body["results"][0]["test"] = "sar.haed"
    body["results"][1]["unit"] = "W/kg"  # rf.conducted_power is in dBm
    body["results"][2]["value"] = "lots"
    sar = next(i for i, r in enumerate(body["results"]) if r["test"] == "sar.head")
    response = api().post("/api/v1/evaluate", json=body)
    details = response.get_json()["details"]
    assert response.status_code == 422
    assert "criteria_set" in details
    assert "sar.head" in " ".join(details["results.0.test"])
    unit_message = " ".join(details["results.1.unit"])
    assert "W/kg" in unit_message and "dBm" in unit_message
    assert "results.2.value" in details
    del body["results"][sar]["uncertainty"]
    body["criteria_set"] = "pk-pta"
    body["results"][:3] = []
    missing_u = api().post("/api/v1/evaluate", json=body)  # judged, as the stored evaluation
    assert missing_u.status_code == 200, missing_u.get_json()
    sar_outcome = next(o for o in missing_u.get_json()["outcomes"]
                       if o["criterion"] == "sar.head.10g")
    assert sar_outcome["verdict"] == "indeterminate"
    assert "uncertainty required by the decision rule" in sar_outcome["reason"]


def test_criteria_list_prints_every_set(runner) -> None:
    result = runner.invoke(args=["criteria", "list"])
    assert result.exit_code == 0
    assert all(name in result.output for name in ("eu-red@", "pk-pta@", "eaeu@"))


@pytest.mark.parametrize("path", SETS, ids=lambda p: p.name)
def test_criteria_check_passes_on_every_shipped_file(runner, path) -> None:
    result = runner.invoke(args=["criteria", "check", str(path)])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("OK ")


def test_criteria_check_prints_the_path_of_the_problem(runner, tmp_path) -> None:
    broken = tmp_path / "pk-pta@2099.01.yaml"
    text = (CRITERIA / "pk-pta@2025.01.yaml").read_text()
    assert "test: sar.head" in text
    broken.write_text(text.replace("test: sar.head", "test: sar.haed", 1))
    result = runner.invoke(args=["criteria", "check", str(broken)])
    assert result.exit_code == 1
    assert str(broken) in result.output and "criteria[" in result.output


def test_the_criteria_page_shows_limits_rules_and_unconfirmed_figures(client, auth) -> None:
    auth.login_as("manufacturer")
    index = client.get("/criteria/").get_data(as_text=True)
    assert "pk-pta" in index
    page = client.get("/criteria/sa-cst").get_data(as_text=True)
    assert "unconfirmed" in page and "W/kg" in page


def test_the_openapi_document_lists_every_api_route(app, client) -> None:
    spec = client.get("/api/v1/openapi.json").get_json()
    documented = {(path, method.upper()) for path, ops in spec["paths"].items()
                  for method in ops if method != "parameters"}
    routes = set()
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/api/v1/") and rule.endpoint != "api-docs.openapi_json":
            path = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule)
            routes |= {(path, m) for m in rule.methods - {"HEAD", "OPTIONS"}}
    assert routes - documented == set()
