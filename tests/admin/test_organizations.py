"""Organisations: manufacturers, exporters and the lab itself, with its logo."""

from __future__ import annotations

import pytest

from labcert.errors import ValidationFailed
from labcert.extensions import db
from labcert.models import ROLES, Organization
from labcert.services import logos
from labcert.services.organizations import lab_profile, set_logo
from tests.admin.conftest import events, text
from tests.factories import make_organization, make_user

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64
SVG = (b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
       b'<rect width="10" height="10" fill="#0b5d4b"/></svg>')


def _new(client, **fields):
    data = {"kind": "manufacturer", "name": "Air Link Communication", "country": "pk",
            "address": "152-M, Kot Lakhpat, Lahore", "factory_sites": "",
            "accreditation_number": ""}
    data.update(fields)
    return client.post("/admin/organizations/new", data=data)


def test_an_administrator_registers_a_manufacturer_with_its_factory_sites(client, auth) -> None:
    admin = auth.login_as("admin")
    response = _new(client, factory_sites="Lahore plant 1\n\n  Karachi plant 2 \n")
    assert response.status_code == 302
    org = db.session.scalar(db.select(Organization).where(Organization.name.startswith("Air")))
    assert (org.kind, org.country, org.factory_sites) == (
        "manufacturer", "PK", ["Lahore plant 1", "Karachi plant 2"])
    [event] = events("organization.create")
    assert event.actor == admin.email and event.entity_id == str(org.id)
    assert "Air Link Communication" in text(client.get("/admin/organizations?kind=manufacturer"))
    assert "Air Link Communication" not in text(client.get("/admin/organizations?kind=exporter"))


def test_kind_specific_details_are_refused_on_the_wrong_kind(client, auth) -> None:
    auth.login_as("admin")
    page = text(_new(client, kind="exporter", factory_sites="A plant",
                     accreditation_number="PNAC-1"))
    assert "Only manufacturers have factory sites." in page
    assert "Only the lab has an accreditation number." in page
    assert events("organization.create") == []


def test_names_are_unique_whatever_their_case(client, auth) -> None:
    auth.login_as("admin")
    make_organization(name="Karachi Export House", kind="exporter")
    page = text(_new(client, kind="exporter", name="karachi export house"))
    assert "already exists" in page and 'id="name-error"' in page


def test_a_country_is_a_two_letter_code(client, auth) -> None:
    auth.login_as("admin")
    assert "two-letter country code" in text(_new(client, country="P1"))


def test_the_lab_is_registered_once(client, auth) -> None:
    auth.login_as("admin")
    lab = make_organization(kind="lab", name="The Lab")
    response = _new(client, kind="lab", name="A second lab")
    assert response.status_code == 200
    assert f"The lab is already registered as {lab.name}" in text(response)


def test_an_administrator_edits_an_organisation_with_an_audit_event(client, auth) -> None:
    auth.login_as("admin")
    org = make_organization(kind="manufacturer", name="Indus Mobile", factory_sites=["Korangi"])
    page = text(client.get(f"/admin/organizations/{org.id}"))
    assert "Korangi" in page and "Accreditation number" not in page
    response = client.post(f"/admin/organizations/{org.id}", data={
        "name": "Indus Mobile Assembly", "address": org.address, "country": "PK",
        "factory_sites": "Korangi\nPort Qasim"})
    assert response.status_code == 302
    db.session.refresh(org)
    assert org.name == "Indus Mobile Assembly" and org.factory_sites == ["Korangi", "Port Qasim"]
    [event] = events("organization.update")
    assert event.data["changes"]["name"] == ["Indus Mobile", "Indus Mobile Assembly"]


@pytest.mark.parametrize("role", [r for r in ROLES if r != "admin"])
def test_only_administrators_manage_organisations(client, auth, role) -> None:
    auth.login_as(role)
    org = make_organization()
    assert client.get("/admin/organizations").status_code == 403
    assert client.post(f"/admin/organizations/{org.id}", data={"name": "x"}).status_code == 403
    assert _new(client).status_code == 403


@pytest.mark.parametrize("path", ["/admin/organizations/999999",
                                  "/admin/organizations/999999/logo",
                                  "/admin/organizations/999999/logo/remove"])
def test_an_unknown_organisation_is_404(client, auth, path) -> None:
    auth.login_as("admin")
    method = client.get if path.endswith("999999") else client.post
    assert method(path).status_code == 404


