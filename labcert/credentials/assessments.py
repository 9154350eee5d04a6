"""The credential's assessments: one UNTP ConformityAssessment per group of criteria.

A criterion's group is the first part of its id (``sar.head.10g`` is in ``sar``); criteria
files name their criteria that way. A group conforms when every criterion in it has a verdict
the market accepts; its outcome is the weakest verdict among its criteria.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from labcert.credentials.facts import CriterionOutcome

GROUP_TITLES = {
    "sar": "Specific absorption rate (SAR)",
    "rf": "Radio spectrum use (RF)",
    "emc": "Electromagnetic compatibility (EMC)",
    "safety": "Electrical safety",
    "rohs": "Restriction of hazardous substances (RoHS)",
    "eco": "Ecodesign and energy",
    "battery": "Battery",
    "imei": "Device identity (IMEI)",
    "cyber": "Cybersecurity",
}
# Weakest last: a group's outcome is the verdict of its weakest criterion.
VERDICT_ORDER = ("pass", "conditional_pass", "indeterminate", "conditional_fail", "fail")


def group_of(criterion: str) -> str:
    """Return the group a criterion id belongs to."""
    return criterion.split(".", 1)[0]


def group_outcomes(
    outcomes: Iterable[CriterionOutcome],
) -> list[tuple[str, list[CriterionOutcome]]]:
    """Return the outcomes grouped by criterion group, groups in order of first appearance."""
    groups: dict[str, list[CriterionOutcome]] = {}
    for outcome in outcomes:
        groups.setdefault(group_of(outcome.criterion), []).append(outcome)
    return list(groups.items())


def weakest(verdicts: Iterable[str]) -> str:
    """Return the weakest of verdicts (an unknown verdict counts as the weakest)."""
    rank = {v: i for i, v in enumerate(VERDICT_ORDER)}
    return max(verdicts, key=lambda v: rank.get(v, len(VERDICT_ORDER)))


def assessment_entries(
    outcomes: Iterable[CriterionOutcome],
    *,
    subject_id: str,
    scheme_id: str,
    assessed_on: dt.date,
    product: dict[str, Any],
) -> list[dict[str, Any]]:
    """Return the UNTP ConformityAssessment objects, one per criterion group."""
    entries = []
    for group, members in group_outcomes(outcomes):
        standards = list(dict.fromkeys(m.standard for m in members if m.standard))
        entries.append(
            {
                "type": ["ConformityAssessment", "Declaration"],
                "id": f"{subject_id}#{group}",
                "name": GROUP_TITLES.get(group, group),
                "assessmentDate": assessed_on.isoformat(),
                "referenceStandard": [{"type": ["Standard"], "name": s} for s in standards],
                "assessmentCriteria": [
                    {
                        "type": ["Criterion"],
                        "id": f"{scheme_id}#{m.criterion}",
                        "name": m.title,
                        "verdict": m.verdict,
                    }
                    for m in members
                ],
                "outcome": weakest(m.verdict for m in members),
                "conformance": all(m.conforms for m in members),
                "assessedProduct": [{"product": product, "IDverifiedByCAB": True}],
            }
        )
    return entries
