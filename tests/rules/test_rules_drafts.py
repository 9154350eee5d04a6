"""A draft criteria set version is loaded, checked and analysed, never in force until published."""

import shutil
from datetime import date

import pytest

from labcert.rules import UnknownCriteriaSet, run_examples
from labcert.rules.catalogue import CRITERIA_DIR
from labcert.rules.registry import load_registry_from

DRAFT = "eu-red@2027.01"


def test_the_shipped_draft_is_loaded_checked_and_adds_one_requirement(registry):
    draft = registry.resolve(DRAFT, date(2027, 6, 1), drafts=True)
    current = registry.resolve("eu-red@2026.11", date(2027, 6, 1))
    assert draft.status == "draft" and registry.status(draft, date(2027, 6, 1)) == "draft"
    assert draft.supersedes == current.ref
    assert {c.id for c in draft.criteria} - {c.id for c in current.criteria} == {"eco.ingress"}
    assert {c.id for c in current.criteria} <= {c.id for c in draft.criteria}
    assert run_examples(draft) == []
    assert any(e.expect.missing == ("ingress.ip",) for e in draft.examples)


@pytest.mark.parametrize("on", [date(2026, 12, 31), date(2027, 1, 1), date(2030, 1, 1)])
def test_a_draft_is_never_the_version_in_force_even_after_its_date(registry, on):
    assert registry.resolve("eu-red", on).ref == "eu-red@2026.11"
    assert "ingress.ip" not in registry.test_codes_for(["eu-red"], on)


def test_naming_a_draft_for_an_evaluation_is_refused(registry):
    with pytest.raises(UnknownCriteriaSet, match=r"eu-red@2027\.01 is a draft"):
        registry.resolve(DRAFT, date(2027, 6, 1))


def test_a_draft_does_not_supersede_the_published_version(registry):
    current = registry.resolve("eu-red@2026.11", date(2027, 6, 1))
    assert registry.status(current, date(2027, 6, 1)) == "active"
    assert DRAFT not in {cs.ref for cs in registry.latest()}


def test_publishing_the_draft_puts_it_in_force_from_its_date(tmp_path):
    for path in CRITERIA_DIR.glob("eu-red@*.yaml"):
        shutil.copy(path, tmp_path / path.name)
    published = tmp_path / f"{DRAFT}.yaml"
    published.write_text(published.read_text().replace("status: draft", "status: active"))
    registry = load_registry_from(tmp_path)
    assert registry.resolve("eu-red", date(2026, 12, 31)).ref == "eu-red@2026.11"
    assert registry.resolve("eu-red", date(2027, 1, 1)).ref == DRAFT
    assert registry.drafts() == []
