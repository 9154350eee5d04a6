"""The bulk samples page: paste or upload, all or nothing, each line's problem in a table."""

from __future__ import annotations

import io
from datetime import date

from sqlalchemy import func, select

from labcert.extensions import db
from labcert.models import Sample
from tests.web.conftest import make_application, make_sample, new_imei, text


def count() -> int:
    return db.session.scalar(select(func.count()).select_from(Sample))


def test_a_pasted_list_with_serials_registers_every_sample(sign_in, client) -> None:
    technician = sign_in.new("technician")
    application = make_application(technician)
    listed = [new_imei() for _ in range(20)]
    pasted = "imei,serial\n" + "\n".join(f"{imei},SN-{n}" for n, imei in enumerate(listed))
    response = client.post(f"/lab/applications/{application.id}/samples/bulk",
                           data={"imeis": pasted, "received_at": date.today().isoformat(),
                                 "condition": "sealed"})
    assert response.status_code == 302 and response.headers["Location"].endswith("#samples")
    assert count() == 20
    page = text(client.get(f"/lab/applications/{application.id}"))
    assert "20 samples are registered" in page and "SN-19" in page


def test_problems_are_named_by_line_and_nothing_is_saved(sign_in, client) -> None:
    technician = sign_in.new("technician")
    application = make_application(technician)
    taken = make_sample(make_application(technician), technician).imei
    good = new_imei()
    wrong = good[:14] + str((int(good[14]) + 1) % 10)
    pasted = f"{good}\n\n{wrong}, SN-2\n{taken}\n12345"
    response = client.post(f"/lab/applications/{application.id}/samples/bulk",
                           data={"imeis": pasted, "received_at": date.today().isoformat()})
    assert response.status_code == 422
    page = text(response)
    assert "3 of 4 samples cannot be registered; nothing was saved." in page
    assert "Line 3" in page and "check digit" in page
    assert "Line 4" in page and "already registered" in page
    assert "Line 5" in page and "15 digits" in page
    assert "Line 1 " not in page
    assert count() == 1  # only the one registered before
    assert wrong in response.get_data(as_text=True)  # the list comes back to be fixed


def test_an_uploaded_file_is_read_like_a_pasted_list(sign_in, client) -> None:
    technician = sign_in.new("technician")
    application = make_application(technician)
    listed = "\n".join(new_imei() for _ in range(3)).encode()
    response = client.post(f"/lab/applications/{application.id}/samples/bulk",
                           data={"file": (io.BytesIO(listed), "imeis.txt"),
                                 "received_at": date.today().isoformat()},
                           content_type="multipart/form-data")
    assert response.status_code == 302 and count() == 3


def test_an_empty_list_and_a_missing_date_are_told(sign_in, client) -> None:
    technician = sign_in.new("technician")
    application = make_application(technician)
    response = client.post(f"/lab/applications/{application.id}/samples/bulk",
                           data={"imeis": "\n\n"})
    assert response.status_code == 422 and "at least one IMEI" in text(response)
    response = client.post(f"/lab/applications/{application.id}/samples/bulk",
                           data={"imeis": new_imei()})
    assert response.status_code == 422 and "date the sample was received" in text(response)
    assert count() == 0
