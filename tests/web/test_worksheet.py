"""The worksheet (plan as one grid, all or nothing), the plan CSV template, the one-pass CSV
preview, and the reviewer's list of every kind of flag."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from sqlalchemy import func, select

from labcert.extensions import db
from labcert.models import TestResult
from labcert.services.plans import plan_of
from labcert.services.results import add_results
from tests.factories import make_instrument, make_user
from tests.web.conftest import (
    make_application,
    make_sample,
    make_submitted_application,
    past_timestamp,
    text,
)

VALUES = {"rohs.pb": "420", "rohs.hg": "2", "rohs.cd": "12", "rohs.cr6": "8", "rohs.pbb": "3",
          "rohs.pbde": "9", "emc.esd|discharge=contact|level_kv=4": "B",
          "emc.esd|discharge=air|level_kv=8": "A"}
U = {"rohs.pb": "50", "rohs.hg": "1", "rohs.cd": "4", "rohs.cr6": "3", "rohs.pbb": "2",
     "rohs.pbde": "3"}
RADIATED = {"30..230": ("96", "34.1"), "230..1000": ("640", "41.5")}


def _csrf(page: str) -> str:
    """Return the page's CSRF token (the test app turns CSRF off: then none)."""
    found = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)
    return found[1] if found else ""


def _sheet_post(client, application, rows, defaults, bad_row=None):
    page = text(client.get(f"/lab/applications/{application.id}/worksheet"))
    data = {"csrf_token": _csrf(page), "rows": str(len(rows)), **defaults}
    for i, row in enumerate(rows):
        data[f"r{i}-key"] = row.key
        if row.key in VALUES or row.test in VALUES:
            data[f"r{i}-value"] = VALUES.get(row.key, VALUES.get(row.test))
            data[f"r{i}-u"] = U.get(row.test, "")
            if "material" in row.open_conditions:
                data[f"r{i}-cond-material"] = "solder"
        elif row.test == "emc.radiated":
            mhz, level = RADIATED[row.key.rsplit("=", 1)[1]]
            data.update({f"r{i}-value": level, f"r{i}-u": "5.2",
                         f"r{i}-cond-frequency_mhz": mhz})
    if bad_row is not None:
        data[f"r{bad_row}-value"] = "4,2x"
    return client.post(f"/lab/applications/{application.id}/worksheet", data=data)


