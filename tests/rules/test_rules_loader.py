"""Criteria files fail at load time with the file, the path of the bad entry and the reason."""

import copy
from datetime import date
from decimal import Decimal

import pytest
import yaml

from labcert.rules import CriteriaError, load_criteria_file, run_examples

BASE = {
    "id": "xx-test",
    "version": "2025.01",
    "market": "Testland",
    "title": "Test set",
    "effective_from": "2025-01-01",
    "validity_months": 12,
    "accept_conditional_pass": False,
    "decision_rule": {"type": "guarded"},
    "decision_rule_text": "Guarded acceptance with w = U.",
    "criteria": [
        {
            "id": "sar.head.10g",
            "title": "SAR head",
            "test": "sar.head",
            "limit": {"max": "2.0"},
            "unit": "W/kg",
            "conditions": {"mass_g": 10},
            "standard": "EN 50360",
            "source": {"ref": "1999/519/EC", "ids": ["S7"]},
            "confirmed": True,
        },
        {
            "id": "emc.esd.contact",
            "title": "ESD",
            "test": "emc.esd",
            "limit": {"in": ["A", "B"]},
            "conditions": {"discharge": "contact"},
            "standard": "EN 301 489-1",
            "source": {"ref": "EN 301 489-1"},
            "confirmed": True,
            "applies_if": [{"fact": "technologies", "op": "contains", "value": "gsm"}],
        },
    ],
    "examples": [
        {
            "name": "passes",
            "on": "2025-02-01",
            "product": {"technologies": ["gsm"]},
            "results": [
                {
                    "test": "sar.head",
                    "value": "0.5",
                    "unit": "W/kg",
                    "uncertainty": "0.1",
                    "conditions": {"band": "GSM900", "position": "left cheek", "mass_g": 10},
                },
                {
                    "test": "emc.esd",
                    "observation": "A",
                    "conditions": {"discharge": "contact", "level_kv": 4},
                },
            ],
            "expect": {"verdict": "pass", "outcomes": {"sar.head.10g": "pass"}},
        }
    ],
}


def write(tmp_path, data=None, text=None, name="xx-test@2025.01.yaml"):
    path = tmp_path / name
    path.write_text(text if text is not None else yaml.safe_dump(data, allow_unicode=True))
    return path


def problems(tmp_path, mutate):
    data = copy.deepcopy(BASE)
    mutate(data)
    path = write(tmp_path, data)
    with pytest.raises(CriteriaError) as excinfo:
        load_criteria_file(path)
    return excinfo.value, str(path)


def test_a_valid_file_loads_into_frozen_dataclasses(tmp_path):
    cs = load_criteria_file(write(tmp_path, BASE))
    assert cs.ref == "xx-test@2025.01"
    assert cs.criteria[0].limit.high == Decimal("2.0")
    assert cs.effective_from == date(2025, 1, 1)
    assert run_examples(cs) == []


@pytest.mark.parametrize(
    ("mutate", "path", "reason"),
    [
        (
            lambda d: d["criteria"][1]["applies_if"][0].update(op="containz"),
            "criteria[1].applies_if[0].op",
            "unknown operator 'containz'",
        ),
        (
            lambda d: d["criteria"][0].update(unit="W/kgg"),
            "criteria[0].unit",
            "unknown unit 'W/kgg'",
        ),
        (
            lambda d: d["criteria"][0].update(unit="kg"),
            "criteria[0].unit",
            "unit 'kg' is not compatible with 'W/kg' required by sar.head",
        ),
        (
            lambda d: d["criteria"][0].update(test="sar.hed"),
            "criteria[0].test",
            "unknown test code 'sar.hed'; did you mean 'sar.head'",
        ),
        (
            lambda d: d["criteria"][0].update(decision_rule={"type": "lenient"}),
            "criteria[0].decision_rule.type",
            "unknown decision rule 'lenient'",
        ),
        (lambda d: d["criteria"][0].update(colour="red"), "criteria[0].colour", "Unknown field"),
        (
            lambda d: d["criteria"][0].update(decision_rule={"type": "shared_risk"}),
            "criteria[0].decision_rule.max_uncertainty",
            "required",
        ),
        (
            lambda d: d["criteria"][0].update(
                decision_rule={"type": "shared_risk", "max_uncertainty": 1, "on_excess": "ignore"}
            ),
            "criteria[0].decision_rule.on_excess",
            "Must be one of",
        ),
        (
            lambda d: d["criteria"][0].update(limit={"max": 2, "min": 1}),
            "criteria[0].limit",
            "give exactly one of",
        ),
        (
            lambda d: d["criteria"][0].update(limit={"range": [3, 1]}),
            "criteria[0].limit.range",
            "low must be below high",
        ),
        (
            lambda d: d["criteria"][0].update(limit={"in": ["A"]}),
            "criteria[0].limit",
            "sar.head is a measurement",
        ),
        (
            lambda d: d["criteria"][1].update(limit={"in": ["A", "D"]}),
            "criteria[1].limit.in[1]",
            "'D' is not a result of emc.esd",
        ),
        (lambda d: d["criteria"][1].update(unit="V"), "criteria[1].unit", "has no unit"),
        (
            lambda d: d["criteria"][0].update(conditions={"mas_g": 10}),
            "criteria[0].conditions.mas_g",
            "did you mean 'mass_g'",
        ),
        (
            lambda d: d["criteria"][0].update(conditions={"mass_g": "ten"}),
            "criteria[0].conditions.mass_g",
            "number condition",
        ),
        (
            lambda d: d["criteria"][1]["applies_if"][0].update(fact="colour"),
            "criteria[1].applies_if[0].fact",
            "unknown fact 'colour'",
        ),
        (
            lambda d: d["criteria"][1]["applies_if"][0].update(value="5g"),
            "criteria[1].applies_if[0].value",
            "unknown technology '5g'",
        ),
        (
            lambda d: d["criteria"][1]["applies_if"][0].update(fact="foldable"),
            "criteria[1].applies_if[0].op",
            "does not apply to the bool fact 'foldable'",
        ),
        (
            lambda d: d["criteria"].append(copy.deepcopy(d["criteria"][0])),
            "criteria[2].id",
            "duplicate criterion id",
        ),
        (lambda d: d.update(supersedes="other@1"), "supersedes", "earlier version of xx-test"),
        (lambda d: d.update(validity_months="12"), "validity_months", "Not a valid integer"),
        (lambda d: d["criteria"][0].pop("confirmed"), "criteria[0].confirmed", "required"),
        (
            lambda d: d["criteria"][0]["source"].update(ids=["7"]),
            "criteria[0].source.ids[0]",
            "use 'S7'",
        ),
        (
            lambda d: d["examples"][0]["results"][0].update(test="sar.hed"),
            "examples[0].results[0].test",
            "unknown test code",
        ),
        (
            lambda d: d["examples"][0]["product"].update(technologies=["5g"]),
            "examples[0].product.technologies[0]",
            "unknown technology",
        ),
        (
            lambda d: d["examples"][0]["expect"]["outcomes"].update({"sar.hed": "pass"}),
            "examples[0].expect.outcomes.sar.hed",
            "unknown criterion id",
        ),
        (
            lambda d: d["examples"][0]["expect"]["outcomes"].update({"sar.head.10g": "ok"}),
            "examples[0].expect.outcomes.sar.head.10g",
            "Must be one of",
        ),
        (
            lambda d: d["examples"].append(
                {"name": "x", "like": "nope", "expect": {"verdict": "pass"}}
            ),
            "examples[1].like",
            "no earlier example named 'nope'",
        ),
    ],
)
def test_a_bad_entry_fails_at_load_with_file_path_and_reason(tmp_path, mutate, path, reason):
    error, file = problems(tmp_path, mutate)
    lines = str(error).splitlines()
    assert any(line.startswith(f"{file}: {path}: ") and reason in line for line in lines), lines


