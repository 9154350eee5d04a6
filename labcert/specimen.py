"""A specimen certificate: realistic facts for template previews, benchmarks and tests.

Shaped exactly as the issuance service stores snapshots (JSON-safe, decimals as strings), with
every case the certificate must show: upper, lower and range limits, dB units, observations, a
computed check, an unconfirmed figure and a result provided by others. (A specimen of the
document, not a phone sample.)
"""

from __future__ import annotations

import copy
from typing import Any

from labcert.certificate_facts import CertificateFacts

LAB_NAME = "LabCert Demo Testing Laboratory"


def _outcome(criterion: str, title: str, test: str, **fields: Any) -> dict[str, Any]:
    return {
        "criterion": criterion,
        "title": title,
        "test": test,
        "verdict": "pass",
        "confirmed": True,
        "results_judged": 1,
        **fields,
    }


def specimen_snapshot(**overrides: Any) -> dict[str, Any]:
    """Return a realistic snapshot shaped as the services store it, with top-level overrides."""
    snapshot: dict[str, Any] = {
        "certificate": {
            "number": "LC-2026-000123",
            "revision": 0,
            "display_number": "LC-2026-000123",
            "issued_at": "2026-11-21T10:00:00+00:00",
            "valid_until": "2027-11-21",
            "supersedes": None,
            "amendment_reason": None,
        },
        "lab": {
            "name": LAB_NAME,
            "address": "Plot 12, Sundar Industrial Estate, Lahore, Pakistan",
            "accreditation_number": "PNAC-TL-000 (demo)",
            "country": "PK",
            "logo_sha256": None,
        },
        "signatory": {"name": "Ayesha Khan", "role": "Authorized signatory (reviewer)"},
        "holder": {
            "name": "Air Link Communication Ltd",
            "address": "152-M, Quaid-e-Azam Industrial Estate, Kot Lakhpat, Lahore",
            "country": "PK",
            "factory_sites": ["Lahore plant 1"],
        },
        "product": {
            "brand": "Xiaomi",
            "model": "23124RN87G",
            "marketing_name": "Redmi 13C",
            "category": "smartphone",
            "hardware_version": "P1.0",
            "software_version": "HyperOS 1.0",
            "technologies": ["gsm", "umts", "lte", "wlan", "bluetooth"],
            "bands": ["GSM 900", "GSM 1800", "B1", "B3", "B7", "B8", "B20", "B28", "B38", "B40"],
            "tacs": ["86753109", "86753110"],
        },
        "samples": [
            {
                "imei": "867531090000011",
                "serial": "SN001",
                "received_at": "2026-11-01",
                "condition": "new, undamaged",
            },
            {
                "imei": "867531090000029",
                "serial": "SN002",
                "received_at": "2026-11-01",
                "condition": "new, undamaged",
            },
        ],
        "application": {"number": "APP-2026-0001"},
        "market": {
            "id": "eu-red",
            "title": "European Union — Radio Equipment Directive 2014/53/EU",
            "criteria_set": "eu-red@2025.08",
            "standards": [
                "EN 50360:2017+A1:2023",
                "EN 62209-1528:2021",
                "EN 300 328 V2.2.2",
                "EN 301 908-1 V15.2.1",
                "EN 301 489-1 V2.2.3",
                "EN 55032:2015+A1:2020",
                "EN 62368-1:2020+A11:2020",
                "EN IEC 62133-2:2017",
                "EN 18031-1:2024",
                "EN IEC 63000:2018",
            ],
            "decision_rule_text": (
                "Guarded acceptance (ILAC-G8:09/2019, guard band w = U) for SAR and ecodesign"
                " measurements; shared risk for radio measurements as the harmonised standards"
                " prescribe (the lab's U within the standard's maximum); simple acceptance for"
                " RoHS. A result conforms when it meets the limit after the rule is applied."
            ),
        },
        "evaluation": {
            "criteria_set": "eu-red@2025.08",
            "verdict": "pass",
            "engine_version": "1.0.0",
            "evaluated_on": "2026-11-21",
            "missing": [],
            "not_applicable": ["rf.nr_fr1_power", "emc.conducted.dc_port"],
            "outcomes": [
                _outcome(
                    "sar.head.10g",
                    "SAR head, 10 g",
                    "sar.head",
                    rule="guarded",
                    limit={"max": "2.0"},
                    limit_text="≤ 2.0 W/kg",
                    unit="W/kg",
                    governing={"value": "0.83", "unit": "W/kg", "uncertainty": "0.25", "ref": "17"},
                    reason="0.83 W/kg ≤ 2.0 \u2212 U(0.25) = 1.75 → pass",
                    standard="EN 50360:2017+A1:2023",
                    results_judged=4,
                ),
                _outcome(
                    "sar.body.10g",
                    "SAR body-worn, 10 g",
                    "sar.body",
                    rule="guarded",
                    limit={"max": "2.0"},
                    unit="W/kg",
                    governing={"value": "1.21", "unit": "W/kg", "uncertainty": "0.30"},
                    reason="1.21 W/kg ≤ 2.0 \u2212 U(0.30) = 1.70 → pass",
                    standard="EN 50360:2017+A1:2023",
                    results_judged=6,
                ),
                _outcome(
                    "sar.limb.10g",
                    "SAR limbs, 10 g",
                    "sar.limb",
                    rule="guarded",
                    limit={"max": "4.0"},
                    unit="W/kg",
                    governing={"value": "2.10", "unit": "W/kg", "uncertainty": "0.55"},
                    reason="2.10 W/kg ≤ 4.0 \u2212 U(0.55) = 3.45 → pass",
                    standard="EN 50360:2017+A1:2023",
                ),
                _outcome(
                    "rf.eirp_2g4",
                    "2.4 GHz WLAN EIRP",
                    "rf.eirp_2g4",
                    rule="shared_risk",
                    limit={"max": "20"},
                    unit="dBm",
                    governing={"value": "17.6", "unit": "dBm", "uncertainty": "1.5"},
                    reason="17.6 dBm ≤ 20 dBm (U 1.5 ≤ Umax 1.5) → pass",
                    standard="EN 300 328 V2.2.2",
                ),
                _outcome(
                    "rf.spurious",
                    "Transmitter spurious emissions",
                    "rf.spurious",
                    rule="shared_risk",
                    limit={"max": "-36"},
                    unit="dBm",
                    governing={"value": "-47.2", "unit": "dBm", "uncertainty": "3.0"},
                    reason="\u221247.2 dBm ≤ \u221236 dBm → pass",
                    standard="EN 301 908-1 V15.2.1",
                    results_judged=12,
                ),
                _outcome(
                    "rf.frequency_error",
                    "Carrier frequency error",
                    "rf.frequency_error",
                    rule="shared_risk",
                    limit={"range": ["-0.1", "0.1"]},
                    unit="ppm",
                    governing={"value": "0.021", "unit": "ppm", "uncertainty": "0.01"},
                    reason="\u22120.1 ≤ 0.021 ppm ≤ 0.1 → pass",
                    standard="EN 301 908-1 V15.2.1",
                ),
                _outcome(
                    "emc.radiated.classb",
                    "Radiated emissions, class B",
                    "emc.radiated",
                    rule="cispr",
                    limit={"max": "47"},
                    unit="dBuV/m",
                    governing={"value": "39.8", "unit": "dBuV/m", "uncertainty": "5.2"},
                    reason="39.8 + (5.2 \u2212 5.2) = 39.8 dBµV/m ≤ 47 → pass",
                    standard="EN 55032:2015+A1:2020",
                ),
                _outcome(
                    "emc.esd",
                    "ESD immunity ±4 kV contact / ±8 kV air",
                    "emc.esd",
                    rule="observation",
                    limit={"in": ["A", "B"]},
                    unit=None,
                    governing={"value": "B", "unit": None, "uncertainty": None},
                    reason="criterion B observed; allowed A, B → pass",
                    standard="EN 301 489-1 V2.2.3",
                ),
                _outcome(
                    "battery.cycle_retention",
                    "Battery capacity after 800 cycles",
                    "battery.cycle_retention",
                    rule="guarded",
                    limit={"min": "80"},
                    unit="%",
                    governing={"value": "86.4", "unit": "%", "uncertainty": "1.2"},
                    reason="86.4 % ≥ 80 + U(1.2) = 81.2 → pass",
                    standard="Regulation (EU) 2023/1670",
                    confirmed=False,
                ),
                _outcome(
                    "battery.un38_3",
                    "Battery transport tests T1\u2013T8",
                    "battery.un38_3",
                    rule="observation",
                    limit={"equals": "pass"},
                    unit=None,
                    governing={
                        "value": "pass",
                        "unit": None,
                        "uncertainty": None,
                        "external": True,
                    },
                    reason="pass observed → pass",
                    standard="UN Manual of Tests, 38.3",
                ),
                _outcome(
                    "rohs.pb",
                    "RoHS lead (Pb)",
                    "rohs.pb",
                    rule="simple",
                    limit={"max": "1000"},
                    unit="ppm",
                    governing={"value": "112", "unit": "ppm", "uncertainty": "15"},
                    reason="112 ppm ≤ 1000 ppm → pass",
                    standard="EN IEC 63000:2018",
                ),
                _outcome(
                    "imei.valid",
                    "Sample IMEIs valid (Luhn)",
                    "imei.valid",
                    rule="computed",
                    limit={"equals": "pass"},
                    unit=None,
                    governing=None,
                    reason="2 of 2 IMEIs are 15 digits with a valid check digit → pass",
                    standard="3GPP TS 23.003",
                ),
            ],
        },
        "engine_version": "1.0.0",
    }
    for key, value in overrides.items():
        snapshot[key] = value
    return copy.deepcopy(snapshot)


def specimen_facts(**overrides: Any) -> CertificateFacts:
    """Return the specimen as typed certificate facts (top-level snapshot overrides allowed)."""
    return CertificateFacts.from_json(specimen_snapshot(**overrides))
