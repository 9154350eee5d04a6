"""CSV import: checked upload, preview with errors by line and column, all-or-nothing import."""

from __future__ import annotations

import html
import io
import re
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from labcert.extensions import db
from labcert.models import TestResult
from labcert.web import lab_csv
from tests.factories import make_instrument
from tests.web.conftest import make_application, make_sample, new_imei, text

WHEN = (datetime.now(UTC) - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
HEADER = "test,value,observation,unit,uncertainty,cond.material,cond.discharge,cond.level_kv," \
         "sample_imei,instrument,tested_at"


def _csv(imei: str, *rows: str) -> bytes:
    return ("\n".join([HEADER, *rows]) + "\n").encode()


def _good(imei: str) -> bytes:
    return _csv(imei,
                f"rohs.pb,420,,ppm,50,solder,,,{imei},XRF-01,{WHEN}",
                f"rohs.hg,2,,ppm,1,solder,,,{imei},XRF-01,{WHEN}",
                f"emc.esd,,B,,,,contact,4,{imei},,{WHEN}")


def _upload(client, application_id: int, data: bytes, name: str = "rig.csv",
            mimetype: str = "text/csv"):
    return client.post(f"/lab/applications/{application_id}/import",
                       data={"file": (io.BytesIO(data), name, mimetype)},
                       content_type="multipart/form-data")


def _payload(page: str) -> str:
    return re.search(r'name="payload" value="([^"]+)"', page).group(1)


def _count() -> int:
    return db.session.scalar(select(func.count()).select_from(TestResult))


def _setup(sign_in):
    technician = sign_in.new("technician")
    application = make_application(technician)
    sample = make_sample(application, technician)
    make_instrument(asset_tag="XRF-01")
    return application, sample.imei


def test_a_good_file_is_previewed_then_imported_on_confirmation(client, sign_in) -> None:
    application, imei = _setup(sign_in)
    preview = _upload(client, application.id, _good(imei))
    page = text(preview)
    assert preview.status_code == 200
    assert "Preview of rig.csv" in page and "3 result rows" in page
    assert "<code>rohs.pb</code>" in page and "material: solder" in page
    assert _count() == 0
    response = client.post(f"/lab/applications/{application.id}/import/confirm",
                           data={"payload": _payload(page), "filename": "rig.csv"})
    assert response.status_code == 302
    assert _count() == 3
    assert "3 result(s) imported from rig.csv." in text(client.get(response.headers["Location"]))


def test_the_preview_names_the_line_and_column_of_each_error_and_offers_no_import(
        client, sign_in) -> None:
    application, imei = _setup(sign_in)
    data = _csv(imei, f"rohs.pb,420,,ppm,50,solder,,,{imei},XRF-01,{WHEN}",
                f"rohs.hg,lots,,ppm,1,solder,,,{imei},XRF-01,{WHEN}",
                f"rohs.cd,3,,ppm,1,,,,{imei},XRF-01,{WHEN}")
    response = _upload(client, application.id, data)
    page = html.unescape(text(response))
    assert response.status_code == 422
    assert "<strong>line 3, column 2 (value)</strong>: 'lots' is not a number" in page
    assert "<strong>line 4, column 6 (cond.material)</strong>: required by rohs.cd" in page
    assert "/import/confirm" not in page
    assert page.count('class="row-error"') == 2
    assert _count() == 0


def test_a_header_with_an_unknown_column_is_reported_on_line_1(client, sign_in) -> None:
    application, _ = _setup(sign_in)
    response = _upload(client, application.id, b"test,valeu\nrohs.pb,1\n")
    page = html.unescape(text(response))
    assert response.status_code == 422
    assert "<strong>line 1, column 2</strong>: Unknown column 'valeu'" in page


def test_errors_that_need_the_database_are_found_in_the_preview_by_line_and_column(
        client, sign_in) -> None:
    application, imei = _setup(sign_in)
    stranger = new_imei()
    data = _csv(imei, f"rohs.pb,420,,ppm,50,solder,,,{imei},XRF-01,{WHEN}",
                f"rohs.hg,2,,ppm,1,solder,,,{stranger},XRF-01,{WHEN}",
                f"rohs.cd,3,,ppm,1,solder,,,{imei},NOPE-9,{WHEN}")
    page = text(_upload(client, application.id, data))
    assert f"<strong>line 3, column 9 (sample_imei)</strong>: IMEI {stranger} is not a sample" \
        in page
    assert "<strong>line 4, column 10 (instrument)</strong>: No instrument with asset tag " \
        "NOPE-9" in page
    assert 'name="payload"' not in page  # nothing to confirm: the file would be refused
    assert _count() == 0


def test_a_file_that_is_not_csv_text_is_refused_beside_the_field(client, sign_in) -> None:
    application, _ = _setup(sign_in)
    response = _upload(client, application.id, b"%PDF-1.7", name="report.pdf",
                       mimetype="application/pdf")
    assert response.status_code == 422
    assert re.search(r'id="file-error">\s*<li>report.pdf is not a .csv file', text(response))
    response = _upload(client, application.id, b"test\x00\x01", name="rig.csv")
    assert "binary data" in text(response)


def test_a_tampered_payload_asks_for_the_file_again(client, sign_in) -> None:
    application, _ = _setup(sign_in)
    response = client.post(f"/lab/applications/{application.id}/import/confirm",
                           data={"payload": "not base64 at all!", "filename": "rig.csv"})
    assert response.status_code == 302
    assert "upload it again" in text(client.get(response.headers["Location"]))


def test_a_long_file_previews_the_first_rows_and_every_row_with_an_error(
        client, sign_in, monkeypatch) -> None:
    monkeypatch.setattr(lab_csv, "PREVIEW_ROWS", 2)
    application, imei = _setup(sign_in)
    rows = [f"rohs.pb,{n},,ppm,1,solder,,,{imei},XRF-01,{WHEN}" for n in range(1, 6)]
    rows.append(f"rohs.pb,x,,ppm,1,solder,,,{imei},XRF-01,{WHEN}")
    page = html.unescape(text(_upload(client, application.id, _csv(imei, *rows))))
    assert "Showing 3 of 6 rows: the first 2 and every row with an error." in page
    assert "<strong>line 7, column 2 (value)</strong>" in page
    assert page.count("<code>rohs.pb</code>") == 3
