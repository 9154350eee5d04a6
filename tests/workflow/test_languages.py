"""Pages in the visitor's language: Accept-Language, the switch, the account's own choice.

The public verify answer speaks Arabic or Urdu right to left with identifiers kept left to
right; the API keeps its English codes and translates only its message fields.
"""

from __future__ import annotations

import re

import pytest

from labcert.extensions import db
from tests.factories import approve


@pytest.fixture
def certificate(lab):
    return approve(lab.reviewer, lab.submitted().id).certificates[0]


def _html_tag(page: str) -> str:
    match = re.search(r"<html[^>]*>", page)
    assert match
    return match.group(0)


@pytest.mark.parametrize(("language", "in_force", "sentence"), [
    ("ar", "نافذة", "سارية: الشهادة نافذة."),
    ("ur", "نافذ", "درست: سرٹیفکیٹ نافذ ہے۔"),  # noqa: RUF001
    ("ru", "Действует", "Действителен: сертификат в силе."),
])
def test_the_verify_answer_speaks_the_visitors_language(
        client, certificate, language, in_force, sentence) -> None:
    response = client.get(f"/verify/{certificate.number}",
                          headers={"Accept-Language": f"{language},en;q=0.5"})
    page = response.get_data(as_text=True)

    assert response.status_code == 200
    direction = "ltr" if language == "ru" else "rtl"
    assert _html_tag(page) == f'<html lang="{language}" dir="{direction}">'
    assert f"✔ {in_force}" in page
    assert sentence in page
    assert "In force" not in page and "Valid: the certificate is in force." not in page
    assert f'<bdi dir="ltr">{certificate.number}</bdi>' in page  # the number stays LTR
    assert "Accept-Language" in response.headers["Vary"]
    assert "Cookie" in response.headers["Vary"]


def test_english_is_the_default_and_an_unknown_language_falls_back_to_it(
        client, certificate) -> None:
    for headers in ({}, {"Accept-Language": "fr-FR,de;q=0.8"}):
        page = client.get(f"/verify/{certificate.number}", headers=headers).get_data(as_text=True)
        assert _html_tag(page) == '<html lang="en" dir="ltr">'
        assert "✔ In force" in page


def test_the_unknown_number_page_is_translated_and_quotes_the_number_safely(client) -> None:
    response = client.get("/verify/LC-2026-<b>9", headers={"Accept-Language": "ar"})
    page = response.get_data(as_text=True)

    assert response.status_code == 404
    assert "غير مسجّلة" in page
    assert "<b>9" not in page and "LC-2026-&lt;b&gt;9</bdi>" in page


def test_the_switch_on_every_page_is_remembered_and_beats_the_browser(
        client, certificate) -> None:
    page = client.get("/verify").get_data(as_text=True)
    assert 'href="/language/ur?next=/verify"' in page  # the switch, on a public page

    switched = client.get("/language/ur?next=/verify/" + certificate.number)
    assert switched.status_code == 302
    assert switched.headers["Location"].endswith(f"/verify/{certificate.number}")
    assert "labcert_lang=ur" in switched.headers["Set-Cookie"]

    page = client.get(f"/verify/{certificate.number}",
                      headers={"Accept-Language": "ar"}).get_data(as_text=True)
    assert _html_tag(page) == '<html lang="ur" dir="rtl">'


@pytest.mark.parametrize("target", ["//evil.example/x", "https://evil.example/", "/\\evil"])
def test_the_switch_never_sends_the_visitor_to_another_site(client, target) -> None:
    response = client.get("/language/ar", query_string={"next": target})
    assert response.status_code == 302
    assert "evil" not in response.headers["Location"]


def test_an_unsupported_language_code_is_not_found(client) -> None:
    assert client.get("/language/fr").status_code == 404
    assert client.get("/language/AR").status_code == 404


def test_the_accounts_own_language_is_saved_and_used(app, auth, client) -> None:
    user = auth.login_as("exporter")
    response = client.post("/account/language", data={"language": "ar"})
    assert response.status_code == 302
    db.session.refresh(user)
    assert user.language == "ar"

    client.delete_cookie("labcert_lang")  # another browser: the account's setting applies
    page = client.get("/account", headers={"Accept-Language": "ru"}).get_data(as_text=True)
    assert _html_tag(page) == '<html lang="ar" dir="rtl">'

    refused = client.post("/account/language", data={"language": "xx"})
    assert refused.status_code == 302
    db.session.refresh(user)
    assert user.language == "ar"


def test_the_api_keeps_english_codes_and_translates_only_messages(client, certificate) -> None:
    body = client.get(f"/api/v1/verify/{certificate.number}",
                      headers={"Accept-Language": "ar"}).get_json()
    assert body["status"] == "valid"
    assert body["status_message"] == "سارية: الشهادة نافذة."
    assert body["number"] == certificate.number

    english = client.get(f"/api/v1/verify/{certificate.number}").get_json()
    assert english["status_message"] == "Valid: the certificate is in force."

    missing = client.get("/api/v1/no-such-thing", headers={"Accept-Language": "ru"})
    assert missing.status_code == 404
    assert missing.get_json()["error"] == "Not Found"
    assert missing.get_json()["message"] == "По этому адресу или идентификатору ничего нет."
    assert "Accept-Language" in missing.headers["Vary"]


def test_the_shipment_csv_gives_its_reasons_in_the_visitors_language(client, certificate) -> None:
    imei = certificate.facts.samples[0].imei
    response = client.post("/verify/shipment", headers={"Accept-Language": "ru"}, data={
        "market": certificate.market, "imeis": imei, "format": "csv"})
    lines = response.get_data(as_text=True).splitlines()

    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert lines[0] == "imei,luhn_valid,certificate,status,covered,reason"  # codes stay English
    assert lines[1].startswith(f"{imei},True,{certificate.number},valid,True,")
    assert f"TAC {imei[:8]} покрыт сертификатом {certificate.number}" in lines[1]
    assert "<bdi" not in lines[1]


def test_a_refusal_from_the_service_is_shown_in_the_visitors_language(client, certificate) -> None:
    response = client.post("/verify/shipment", headers={"Accept-Language": "ar"},
                           data={"market": certificate.market, "imeis": ""})

    assert response.status_code == 422
    assert "أرسل قائمة بأرقام IMEI (رقم واحد على الأقل)." in response.get_data(as_text=True)


def test_the_market_is_named_with_its_country_in_the_visitors_language(client, certificate) -> None:
    page = client.get(f"/verify/{certificate.number}",
                      headers={"Accept-Language": "ur"}).get_data(as_text=True)
    shipment = client.get("/verify/shipment", headers={"Accept-Language": "ru"})

    assert "یورپی یونین — " in page or "پاکستان — " in page
    assert "Пакистан — PTA type approval" in shipment.get_data(as_text=True)
