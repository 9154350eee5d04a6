"""Markets are named as people say them, from the criteria sets' own data (issue 13, item 6)."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from labcert.rules import load_registry
from labcert.rules.names import market_choices, market_name
from labcert.rules.yamlload import load_yaml
from tests.factories import approve


@pytest.fixture
def certificate(lab):
    return approve(lab.reviewer, lab.submitted().id).certificates[0]


def test_every_shipped_set_names_its_country_and_scheme() -> None:
    for cs in load_registry().all():
        data = load_yaml(Path(cs.file).read_text(encoding="utf-8"), cs.file)
        assert data.get("country") and data.get("scheme"), f"{cs.file}: add country and scheme"
        assert cs.name == f"{data['country']} — {data['scheme']}"
    assert market_name("pk-pta") == "Pakistan — PTA type approval"
    assert market_name("eu-red@2025.01") == "European Union — Radio Equipment Directive"
    assert market_name("mars") == "mars"  # unknown: shown as given, never an error
    assert dict(market_choices())["ae-tdra"] == "United Arab Emirates — TDRA type approval"


def test_the_verify_answer_names_the_country(client, certificate) -> None:
    page = client.get(f"/verify/{certificate.number}").get_data(as_text=True)
    assert "Pakistan — PTA type approval" in page
    body = client.get(f"/api/v1/verify/{certificate.number}").get_json()
    assert body["market"] == "pk-pta" and body["market_name"] == "Pakistan — PTA type approval"


def test_page_one_of_the_certificate_names_the_country(certificate) -> None:
    tool = shutil.which("pdftotext")
    if tool is None:
        pytest.skip("pdftotext is not installed (apt-get install poppler-utils)")
    done = subprocess.run([tool, "-f", "1", "-l", "1", "-", "-"], input=certificate.pdf,
                          capture_output=True, check=True)
    first = re.sub(r"\s+", " ", done.stdout.decode("utf-8"))
    assert "Pakistan — PTA type approval" in first


def test_the_shipment_check_has_no_default_market(client, certificate) -> None:
    form = client.get("/verify/shipment").get_data(as_text=True)
    options = re.findall(r"<option[^>]*>", form)
    assert options[0] == '<option value="">' and not any("selected" in o for o in options)
    assert ">Pakistan — PTA type approval</option>" in form
    assert "(ae-tdra)" not in form
    refused = client.post("/verify/shipment", data={"imeis": "352099001761481\n"})
    page = refused.get_data(as_text=True)
    assert refused.status_code == 422
    assert 'id="market-error"' in page and "Choose the destination market" in page
    checked = client.post("/verify/shipment", data={"market": "pk-pta",
                                                    "imeis": "352099001761481\n"})
    assert "1 of 1 covered for Pakistan — PTA type approval" in checked.get_data(as_text=True)
    api = client.post("/api/v1/verify/shipment", json={"market": "pk-pta",
                                                       "imeis": ["352099001761481"]})
    assert api.get_json()["market_name"] == "Pakistan — PTA type approval"


def test_lab_pages_name_the_markets(lab, auth, client) -> None:
    application = lab.submitted()
    auth.login(lab.reviewer.email)
    queue = client.get("/review/").get_data(as_text=True)
    assert "Pakistan — PTA type approval" in queue
    review = client.get(f"/review/applications/{application.id}").get_data(as_text=True)
    assert "Pakistan — PTA type approval" in review
