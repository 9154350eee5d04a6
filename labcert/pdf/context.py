"""Turn a stored certificate snapshot into the plain values the certificate template prints."""

from __future__ import annotations

import datetime as dt
from typing import Any

from labcert.pdf import display
from labcert.pdf.chart import chart_bars, margin_chart_svg
from labcert.pdf.qr import qr_svg, qr_url

VERDICTS = {
    "pass": "Pass",
    "conditional_pass": "Conditional pass",
    "conditional_fail": "Conditional fail",
    "fail": "Fail",
    "indeterminate": "Indeterminate",
    "incomplete": "Incomplete",
}
RULES = {
    "simple": "Simple",
    "guarded": "Guarded, w = U",
    "shared_risk": "Shared risk",
    "cispr": "CISPR 16-4-2",
    "observation": "Observation",
    "computed": "Computed",
}
RULE_DEFINITIONS = {
    "simple": "the measured value is compared with the limit as it is; U is stated but does not"
    " move the decision.",
    "guarded": "a pass needs the measured value inside the limit by at least U (guard band"
    " w = U); within U of the limit the result is a conditional pass or fail.",
    "shared_risk": "the measured value is compared with the test requirement of the standard,"
    " provided the lab's U does not exceed the maximum uncertainty the standard allows.",
    "cispr": "if U exceeds U_cispr, the excess is added to the measured value before it is"
    " compared with the limit (CISPR 16-4-2).",
    "observation": "the observed category or outcome must be one of those the criterion allows.",
    "computed": "a check computed from the application data (e.g. IMEI check digits).",
}
TECHNOLOGIES = {
    "gsm": "GSM",
    "umts": "UMTS",
    "lte": "LTE",
    "nr": "5G NR",
    "wlan": "WLAN",
    "bluetooth": "Bluetooth",
    "nfc": "NFC",
    "gnss": "GNSS",
    "uwb": "UWB",
}
DASH = "—"
MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def build_context(
    snapshot: dict[str, Any], *, verification_url: str, qr_token: str, lab_logo: str | None = None
) -> dict[str, Any]:
    """Build the template context for snapshot, with the margin chart and QR code as SVG markup."""
    cert = snapshot["certificate"]
    lab = snapshot["lab"]
    market = snapshot["market"]
    evaluation = snapshot["evaluation"]
    issued_at = _datetime(cert["issued_at"])
    outcomes = [_outcome(o) for o in evaluation.get("outcomes", [])]
    number = cert.get("display_number") or cert["number"]
    return {
        "document": {
            "title": f"Certificate of Conformity {number}",
            "number": number,
            "base_number": cert["number"],
            "revision": int(cert.get("revision") or 0),
            "status": "Valid at issue",
            "issued_on": _long_date(issued_at.date()),
            "issued_at_iso": issued_at.isoformat(),
            "valid_until": _long_date(_date(cert["valid_until"])),
            "supersedes": cert.get("supersedes"),
            "amendment_reason": cert.get("amendment_reason"),
            "application_number": (snapshot.get("application") or {}).get("number"),
        },
        "lab": {
            "name": lab["name"],
            "address": lab.get("address") or "",
            "accreditation_number": lab.get("accreditation_number") or DASH,
            "country": lab.get("country") or "",
            "logo": lab_logo,
        },
        "signatory": dict(snapshot.get("signatory") or {"name": DASH, "role": ""}),
        "holder": {
            "name": snapshot["holder"]["name"],
            "address": snapshot["holder"].get("address") or "",
            "country": snapshot["holder"].get("country") or "",
            "factory_sites": list(snapshot["holder"].get("factory_sites") or []),
        },
        "product": _product(snapshot["product"]),
        "samples": [dict(sample) for sample in snapshot.get("samples", [])],
        "market": {
            "id": market["id"],
            "title": market.get("title") or market["id"],
            "criteria_set": market.get("criteria_set") or evaluation.get("criteria_set"),
            "standards": [display.reference(s) for s in market.get("standards") or []],
            "decision_rule_text": market.get("decision_rule_text") or "",
        },
        "evaluation": {
            "verdict": VERDICTS.get(evaluation.get("verdict", ""), evaluation.get("verdict", "")),
            "verdict_code": evaluation.get("verdict", ""),
            "criteria_set": evaluation.get("criteria_set") or market.get("criteria_set"),
            "engine_version": evaluation.get("engine_version") or snapshot.get("engine_version"),
            "evaluated_on": _long_date(_date(evaluation["evaluated_on"]))
            if evaluation.get("evaluated_on")
            else DASH,
            "outcomes": outcomes,
            "not_applicable": list(evaluation.get("not_applicable") or []),
            "missing": list(evaluation.get("missing") or []),
            "rules_used": [
                {"name": RULES[code], "definition": RULE_DEFINITIONS[code]}
                for code in RULES
                if any(o.get("rule") == code for o in evaluation.get("outcomes", []))
            ],
            "has_unconfirmed": any(not o["confirmed"] for o in outcomes),
            "has_external": any(o["external"] for o in outcomes),
        },
        "margin_chart_svg": margin_chart_svg(evaluation.get("outcomes", [])),
        "charted_count": len(chart_bars(evaluation.get("outcomes", []))),
        "verification_url": verification_url,
        "qr_url": qr_url(verification_url, qr_token),
        "qr_svg": qr_svg(verification_url, qr_token),
    }