def _upload(client, org, data: bytes, filename: str = "logo.png"):
    # The body is built here: werkzeug's test builder spools a large one to a file it never
    # closes, which `filterwarnings = error` would report against the next test.
    boundary = "labcert-test-boundary"
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"logo\"; "
            f"filename=\"{filename}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
            ).encode() + data + f"\r\n--{boundary}--\r\n".encode()
    return client.post(f"/admin/organizations/{org.id}/logo", data=body,
                       content_type=f"multipart/form-data; boundary={boundary}")


@pytest.mark.parametrize(("data", "mimetype"), [(PNG, "image/png"), (JPEG, "image/jpeg"),
                                                (SVG, "image/svg+xml")])
def test_the_lab_logo_is_stored_and_given_to_certificates(client, auth, data, mimetype) -> None:
    admin = auth.login_as("admin")
    lab = make_organization(kind="lab", name="LabCert Test Lab", country="PK",
                            address="Plot 12, Lahore", accreditation_number="PNAC-TL-1")
    assert _upload(client, lab, data, "anything.bin").status_code == 302
    assert lab_profile("Fallback Lab") == {"name": "LabCert Test Lab", "address": "Plot 12, Lahore",
                             "accreditation_number": "PNAC-TL-1", "country": "PK",
                             "logo": data, "logo_mimetype": mimetype}
    assert f"data:{mimetype};base64," in text(client.get(f"/admin/organizations/{lab.id}"))
    [event] = events("organization.set_logo")
    assert event.actor == admin.email and event.data["sha256"] == logos.digest(data)


def test_a_new_logo_replaces_the_old_one_and_can_be_removed(client, auth) -> None:
    auth.login_as("admin")
    lab = make_organization(kind="lab")
    _upload(client, lab, SVG)
    _upload(client, lab, PNG)
    assert lab_profile("Fallback Lab")["logo_mimetype"] == "image/png"
    assert client.post(f"/admin/organizations/{lab.id}/logo/remove").status_code == 302
    profile = lab_profile("Fallback Lab")
    assert profile["logo"] is None and profile["logo_mimetype"] is None
    assert len(events("organization.remove_logo")) == 1
    assert client.post(f"/admin/organizations/{lab.id}/logo/remove").status_code == 409


@pytest.mark.parametrize(("data", "message"), [
    (b"GIF89a" + b"\x00" * 20, "PNG, JPEG or SVG"),
    (b"%PDF-1.7 pretending", "PNG, JPEG or SVG"),
    (b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "&lt;script&gt;"),
    (b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', "event handlers"),
    (b'<svg xmlns="http://www.w3.org/2000/svg"><a href="javascript:alert(1)"/></svg>',
     "scripts"),
    (b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:x="http://www.w3.org/1999/xlink">'
     b'<image x:href="https://tracker.example/x.png"/></svg>', "self-contained"),
    (b'<!DOCTYPE svg [<!ENTITY a "aaaa">]><svg xmlns="http://www.w3.org/2000/svg">&a;</svg>',
     "entity"),
    (b"<html><body>not an image</body></html>", "not an SVG"),
    (b"<svg unclosed", "not well-formed"),
])
def test_a_logo_is_judged_by_its_content_not_its_name(client, auth, data, message) -> None:
    auth.login_as("admin")
    lab = make_organization(kind="lab")
    response = _upload(client, lab, data, "logo.png")
    assert response.status_code == 422
    assert message in text(response) and 'id="logo-error"' in text(response)
    assert lab_profile("Fallback Lab")["logo"] is None
    assert events("organization.set_logo") == []


def test_a_logo_over_its_limit_gets_the_upload_limit_answer(client, auth) -> None:
    auth.login_as("admin")
    lab = make_organization(kind="lab")
    response = _upload(client, lab, PNG + b"\x00" * (512 * 1024), "logo.png")
    assert response.status_code == 413
    assert "larger than the limit of 512 KiB" in text(response)
    assert 'id="logo-error"' in text(response)
    assert lab_profile("Fallback Lab")["logo"] is None


def test_only_the_lab_has_a_logo(app) -> None:
    maker = make_organization(kind="manufacturer")
    with pytest.raises(ValidationFailed, match="Only the lab"):
        set_logo(make_user(role="admin"), maker.id, PNG)


def test_the_lab_profile_falls_back_to_the_configured_name(app) -> None:
    profile = lab_profile(app.config["LAB_NAME"])
    assert profile["name"] == app.config["LAB_NAME"]
    assert profile["logo"] is None and profile["accreditation_number"] == ""
