"""What a reviewer must see about an application's results: every kind of flag, with reasons.

Kinds: a result without sample or instrument (entered before traceability was enforced), a
result that serves no criterion of the markets, U taken from an instrument's budget, a result
judged indeterminate, and plan rows still missing.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from labcert.errors import Conflict
from labcert.models import Application, TestResult
from labcert.rules import load_registry
from labcert.rules.decision import INDETERMINATE
from labcert.rules.plan import build_plan, serving_criteria
from labcert.services.evaluations import (
    MarketEvaluation,
    evaluate_application,
    inputs_of,
    resolve_market,
)
from labcert.services.results import results_of

UNTRACEABLE, NO_CRITERION, BUDGET_U, INDETERMINATE_KIND, MISSING = (
    "untraceable", "no_criterion", "u_from_budget", "indeterminate", "missing")
KIND_TITLES = {
    UNTRACEABLE: "No sample or instrument (entered before traceability was enforced)",
    NO_CRITERION: "Serves no criterion of the application's markets",
    BUDGET_U: "Uncertainty taken from an instrument's budget",
    INDETERMINATE_KIND: "Judged indeterminate",
    MISSING: "Plan row still missing",
}


@dataclass(frozen=True)
class Flag:
    """One thing to look at: its kind, the reason, and the result or plan row it is about."""

    kind: str
    message: str
    result_id: int | None = None
    row: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """Return the flag as an API warning."""
        return {"kind": self.kind, "message": self.message, "result_id": self.result_id}


def _markets(application: Application, on: date) -> list[tuple[str, Any]]:
    return [(m, resolve_market(m, on)) for m in application.markets]


def _indeterminate(evaluations: Iterable[MarketEvaluation]) -> list[Flag]:
    flags = []
    for item in evaluations:
        for outcome in item.evaluation.outcomes:
            if outcome.verdict != INDETERMINATE:
                continue
            rows = [r for r in outcome.rows if r.verdict == INDETERMINATE]
            refs = [(r.result.ref, r.error or outcome.reason) for r in rows] or \
                [(outcome.governing.ref if outcome.governing else None, outcome.reason)]
            for ref, reason in refs:
                flags.append(Flag(INDETERMINATE_KIND,
                                  f"{item.market}: {outcome.criterion} is indeterminate: {reason}",
                                  int(ref) if ref and ref.isdigit() else None))
    return flags


def result_flags(application: Application, stored: Sequence[TestResult] | None = None,
                 on: date | None = None) -> list[Flag]:
    """Return every flag on the application's current results (not the missing rows)."""
    on = on or date.today()
    try:
        markets: list[tuple[str, Any]] | None = _markets(application, on)
    except Conflict:  # a retired set: the stored evaluation stands; no live judgement to flag
        markets = None
    facts, results = inputs_of(application)
    rows = {r.id: r for r in (stored if stored is not None else results_of(application))}
    flags: list[Flag] = []
    for result in results:
        if result.is_superseded or result.ref is None:
            continue
        row = rows.get(int(result.ref))
        if row is None:
            continue
        missing = [what for what, absent in (
            ("no sample", row.sample_id is None),
            ("no instrument", row.value is not None and row.instrument_id is None)) if absent]
        if missing:
            flags.append(Flag(UNTRACEABLE, f"Result #{row.id} ({row.test_code}) has "
                                           f"{' and '.join(missing)}: entered before "
                                           "traceability was enforced.", row.id))
        if markets is not None and not serving_criteria(markets, facts, result, on):
            conditions = ", ".join(f"{k} {v}" for k, v in result.conditions.items())
            flags.append(Flag(NO_CRITERION, f"Result #{row.id} ({row.test_code}"
                                            f"{', ' + conditions if conditions else ''}) serves "
                                            f"no criterion of {', '.join(application.markets)}"
                                            ": it is stored but not judged.", row.id))
        if row.uncertainty_from:
            flags.append(Flag(BUDGET_U, f"Result #{row.id}: U from the budget of "
                                        f"{row.uncertainty_from}.", row.id))
    if markets is not None:
        flags.extend(_indeterminate(evaluate_application(application, on)))
    return flags


def review_flags(application: Application, on: date | None = None) -> list[Flag]:
    """Return every flag a reviewer must see: result flags and missing plan rows."""
    on = on or date.today()
    flags = result_flags(application, on=on)
    try:
        markets = _markets(application, on)
    except Conflict:
        return flags
    facts, results = inputs_of(application)
    plan = build_plan(markets, facts, results, on, load_registry().catalogue)
    for row in plan.missing():
        conditions = ", ".join(f"{k} {v}" for k, v in row.conditions.items())
        flags.append(Flag(MISSING, f"No result for {row.test}"
                                   f"{' (' + conditions + ')' if conditions else ''}, needed by "
                                   f"{', '.join(row.criteria)}.", row=row.key))
    return flags


def flags_by_result(flags: Iterable[Flag]) -> dict[int, list[Flag]]:
    """Group flags by the result they are about."""
    out: dict[int, list[Flag]] = {}
    for flag in flags:
        if flag.result_id is not None:
            out.setdefault(flag.result_id, []).append(flag)
    return out


def warnings_for(application: Application, ids: Sequence[int]) -> list[dict[str, Any]]:
    """Return the API warnings about just-stored results, with their index in the batch."""
    index = {result_id: i for i, result_id in enumerate(ids)}
    return [{**flag.to_dict(), "index": index[flag.result_id]}
            for flag in result_flags(application)
            if flag.result_id in index]
