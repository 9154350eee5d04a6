"""Which in-force certificates a criteria set version touches, re-judged from stored results.

Each certificate of the version's market that is in force is evaluated again by the rule
engine with the new version, from its stored results, and put in one class:

- `unaffected`: it still passes and every required criterion is judged;
- `needs_tests`: new or changed criteria have no (decidable) result: the rows to test are listed;
- `would_fail`: a stored result fails the new version: the criteria and results are listed;
- `not_applicable_now`: it expires before the version takes effect, so the version never
  applies to it while it is in force.

The page, the API, the CLI and the background job all call `analyse`.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from labcert.errors import NotFound
from labcert.rules import (
    ENGINE_VERSION,
    CriteriaSet,
    UnknownCriteriaSet,
    evaluate,
    load_registry,
)
from labcert.rules.serialize import criterion_to_dict
from labcert.services import impact_inputs, retest_rows
from labcert.services.impact_inputs import Subject

UNAFFECTED, NEEDS_TESTS, WOULD_FAIL, NOT_APPLICABLE = (
    "unaffected", "needs_tests", "would_fail", "not_applicable_now")
CLASSES = (UNAFFECTED, NEEDS_TESTS, WOULD_FAIL, NOT_APPLICABLE)
AFFECTED = (NEEDS_TESTS, WOULD_FAIL)
LABELS = {UNAFFECTED: "unaffected", NEEDS_TESTS: "needs tests", WOULD_FAIL: "would fail",
          NOT_APPLICABLE: "not applicable now"}

Progress = Callable[[int, int], None]


def find_version(ref: str, today: date) -> CriteriaSet:
    """Return the version 'id@version' to analyse (drafts too), or the newest of 'id'; else 404.

    A bare id names the newest version of the set, a draft included: the one whose impact a
    quality manager asks about the day it is published.
    """
    registry = load_registry()
    if "@" not in ref:
        newest = [cs for cs in registry.all() if cs.id == ref.strip()]
        if newest:
            return newest[-1]
    try:
        return registry.resolve(ref, today, drafts=True)
    except UnknownCriteriaSet as error:
        raise NotFound(error.message) from None


def judged_on(criteria_set: CriteriaSet, today: date) -> date:
    """Return the day the version is judged as of: its effective date, or today if later."""
    return max(criteria_set.effective_from, today)


def changes(criteria_set: CriteriaSet, before: CriteriaSet | None) -> dict[str, list[str]]:
    """List the criteria added, removed and changed since the version it supersedes."""
    if before is None:
        return {"added": [c.id for c in criteria_set.criteria], "removed": [], "changed": []}
    old = {c.id: criterion_to_dict(c) for c in before.criteria}
    new = {c.id: criterion_to_dict(c) for c in criteria_set.criteria}
    return {"added": [i for i in new if i not in old],
            "removed": [i for i in old if i not in new],
            "changed": [i for i in new if i in old and new[i] != old[i]]}


def _failure(outcome: Any) -> dict[str, Any]:
    data = outcome.to_dict()
    return {"criterion": data["criterion"], "title": data["title"], "test": data["test"],
            "verdict": data["verdict"], "reason": data["reason"],
            "limit_text": data["limit_text"], "governing": data["governing"]}


def _reasons(kind: str, rows: list[dict[str, Any]], failures: list[dict[str, Any]],
             criteria_set: CriteriaSet, subject: Subject) -> list[str]:
    if kind == NOT_APPLICABLE:
        return [f"Expires on {subject.valid_until.isoformat()}, before {criteria_set.ref} "
                f"takes effect on {criteria_set.effective_from.isoformat()}."]
    reasons = [f"{f['criterion']}: {f['reason']}" for f in failures]
    for row in rows:
        where = ", ".join(f"{k} {v}" for k, v in row["conditions"].items())
        what = "no result for" if row["why"] == retest_rows.MISSING else "re-measure"
        reasons.append(f"{what} {row['test']}{f' ({where})' if where else ''}: "
                       f"{', '.join(row['criteria'])}")
    return reasons or [f"Passes {criteria_set.ref} with every required criterion judged."]


def judge(subject: Subject, criteria_set: CriteriaSet, on: date) -> dict[str, Any]:
    """Return one certificate's class under the version, with its reasons and rows to test."""
    rows: list[dict[str, Any]] = []
    failures: list[dict[str, Any]] = []
    if subject.valid_until < criteria_set.effective_from:
        kind = NOT_APPLICABLE
    else:
        evaluation = evaluate(criteria_set, subject.facts, subject.results, on)
        failures = [_failure(o) for o in retest_rows.failing(criteria_set, evaluation)]
        rows = retest_rows.needed_rows(criteria_set, evaluation)
        kind = WOULD_FAIL if failures else NEEDS_TESTS if rows else UNAFFECTED
    return {"number": subject.number, "holder_id": subject.holder_id, "holder": subject.holder,
            "product": subject.product, "criteria_set": subject.criteria_set,
            "valid_until": subject.valid_until.isoformat(), "impact": kind,
            "reasons": _reasons(kind, rows, failures, criteria_set, subject),
            "tests": rows, "failing": failures}


def analyse(criteria_set: CriteriaSet, today: date, progress: Progress | None = None,
            batch: int = impact_inputs.BATCH) -> dict[str, Any]:
    """Re-judge every in-force certificate of the version's market; return the whole report."""
    registry = load_registry()
    on = judged_on(criteria_set, today)
    ids = impact_inputs.in_force_ids(criteria_set.id, today)
    if progress:
        progress(0, len(ids))
    certificates: list[dict[str, Any]] = []
    for subjects in impact_inputs.batches(ids, batch):
        certificates += [judge(s, criteria_set, on) for s in subjects]
        if progress:
            progress(len(certificates), len(ids))
    before = None
    if criteria_set.supersedes:
        try:
            before = registry.resolve(criteria_set.supersedes, on, drafts=True)
        except UnknownCriteriaSet:
            before = None
    counts = dict.fromkeys(CLASSES, 0)
    for item in certificates:
        counts[item["impact"]] += 1
    return {"criteria_set": criteria_set.ref, "market": criteria_set.id,
            "status": registry.status(criteria_set, today),
            "effective_from": criteria_set.effective_from.isoformat(),
            "evaluated_on": on.isoformat(), "as_of": today.isoformat(),
            "engine_version": ENGINE_VERSION, "changes": changes(criteria_set, before),
            "total": len(certificates), "counts": counts, "certificates": certificates}


def filtered(report: dict[str, Any], impact: str | None) -> list[dict[str, Any]]:
    """Return the report's certificates of one class (all for None or an empty string)."""
    items = report.get("certificates", [])
    return [c for c in items if c["impact"] == impact] if impact else list(items)
