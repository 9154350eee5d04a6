"""An application's test plan and the test catalogue, read from the rule engine."""

from __future__ import annotations

import csv
import io
from datetime import date
from typing import Any

from labcert.models import Application
from labcert.rules import load_registry
from labcert.rules.plan import Plan, build_plan
from labcert.rules.vocabulary import vocabularies
from labcert.services.evaluations import inputs_of, resolve_market

CSV_FIELDS = ("test", "value", "observation", "unit", "uncertainty", "uncertainty_pct", "k",
              "sample_imei", "instrument", "tested_at")


def plan_of(application: Application, on: date | None = None) -> Plan:
    """Return the plan of an application's markets and product, with its results matched."""
    on = on or date.today()
    registry = load_registry()
    markets = [(market, resolve_market(market, on)) for market in application.markets]
    facts, results = inputs_of(application)
    return build_plan(markets, facts, results, on, registry.catalogue)


def catalogue() -> list[dict[str, Any]]:
    """Return every test code with its unit and the conditions it carries (types, values)."""
    cat = load_registry().catalogue
    vocab = vocabularies()
    out = []
    for test in cat:
        conditions = []
        for name in (*test.conditions, *test.optional_conditions):
            definition = cat.condition_defs[name]
            item: dict[str, Any] = {"name": name, "title": definition.title,
                                    "type": definition.type,
                                    "required": name in test.conditions,
                                    "column": f"cond.{name}"}
            if definition.choices:
                item["allowed"] = list(definition.choices)
            if name in vocab:
                item.update({"type": "vocabulary", **vocab[name].to_dict()})
                item["allowed"] = item.pop("values")
            if definition.unit:
                item["unit"] = definition.unit
            conditions.append(item)
        out.append({"code": test.code, "title": test.title, "kind": test.kind,
                    "unit": test.unit, "quantity": test.quantity,
                    "observations": list(test.observations) if test.observations else None,
                    "conditions": conditions})
    return out


def plan_csv(plan: Plan, defaults: dict[str, str] | None = None) -> str:
    """Return the plan as a CSV template: one row per item, test and cond.* filled."""
    names = list(dict.fromkeys(name for row in plan.rows for name in
                               (*row.conditions, *row.ranges, *row.open_conditions)))
    header = [*CSV_FIELDS, *(f"cond.{n}" for n in names)]
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=header, lineterminator="\n")
    writer.writeheader()
    for row in plan.rows:
        line = {"test": row.test, "unit": row.unit or "", **(defaults or {})}
        line.update({f"cond.{k}": v for k, v in row.conditions.items()})
        writer.writerow(line)
    return out.getvalue()