def _ready(sign_in):
    technician = sign_in.new("technician")
    application = make_application(technician)
    sample = make_sample(application, technician)
    instrument = make_instrument()
    when = (datetime.now(UTC) - timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M")
    defaults = {"default-sample": sample.imei, "default-instrument": instrument.asset_tag,
                "default-tested_at": when}
    return technician, application, defaults


def test_the_worksheet_saves_a_whole_market_in_one_post_without_javascript(
        client, sign_in) -> None:
    _technician, application, defaults = _ready(sign_in)
    page = text(client.get(f"/lab/applications/{application.id}/worksheet"))
    rows = plan_of(application).rows
    assert page.count('class="value-cell"') == len(rows) == 12
    assert 'name="default-sample"' in page and "worksheet.js" in page
    response = _sheet_post(client, application, rows, defaults)
    assert response.status_code == 302, text(response)[:2000]
    assert db.session.scalar(select(func.count()).select_from(TestResult)) == 10
    assert plan_of(application).complete
    shown = text(client.get(response.headers["Location"]))
    assert "10 results saved." in shown and "every required row has a result" in shown
    detail = text(client.get(f"/lab/applications/{application.id}"))
    assert "badge-pass" in detail or ">pass<" in detail


def test_one_bad_cell_saves_nothing_and_the_error_stands_beside_it(client, sign_in) -> None:
    _technician, application, defaults = _ready(sign_in)
    rows = plan_of(application).rows
    bad = next(i for i, r in enumerate(rows) if r.test == "rohs.hg")
    response = _sheet_post(client, application, rows, {**defaults, "default-instrument": ""},
                           bad_row=bad)
    assert response.status_code == 422
    page = text(response)
    assert db.session.scalar(select(func.count()).select_from(TestResult)) == 0
    assert f'id="r{bad}-value-error"' in page and "4,2x" in page  # typed values stay
    pb = next(i for i, r in enumerate(rows) if r.test == "rohs.pb")
    assert f'id="r{pb}-instrument-error"' in page and "Name the instrument" in page
    assert 'value="420"' in page


def test_a_submitted_application_shows_the_plan_but_no_entry_cells(client, sign_in) -> None:
    technician = sign_in.new("technician")
    application = make_submitted_application(technician)
    page = text(client.get(f"/lab/applications/{application.id}/worksheet"))
    assert "takes no more results" in page and 'class="value-cell"' not in page
    response = client.get(f"/lab/applications/{application.id}/results/new")
    assert response.status_code == 302  # the entry forms are closed, not refused on save


def test_the_plan_template_filled_in_imports_every_row(client, sign_in, api) -> None:
    technician, application, defaults = _ready(sign_in)
    response = client.get(f"/lab/applications/{application.id}/plan.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    reader = csv.DictReader(io.StringIO(text(response)))
    rows, plan = list(reader), plan_of(application).rows
    assert [r["test"] for r in rows] == [p.test for p in plan]
    filled = []
    for row, p in zip(rows, plan, strict=True):
        if p.test == "emc.conducted":
            continue  # optional rows left out
        row.update(instrument=defaults["default-instrument"], tested_at=past_timestamp())
        assert row["sample_imei"] == defaults["default-sample"]  # the only sample, filled
        if p.test == "emc.radiated":
            mhz, level = RADIATED[p.key.rsplit("=", 1)[1]]
            row.update(value=level, uncertainty="5.2", **{"cond.frequency_mhz": mhz})
        elif p.kind == "observation":
            row.update(observation=VALUES[p.key], unit="")
        else:
            row.update(value=VALUES[p.test], uncertainty=U[p.test], **{"cond.material": "solder"})
        filled.append(row)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=reader.fieldnames)
    writer.writeheader()
    writer.writerows(filled)
    stored = api(technician).post(f"/api/v1/applications/{application.id}/results.csv",
                                  data=out.getvalue().encode(), content_type="text/csv")
    assert stored.status_code == 201, stored.get_json()
    assert stored.get_json()["accepted"] == len(filled) == 10
    assert plan_of(application).complete


def test_a_csv_with_five_different_errors_reports_all_five_in_one_preview(
        client, sign_in) -> None:
    _technician, application, defaults = _ready(sign_in)
    tag, imei = defaults["default-instrument"], defaults["default-sample"]
    future = (datetime.now(UTC) + timedelta(days=3)).replace(microsecond=0).isoformat()
    at = past_timestamp()
    body = ("test,value,unit,sample_imei,instrument,tested_at,cond.material,colour\n"
            f"rohs.pb,4x2,ppm,{imei},{tag},{at},solder,red\n"
            f"rohs.pbx,2,ppm,{imei},{tag},{at},solder,\n"
            f"rohs.cd,12,ppm,352099001761499,{tag},{at},solder,\n"
            f"rohs.cr6,8,ppm,{imei},{tag},{future},solder,\n")
    response = client.post(f"/lab/applications/{application.id}/import", data={
        "csrf_token": _csrf(text(client.get(f"/lab/applications/{application.id}/import"))),
        "file": (io.BytesIO(body.encode()), "rig.csv", "text/csv")},
        content_type="multipart/form-data")
    assert response.status_code == 422
    page = text(response)
    assert "Unknown column &#39;colour&#39;" in page or "Unknown column 'colour'" in page
    assert "line 2, column 2 (value)" in page
    assert "unknown test code &#39;rohs.pbx&#39;" in page or "unknown test code 'rohs.pbx'" in page
    assert "352099001761499 is not a sample" in page
    assert "cannot be in the future" in page


def test_the_reviewer_page_lists_each_kind_of_flag(client, sign_in) -> None:
    technician = make_user("technician")
    application = make_application(technician)
    sample = make_sample(application, technician)
    budgeted = make_instrument(asset_tag="XRF-1", budgets={"rohs.hg": {"value": "1",
                                                                          "unit": "ppm"}})
    at = past_timestamp()
    item = {"sample_imei": sample.imei, "instrument": budgeted.asset_tag, "tested_at": at}
    add_results(technician, application.id, [
        {**item, "test": "rohs.pb", "value": "420", "unit": "ppm", "uncertainty": "50",
         "conditions": {"material": "solder"}},
        {**item, "test": "rohs.hg", "value": "2", "unit": "ppm",
         "conditions": {"material": "solder"}},  # U from the budget
        {**item, "test": "emc.radiated", "value": "34", "unit": "dBuV/m",
         "conditions": {"frequency_mhz": "96", "detector": "QP", "distance_m": "3"}},  # no U
        {**item, "test": "emc.radiated", "value": "30", "unit": "dBuV/m", "uncertainty": "5",
         "conditions": {"frequency_mhz": "5000", "detector": "QP", "distance_m": "3"}},
    ])
    legacy = TestResult(application_id=application.id, test_code="rohs.cd",
                        value=Decimal(12), unit="ppm", uncertainty=Decimal(4),
                        conditions={"material": "solder"},
                        tested_at=datetime.now(UTC) - timedelta(days=400),
                        entered_by_id=technician.id)  # before traceability: no sample/instrument
    db.session.add(legacy)
    db.session.commit()
    from labcert.services.applications import submit_application

    submit_application(technician, application.id)
    sign_in.new("reviewer")
    page = text(client.get(f"/review/applications/{application.id}"))
    flags = page.split('id="flags-h"', 1)[1].split("</section>", 1)[0]
    for kind in ("untraceable", "no_criterion", "u_from_budget", "indeterminate", "missing"):
        assert f'id="flags-{kind}"' in flags, kind
    assert "U from the budget of XRF-1" in flags
    assert f"#{legacy.id} (rohs.cd) has no sample and no instrument" in flags
    assert "serves no criterion of eaeu" in flags
    assert "No result for rohs.cr6" in flags


def test_the_csv_reference_lists_every_code_column_and_alias(client, sign_in) -> None:
    sign_in.new("technician")
    response = client.get("/lab/csv-reference")
    assert response.status_code == 200
    page = text(response)
    for words in ("<code>sar.head</code>", "<code>cond.band</code>", "GSM1800 → DCS1800",
                  "<code>sample_imei</code>", "QP, AV, PK"):
        assert words in page, words
