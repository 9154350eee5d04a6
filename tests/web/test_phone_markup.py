"""What phones need from the markup: labelled cells, numeric keypads, a section index, a scan
button that only script reveals (issue 13, item 9). The layout itself is checked in a browser
(tests/e2e/test_public_pages.py)."""

from __future__ import annotations

import re

from tests.web.conftest import make_tested_application, text

LABELLED = re.compile(r"<td(?![^>]*data-label)[^>]*>")


def test_the_results_table_labels_every_cell_and_the_page_has_a_section_index(
        client, sign_in) -> None:
    technician = sign_in.new("technician")
    application = make_tested_application(technician)
    page = text(client.get(f"/lab/applications/{application.id}"))
    results = page[page.index('id="results"'):page.index('id="history"')]
    assert '<table class="results cards">' in results
    assert 'data-label="Result"' in results and LABELLED.findall(results) == []
    index = page[page.index('class="section-index"'):]
    index = index[:index.index("</nav>")]
    for anchor in ("#product", "#evaluation", "#samples", "#results", "#history"):
        assert f'href="{anchor}"' in index
        assert f'id="{anchor[1:]}"' in page


def test_the_imei_field_brings_up_a_numeric_keypad(client, sign_in) -> None:
    technician = sign_in.new("technician")
    application = make_tested_application(technician)
    page = text(client.get(f"/lab/applications/{application.id}/samples/new"))
    imei = re.search(r'<input[^>]*id="imei"[^>]*>', page)
    assert imei is not None and 'inputmode="numeric"' in imei.group(0)


def test_the_shipment_answer_labels_every_cell(client) -> None:
    page = text(client.post("/verify/shipment", data={"market": "pk-pta",
                                                      "imeis": "352099001761481\n123\n"}))
    lines = page[page.index('<table class="cards shipment-lines">'):]
    lines = lines[:lines.index("</table>")]
    assert LABELLED.findall(lines) == []
    assert lines.count('data-label="Status"') == 2 and lines.count('data-label="Reason"') == 2


def test_the_verify_page_offers_the_camera_only_through_its_script(client) -> None:
    page = text(client.get("/verify"))
    assert re.search(r'<div class="scan" id="scan" hidden>', page)
    assert "Scan the QR code" in page and "js/verify-scan.js" in page
    assert 'name="number"' in page  # the plain form is always there