def _product(product: dict[str, Any]) -> dict[str, Any]:
    technologies = [TECHNOLOGIES.get(t.lower(), t) for t in product.get("technologies") or []]
    return {
        "brand": product.get("brand") or DASH,
        "model": product.get("model") or DASH,
        "marketing_name": product.get("marketing_name") or DASH,
        "category": (product.get("category") or DASH).replace("_", " ").capitalize(),
        "hardware_version": product.get("hardware_version") or DASH,
        "software_version": product.get("software_version") or DASH,
        "technologies": ", ".join(technologies) or DASH,
        "bands": ", ".join(product.get("bands") or []) or DASH,
        "tacs": list(product.get("tacs") or []),
    }


def _outcome(outcome: dict[str, Any]) -> dict[str, Any]:
    governing = outcome.get("governing") or {}
    code = outcome.get("unit")
    value, uncertainty = governing.get("value"), governing.get("uncertainty")
    value_unit = governing.get("unit") or (code if uncertainty is not None else None)
    return {
        "criterion": outcome.get("criterion", ""),
        "title": outcome.get("title") or outcome.get("criterion", ""),
        "test": outcome.get("test", ""),
        "standard": display.reference(outcome.get("standard") or DASH),
        "limit": display.reason(outcome.get("limit_text") or "")
        or _limit_text(outcome.get("limit") or {}, code),
        "value": display.quantity(value, value_unit) if value is not None else DASH,
        "uncertainty": display.quantity(uncertainty, governing.get("unit") or code)
        if uncertainty is not None
        else DASH,
        "rule": RULES.get(outcome.get("rule") or "", outcome.get("rule") or DASH),
        "verdict": VERDICTS.get(outcome.get("verdict", ""), outcome.get("verdict", "")),
        "verdict_code": outcome.get("verdict", ""),
        "reason": display.reason(outcome.get("reason") or ""),
        "confirmed": outcome.get("confirmed", True) is not False,
        "external": bool(governing.get("external")),
        "results_judged": outcome.get("results_judged"),
    }


def _limit_text(limit: dict[str, Any], code: str | None) -> str:
    if "max" in limit:
        return "≤ " + display.quantity(limit["max"], code)
    if "min" in limit:
        return "≥ " + display.quantity(limit["min"], code)
    if "range" in limit:
        low, high = limit["range"]
        return f"{display.number(low)}{display.NBSP}\u2013{display.NBSP}" + display.quantity(
            high, code
        )
    if "equals" in limit:
        return f"= {limit['equals']}"
    if "in" in limit:
        return "one of " + ", ".join(str(v) for v in limit["in"])
    return DASH


def _datetime(value: str) -> dt.datetime:
    moment = dt.datetime.fromisoformat(str(value))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(dt.UTC)


def _date(value: str) -> dt.date:
    return dt.date.fromisoformat(str(value)[:10])


def _long_date(day: dt.date) -> str:
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"  # not %B: it follows the locale
