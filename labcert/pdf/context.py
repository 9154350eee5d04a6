"""Turn a stored certificate snapshot into the plain values the certificate template prints."""

from __future__ import annotations

import datetime as dt
from typing import Any

from labcert.certificate_facts import CertificateFacts, Product
from labcert.pdf import display
from labcert.pdf.bilingual import N_
from labcert.pdf.chart import chart_bars, margin_chart_svg
from labcert.pdf.qr import qr_svg, qr_url
from labcert.rules.frozen import thaw
from labcert.rules.names import market_name

VERDICTS = {
    "pass": N_("Pass"),
    "conditional_pass": N_("Conditional pass"),
    "conditional_fail": N_("Conditional fail"),
    "fail": N_("Fail"),
    "indeterminate": N_("Indeterminate"),
    "incomplete": N_("Incomplete"),
}
RULES = {
    "simple": N_("Simple"),
    "guarded": N_("Guarded, w = U"),
    "shared_risk": N_("Shared risk"),
    "cispr": N_("CISPR 16-4-2"),
    "observation": N_("Observation"),
    "computed": N_("Computed"),
}
RULE_DEFINITIONS = {
    "simple": N_("the measured value is compared with the limit as it is; U is stated but does"
                 " not move the decision."),
    "guarded": N_("a pass needs the measured value inside the limit by at least U (guard band"
                  " w = U); within U of the limit the result is a conditional pass or fail."),
    "shared_risk": N_("the measured value is compared with the test requirement of the"
                      " standard, provided the lab's U does not exceed the maximum uncertainty"
                      " the standard allows."),
    "cispr": N_("if U exceeds U_cispr, the excess is added to the measured value before it is"
                " compared with the limit (CISPR 16-4-2)."),
    "observation": N_("the observed category or outcome must be one of those the criterion"
                      " allows."),
    "computed": N_("a check computed from the application data (e.g. IMEI check digits)."),
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
    "fm": "FM",
}
DASH = "—"
# TRANSLATORS: the signatory's role as the certificate facts name it (certificate_facts.py).
SIGNATORY_ROLE = N_("Authorized signatory (reviewer)")
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
    facts: CertificateFacts, *, verification_url: str, qr_token: str, lab_logo: str | None = None
) -> dict[str, Any]:
    """Build the template context for the facts, with the margin chart and QR code as SVG."""
    cert, lab, market = facts.certificate, facts.lab, facts.market
    evaluation = thaw(facts.evaluation)
    outcomes = [_outcome(o) for o in evaluation.get("outcomes", [])]
    return {
        "document": {
            "title": f"Certificate of Conformity {cert.display_number}",
            "number": cert.display_number,
            "base_number": cert.number,
            "revision": cert.revision,
            "status": N_("Valid at issue"),
            "issued_on": _long_date(cert.issued_on),
            "issued_at_iso": cert.issued_at.astimezone(dt.UTC).isoformat(),
            "valid_until": _long_date(cert.valid_until),
            "issued_day": cert.issued_on.isoformat(),
            "valid_until_day": cert.valid_until.isoformat(),
            "supersedes": cert.supersedes,
            "amendment_reason": cert.amendment_reason,
            "application_number": facts.application_number,
        },
        "lab": {
            "name": lab.name,
            "address": lab.address,
            "accreditation_number": lab.accreditation_number or DASH,
            "country": lab.country,
            "logo": lab_logo,
        },
        "signatory": {"name": facts.signatory.name, "role": facts.signatory.role},
        "holder": {
            "name": facts.holder.name,
            "address": facts.holder.address,
            "country": facts.holder.country,
            "factory_sites": list(facts.holder.factory_sites),
        },
        "product": _product(facts.product),
        "samples": [{"imei": s.imei, "serial": s.serial, "received_at": s.received_at.isoformat(),
                     "condition": s.condition} for s in facts.samples],
        "market": {
            "id": market.id,
            "title": market.title or market.id,
            "name": market_name(market.criteria_set or market.id),
            "criteria_set": market.criteria_set or evaluation.get("criteria_set"),
            "standards": [display.reference(s) for s in market.standards],
            "decision_rule_text": market.decision_rule_text,
        },
        "languages": list(market.languages),
        "evaluation": {
            "verdict": VERDICTS.get(evaluation.get("verdict", ""), evaluation.get("verdict", "")),
            "verdict_code": evaluation.get("verdict", ""),
            "criteria_set": evaluation.get("criteria_set") or market.criteria_set,
            "engine_version": evaluation.get("engine_version") or facts.engine_version,
            "evaluated_on": _long_date(_date(evaluation["evaluated_on"]))
            if evaluation.get("evaluated_on")
            else DASH,
            "evaluated_day": _date(evaluation["evaluated_on"]).isoformat()
            if evaluation.get("evaluated_on")
            else None,
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


def _product(product: Product) -> dict[str, Any]:
    technologies = [TECHNOLOGIES.get(t.lower(), t) for t in product.technologies]
    return {
        "brand": product.brand or DASH,
        "model": product.model or DASH,
        "marketing_name": product.marketing_name or DASH,
        "category": (product.category or DASH).replace("_", " ").capitalize(),
        "hardware_version": product.hardware_version or DASH,
        "software_version": product.software_version or DASH,
        "technologies": ", ".join(technologies) or DASH,
        "bands": ", ".join(product.bands) or DASH,
        "tacs": list(product.tacs),
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


def _date(value: str) -> dt.date:
    return dt.date.fromisoformat(str(value)[:10])


def _long_date(day: dt.date) -> str:
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"  # not %B: it follows the locale
