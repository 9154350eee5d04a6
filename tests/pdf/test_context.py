"""The template context: plain values, readable forms, every flag the certificate must show."""

from __future__ import annotations

from typing import Any

from markupsafe import Markup

from labcert.certificate_facts import CertificateFacts
from labcert.pdf import build_context


def _context(snapshot: dict[str, Any], token: str = "ABC234") -> dict[str, Any]:
    return build_context(
        CertificateFacts.from_json(snapshot),
        verification_url="https://lab.example/verify/LC-2026-000123",
        qr_token=token,
    )


def _outcome(context: dict[str, Any], criterion: str) -> dict[str, Any]:
    return next(o for o in context["evaluation"]["outcomes"] if o["criterion"] == criterion)


def test_document_facts_are_readable(snapshot: dict[str, Any]) -> None:
    document = _context(snapshot)["document"]

    assert document["number"] == "LC-2026-000123"
    assert document["status"] == "Valid at issue"
    assert document["issued_on"] == "21 November 2026"
    assert document["valid_until"] == "21 November 2027"
    assert document["issued_at_iso"] == "2026-11-21T10:00:00+00:00"
    assert document["title"] == "Certificate of Conformity LC-2026-000123"


def test_issue_time_is_normalised_to_utc(snapshot: dict[str, Any]) -> None:
    snapshot["certificate"]["issued_at"] = "2026-11-21T23:30:00-05:00"

    document = _context(snapshot)["document"]

    assert document["issued_at_iso"] == "2026-11-22T04:30:00+00:00"
    assert document["issued_on"] == "22 November 2026"


def test_results_carry_limits_values_and_uncertainty_with_units(snapshot: dict[str, Any]) -> None:
    context = _context(snapshot)

    sar = _outcome(context, "sar.head.10g")
    assert (sar["limit"], sar["value"], sar["uncertainty"]) == (
        "≤ 2.0 W/kg",
        "0.83\u00a0W/kg",
        "0.25\u00a0W/kg",
    )
    assert sar["rule"] == "Guarded, w = U" and sar["verdict"] == "Pass"
    spurious = _outcome(context, "rf.spurious")
    assert spurious["value"] == "\u221247.2\u00a0dBm" and spurious["limit"] == "≤ \u221236\u00a0dBm"
    assert spurious["reason"].startswith("\u221247.2 dBm")
    assert _outcome(context, "emc.radiated.classb")["value"] == "39.8\u00a0dBµV/m"
    frequency = _outcome(context, "rf.frequency_error")
    assert frequency["limit"] == "\u22120.1\u00a0\u2013\u00a00.1\u00a0ppm"
    assert _outcome(context, "emc.esd")["limit"] == "one of A, B"
    assert _outcome(context, "emc.esd")["uncertainty"] == "—"
    assert _outcome(context, "imei.valid")["value"] == "—"


def test_unconfirmed_figures_and_results_by_others_are_flagged(snapshot: dict[str, Any]) -> None:
    context = _context(snapshot)

    assert _outcome(context, "battery.cycle_retention")["confirmed"] is False
    assert _outcome(context, "battery.un38_3")["external"] is True
    assert _outcome(context, "sar.head.10g")["confirmed"] is True
    assert _outcome(context, "sar.head.10g")["external"] is False
    assert context["evaluation"]["has_unconfirmed"] and context["evaluation"]["has_external"]


def test_rules_used_are_defined_in_words(snapshot: dict[str, Any]) -> None:
    rules = {
        rule["name"]: rule["definition"] for rule in _context(snapshot)["evaluation"]["rules_used"]
    }

    assert set(rules) == {
        "Simple",
        "Guarded, w = U",
        "Shared risk",
        "CISPR 16-4-2",
        "Observation",
        "Computed",
    }
    assert "guard band" in rules["Guarded, w = U"]


def test_svg_parts_are_markup_and_the_qr_url_carries_the_token(snapshot: dict[str, Any]) -> None:
    context = _context(snapshot)

    assert isinstance(context["qr_svg"], Markup) and context["qr_svg"].startswith("<svg")
    assert isinstance(context["margin_chart_svg"], Markup)
    assert context["qr_url"] == "https://lab.example/verify/LC-2026-000123?t=ABC234"
    assert context["verification_url"] == "https://lab.example/verify/LC-2026-000123"


def test_context_holds_only_plain_values(snapshot: dict[str, Any]) -> None:
    def walk(value: Any) -> None:
        if isinstance(value, dict):
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)
        else:
            assert value is None or isinstance(value, str | int | bool), type(value)

    walk(_context(snapshot))


def test_technologies_and_category_read_as_words(snapshot: dict[str, Any]) -> None:
    product = _context(snapshot)["product"]

    assert product["technologies"] == "GSM, UMTS, LTE, WLAN, Bluetooth"
    assert product["category"] == "Smartphone"
    assert product["tacs"] == ["86753109", "86753110"]
