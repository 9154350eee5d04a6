"""The (test, conditions) rows a certificate needs under a criteria set version.

Derived from the rule engine's evaluation: a row per missing required criterion (nothing to
judge it with) and a row per criterion whose stored results fail or cannot be judged (to
re-measure). Rows are merged by test and conditions. This stands in for the application test
plan (issue 12) and can be replaced by it: callers use only `needed_rows` and `replaced_refs`.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from labcert.rules import CriteriaSet, Evaluation, Result
from labcert.rules.decision import CONDITIONAL_FAIL, CONDITIONAL_PASS, FAIL, INDETERMINATE
from labcert.rules.evaluation import Outcome
from labcert.rules.matching import select

MISSING, REMEASURE = "missing", "re-measure"


def failing(criteria_set: CriteriaSet, evaluation: Evaluation) -> list[Outcome]:
    """Return the outcomes that stop a pass: fail, conditional fail, or an unaccepted cond. pass."""
    bad = {FAIL, CONDITIONAL_FAIL}
    if not criteria_set.accept_conditional_pass:
        bad.add(CONDITIONAL_PASS)
    return [o for o in evaluation.outcomes if o.verdict in bad]


def undecided(evaluation: Evaluation) -> list[Outcome]:
    """Return the outcomes the stored results cannot decide (e.g. no uncertainty given)."""
    return [o for o in evaluation.outcomes if o.verdict == INDETERMINATE]


def _conditions(criteria_set: CriteriaSet, criterion_id: str) -> dict[str, Any]:
    criterion = criteria_set.criterion(criterion_id)
    return {name: m.to_data() for name, m in criterion.conditions.items()}


def needed_rows(criteria_set: CriteriaSet, evaluation: Evaluation) -> list[dict[str, Any]]:
    """Return the rows to test: missing ones first, then those to re-measure, merged."""
    rows: dict[tuple[str, str, str], dict[str, Any]] = {}

    def add(why: str, criterion_id: str, test: str) -> None:
        conditions = _conditions(criteria_set, criterion_id)
        key = (why, test, json.dumps(conditions, sort_keys=True, default=str))
        row = rows.setdefault(key, {"test": test, "conditions": conditions, "why": why,
                                    "criteria": []})
        row["criteria"].append(criterion_id)

    for item in evaluation.missing_criteria:
        if item.required:
            add(MISSING, item.criterion, item.test)
    for outcome in [*failing(criteria_set, evaluation), *undecided(evaluation)]:
        add(REMEASURE, outcome.criterion, outcome.definition.test)
    return list(rows.values())


def replaced_refs(criteria_set: CriteriaSet, evaluation: Evaluation,
                  results: Sequence[Result]) -> set[str]:
    """Return the refs of the stored results a re-measurement replaces (all those it judged)."""
    refs: set[str] = set()
    current = [r for r in results if not r.is_superseded]
    for outcome in [*failing(criteria_set, evaluation), *undecided(evaluation)]:
        criterion = outcome.definition
        candidates = [r for r in current if r.test == criterion.test]
        refs.update(r.ref for r in select(criterion.conditions, candidates) if r.ref)
    return refs