def test_the_error_string_has_the_documented_shape(tmp_path):
    error, file = problems(
        tmp_path, lambda d: d["criteria"][1].update(decision_rule={"type": "guarded"})
    )
    assert (
        str(error)
        == f"{file}: criteria[1].decision_rule: decision rules apply to measurements only"
    )
    assert error.problems == [
        ("criteria[1].decision_rule", "decision rules apply to measurements only")
    ]


def test_yaml_floats_become_exact_decimals_and_on_stays_a_key(tmp_path):
    text = yaml.safe_dump(BASE).replace("max: '2.0'", "max: 2.0")
    cs = load_criteria_file(write(tmp_path, text=text))
    assert cs.criteria[0].limit.high == Decimal("2.0")
    assert cs.examples[0].on == date(2025, 2, 1)  # 'on:' is not the YAML 1.1 boolean


@pytest.mark.parametrize(
    ("old", "new", "reason"),
    [
        ("max: '2.0'", "max: .nan", "not a finite plain decimal"),
        ("max: '2.0'", "max: 0x10", "ambiguous number"),
        ("validity_months: 12", "validity_months: 12\nvalidity_months: 24", "duplicate key"),
        ("title: Test set", "title: [unclosed", "line "),
    ],
)
def test_yaml_traps_are_refused_with_a_line(tmp_path, old, new, reason):
    text = yaml.safe_dump(BASE).replace(old, new, 1)
    with pytest.raises(CriteriaError) as excinfo:
        load_criteria_file(write(tmp_path, text=text))
    assert reason in str(excinfo.value)
    assert ": line " in str(excinfo.value) or reason == "line "


def test_run_examples_reports_every_difference(tmp_path):
    data = copy.deepcopy(BASE)
    data["examples"][0]["expect"] = {
        "verdict": "fail",
        "outcomes": {"sar.head.10g": "conditional_pass"},
        "reasons": {"sar.head.10g": "nonsense"},
        "missing": ["emc.esd"],
        "not_applicable": ["x"],
    }
    data["examples"][0]["expect"]["not_applicable"] = ["emc.esd.contact"]
    failures = run_examples(load_criteria_file(write(tmp_path, data)))
    joined = "\n".join(failures)
    assert len(failures) == 5, failures
    assert "example 'passes': verdict: expected fail, got pass" in joined
    assert "outcome sar.head.10g: expected conditional_pass, got pass" in joined
    assert "reason sar.head.10g: expected to contain 'nonsense'" in joined
    assert "missing: expected ['emc.esd'], got []" in joined
    assert "not_applicable: expected ['emc.esd.contact'], got []" in joined


def test_an_example_like_another_inherits_and_changes_inputs(tmp_path):
    data = copy.deepcopy(BASE)
    data["examples"].append(
        {
            "name": "without gsm",
            "like": "passes",
            "product": {"technologies": ["lte"]},
            "remove_tests": ["emc.esd"],
            "add_results": [
                {
                    "test": "sar.head",
                    "value": "1.95",
                    "unit": "W/kg",
                    "uncertainty": "0.1",
                    "conditions": {"band": "LTE B3", "position": "left tilt", "mass_g": 10},
                }
            ],
            "expect": {
                "verdict": "fail",
                "outcomes": {"sar.head.10g": "conditional_pass"},
                "not_applicable": ["emc.esd.contact"],
            },
        }
    )
    cs = load_criteria_file(write(tmp_path, data))
    assert run_examples(cs) == []
    assert [r.test for r in cs.examples[1].results] == ["sar.head", "sar.head"]
    assert cs.examples[1].on == date(2025, 2, 1)
