"""Samples in bulk: a pasted list or a JSON list, all or nothing, each line's problem named."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import func, select

from labcert.extensions import db
from labcert.models import AuditEvent, Sample
from labcert.rules.checks import luhn_check_digit
from labcert.services.sample_lines import parse_sample_lines

TODAY = date.today()


def imeis(tac: str, count: int, start: int = 1) -> list[str]:
    bodies = [f"{tac}{n:06d}" for n in range(start, start + count)]
    return [b + str(luhn_check_digit(b)) for b in bodies]


def samples_in_lab() -> int:
    return db.session.scalar(select(func.count()).select_from(Sample))


def test_the_parser_reads_serials_groups_headers_and_comments() -> None:
    text = ("imei,serial\n# shipment 12\n358402120000017, SN-1\n\n"
            "35 840212 000002 5\n358402120000033\tSN 3\n358402120000041 SN-4 spare\n")
    items = parse_sample_lines(text, TODAY, "boxed")
    assert [(i.imei, i.serial, i.where) for i in items] == [
        ("358402120000017", "SN-1", "line 3"), ("35 840212 000002 5", "", "line 5"),
        ("358402120000033", "SN 3", "line 6"), ("358402120000041", "SN-4 spare", "line 7")]
    assert {i.condition for i in items} == {"boxed"} and {i.received_at for i in items} == {TODAY}


def test_a_list_of_twenty_is_registered_in_one_request(lab, api) -> None:
    application = lab.open()
    tac = application.product.tacs[0]
    body = [{"imei": imei, "serial": f"SN{n}", "received_at": TODAY.isoformat()}
            for n, imei in enumerate(imeis(tac, 20))]
    response = api(lab.technician).post(f"/api/v1/applications/{application.id}/samples",
                                        json=body)
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["accepted"] == 20
    assert [s["serial"] for s in response.get_json()["samples"]][:2] == ["SN0", "SN1"]
    assert samples_in_lab() == 20
    assert application.state == "testing"
    events = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "sample.add_many"))
    assert [e.data["count"] for e in events] == [20]


def test_one_bad_item_stores_nothing_and_every_problem_is_named(lab, api) -> None:
    first = lab.open()
    tac = first.product.tacs[0]
    taken, fresh = imeis(tac, 1, start=900)[0], imeis(tac, 3)
    api(lab.technician).post(f"/api/v1/applications/{first.id}/samples",
                             json={"imei": taken, "received_at": TODAY.isoformat()})
    application = lab.open()
    wrong_digit = fresh[1][:14] + str((int(fresh[1][14]) + 1) % 10)
    body = [{"imei": fresh[0], "received_at": TODAY.isoformat()},
            {"imei": wrong_digit, "received_at": TODAY.isoformat()},
            {"imei": taken, "received_at": TODAY.isoformat()},
            {"imei": fresh[0], "received_at": (TODAY + timedelta(days=2)).isoformat()},
            {"imei": imeis("99999999", 1)[0], "received_at": TODAY.isoformat()}]
    response = api(lab.technician).post(f"/api/v1/applications/{application.id}/samples",
                                        json=body)
    assert response.status_code == 422
    details = response.get_json()["details"]
    assert set(details) == {"samples[1].imei", "samples[2].imei", "samples[3].imei",
                            "samples[3].received_at", "samples[4].imei"}
    assert "check digit" in details["samples[1].imei"][0]
    assert first.number in details["samples[2].imei"][0]
    assert "listed twice" in details["samples[3].imei"][0]
    assert "TAC 99999999" in details["samples[4].imei"][0]
    assert "nothing was saved" in response.get_json()["message"]
    assert samples_in_lab() == 1


def test_a_list_item_missing_a_field_is_named_by_its_index(lab, api) -> None:
    application = lab.open()
    response = api(lab.technician).post(f"/api/v1/applications/{application.id}/samples",
                                        json=[{"imei": imeis("35209900", 1)[0]}])
    assert response.status_code == 422
    assert "samples[0].received_at" in response.get_json()["details"]


def test_the_single_object_form_still_works(lab, api) -> None:
    application = lab.open()
    imei = imeis(application.product.tacs[0], 1)[0]
    response = api(lab.technician).post(f"/api/v1/applications/{application.id}/samples",
                                        json={"imei": imei, "received_at": TODAY.isoformat()})
    assert response.status_code == 201 and response.get_json()["imei"] == imei
    assert api(lab.technician).post(f"/api/v1/applications/{application.id}/samples",
                                    json="nonsense").status_code == 422
    assert api(lab.technician).post(f"/api/v1/applications/{application.id}/samples",
                                    json=[]).status_code == 422
