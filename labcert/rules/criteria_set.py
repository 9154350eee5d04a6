"""One immutable version of a market's criteria, and its JSON-safe form for the API."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from .frozen import EMPTY, FrozenDict
from .model import Criterion, DecisionRule, Example
from .serialize import criterion_to_dict, rule_to_dict


@dataclass(frozen=True, slots=True)
class CriteriaSet:
    """Hold one immutable version of a market's criteria."""

    id: str
    version: str
    market: str
    title: str
    effective_from: date
    default_rule: DecisionRule
    decision_rule_text: str
    validity_months: int
    accept_conditional_pass: bool
    criteria: tuple[Criterion, ...]
    regime: tuple[str, ...] = ()
    supersedes: str | None = None
    status: str = "active"
    validity_note: str = ""
    country: str = ""
    scheme: str = ""
    examples: tuple[Example, ...] = ()
    file: str = ""
    # The languages its certificates print, English first (labcert.languages codes).
    certificate_languages: tuple[str, ...] = ("en",)
    by_test: FrozenDict[tuple[Criterion, ...]] = field(
        init=False, repr=False, compare=False, default=EMPTY
    )

    def __post_init__(self) -> None:
        index: dict[str, list[Criterion]] = {}
        for criterion in self.criteria:
            index.setdefault(criterion.test, []).append(criterion)
        object.__setattr__(self, "by_test", FrozenDict({k: tuple(v) for k, v in index.items()}))

    @property
    def name(self) -> str:
        """Return the market as people say it: 'Pakistan — PTA type approval'."""
        country, scheme = self.country or self.market, self.scheme or self.title
        return f"{country} — {scheme}"

    @property
    def ref(self) -> str:
        """Return the reference 'id@version'."""
        return f"{self.id}@{self.version}"

    def criterion(self, criterion_id: str) -> Criterion:
        """Return the criterion with the given id, or raise KeyError."""
        for criterion in self.criteria:
            if criterion.id == criterion_id:
                return criterion
        raise KeyError(criterion_id)

    def test_codes(self, on: date | None = None) -> list[str]:
        """Return the test codes the set's criteria use (those in force on a date, if given)."""
        codes = dict.fromkeys(c.test for c in self.criteria if on is None or c.in_force(on))
        return list(codes)

    def summary(self) -> dict[str, Any]:
        """Return the short JSON-safe description used in lists."""
        return {
            "id": self.id,
            "version": self.version,
            "ref": self.ref,
            "market": self.market,
            "country": self.country or self.market,
            "scheme": self.scheme or self.title,
            "name": self.name,
            "title": self.title,
            "effective_from": self.effective_from.isoformat(),
        }

    def to_dict(self) -> dict[str, Any]:
        """Return the whole set with all criteria as JSON-safe data for the API."""
        data = self.summary()
        data.update(
            {
                "regime": list(self.regime),
                "supersedes": self.supersedes,
                "status": self.status,
                "validity_months": self.validity_months,
                "validity_note": self.validity_note or None,
                "accept_conditional_pass": self.accept_conditional_pass,
                "decision_rule": rule_to_dict(self.default_rule),
                "decision_rule_text": self.decision_rule_text,
                "criteria": [criterion_to_dict(c) for c in self.criteria],
            }
        )
        return data
