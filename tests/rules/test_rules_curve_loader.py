"""Curves and relaxations in criteria files: what loads, and what fails with its path."""

from __future__ import annotations

import copy
from decimal import Decimal

import pytest
import yaml

from labcert.rules import CriteriaError, load_criteria_file, run_examples

D = Decimal
CONDUCTED = {
    "id": "emc.conducted.qp",
    "title": "Mains conducted emission, QP",
    "test": "emc.conducted",
    "limit": {
        "max": {
            "over": "frequency_mhz",
            "segments": [
                {"from": "0.15", "to": "0.5", "at_from": 66, "at_to": 56, "interpolation": "log10"},
                {"from": "0.5", "to": 5, "value": 56},
                {"from": 5, "to": 30, "value": 60},
            ],
        }
    },
    "unit": "dBuV",
    "conditions": {"frequency_mhz": {"min": "0.15", "max": 30}, "detector": "QP"},
    "decision_rule": {"type": "cispr", "u_cispr": "3.4"},
    "standard": "EN 55032",
    "source": {"ref": "EN 55032 class B"},
    "confirmed": True,
}
LTE = {
    "id": "rf.lte_power_pc3",
    "title": "LTE power class 3",
    "test": "rf.conducted_power",
    "limit": {
        "range": ["20.3", "25.7"],
        "relaxations": [
            {"when": {"band_edge_mhz": {"min": 0, "max": 4}}, "low": "-1.5", "ref": "NOTE 2"}
        ],
    },
    "unit": "dBm",
    "conditions": {"band": {"prefix": "LTE B"}},
    "decision_rule": {"type": "shared_risk", "max_uncertainty": "0.7", "on_excess": "tighten"},
    "standard": "TS 36.521-1",
    "source": {"ref": "TS 36.101"},
    "confirmed": True,
}


def peak(mhz, value, u="3.0", detector="QP"):
    return {
        "test": "emc.conducted",
        "value": value,
        "unit": "dBuV",
        "uncertainty": u,
        "conditions": {"frequency_mhz": mhz, "detector": detector},
    }


BASE = {
    "id": "xx-curve",
    "version": "2026.11",
    "market": "Testland",
    "title": "Curve set",
    "effective_from": "2026-11-30",
    "validity_months": 12,
    "accept_conditional_pass": False,
    "decision_rule": {"type": "guarded"},
    "decision_rule_text": "Guarded; emissions by CISPR 16-4-2.",
    "criteria": [CONDUCTED, LTE],
    "examples": [
        {
            "name": "a peak list",
            "on": "2026-12-01",
            "product": {"technologies": ["lte"]},
            "results": [
                peak("0.3", "60.2"),
                peak("0.3", "60.3"),
                peak("12", "41"),
                {
                    "test": "rf.conducted_power",
                    "value": "19.0",
                    "unit": "dBm",
                    "uncertainty": "0.5",
                    "conditions": {"band": "LTE B1", "band_edge_mhz": "3.5"},
                },
            ],
            "expect": {
                "verdict": "fail",
                "outcomes": {"emc.conducted.qp": "fail", "rf.lte_power_pc3": "pass"},
                "reasons": {"emc.conducted.qp": "at 0.3 MHz the limit is 60.24 dBuV"},
            },
        }
    ],
}


def write(tmp_path, data):
    path = tmp_path / f"{data['id']}@{data['version']}.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True))
    return path


def test_a_curve_and_a_relaxation_load_and_judge_their_examples(tmp_path):
    cs = load_criteria_file(write(tmp_path, BASE))
    conducted, lte = cs.criteria
    curve = conducted.limit.curve
    assert (curve.over, curve.edges, curve.over_unit) == ("frequency_mhz", "lower", "MHz")
    assert [(s.low, s.high, s.at_low, s.at_high, s.interpolation) for s in curve.segments] == [
        (D("0.15"), D("0.5"), 66, 56, "log10"),
        (D("0.5"), 5, 56, 56, None),
        (5, 30, 60, 60, None),
    ]
    assert conducted.limit.varies and conducted.reported_per == "frequency_mhz"
    assert (conducted.limit.low, conducted.limit.high) == (None, None)
    (relaxation,) = lte.limit.relaxations
    assert (relaxation.condition, relaxation.low, relaxation.high) == (
        "band_edge_mhz",
        D("-1.5"),
        0,
    )
    assert lte.limit.varies and lte.reported_per is None
    assert run_examples(cs) == []


def test_the_criterion_api_shape_carries_the_curve_as_written(tmp_path):
    data = load_criteria_file(write(tmp_path, BASE)).to_dict()["criteria"]
    assert data[0]["limit"] == {
        "max": {
            "over": "frequency_mhz",
            "segments": [
                {
                    "from": "0.15",
                    "to": "0.5",
                    "at_from": "66",
                    "at_to": "56",
                    "interpolation": "log10",
                },
                {"from": "0.5", "to": "5", "value": "56"},
                {"from": "5", "to": "30", "value": "60"},
            ],
            "edges": "lower",
        }
    }
    assert data[0]["limit_text"] == (
        "≤ 66 → 56 dBuV, log-linear 0.15\N{EN DASH}0.5 MHz; 56 dBuV, 0.5\N{EN DASH}5 MHz;"
        " 60 dBuV, 5\N{EN DASH}30 MHz"
    )
    assert data[0]["reported_per"] == "frequency_mhz"
    assert data[1]["limit"]["relaxations"] == [
        {"when": {"band_edge_mhz": {"min": "0", "max": "4"}}, "low": "-1.5", "ref": "NOTE 2"}
    ]
    assert data[1]["limit_text"] == (
        "≥ 20.3 and ≤ 25.7 dBm; lower limit \N{MINUS SIGN} 1.5 dBm where 0 ≤ band_edge_mhz ≤ 4"
        " (NOTE 2)"
    )
    assert data[1]["reported_per"] is None


def _segments(data):
    return data["criteria"][0]["limit"]["max"]["segments"]


def _relaxation(data):
    return data["criteria"][1]["limit"]["relaxations"][0]


@pytest.mark.parametrize(
    ("mutate", "path", "reason"),
    [
        (
            lambda d: _segments(d)[1].update({"from": "0.6"}),
            "criteria[0].limit.max.segments[1].from",
            "0.6 leaves a gap after the previous segment's end 0.5",
        ),
        (
            lambda d: _segments(d)[2].update({"from": 4}),
            "criteria[0].limit.max.segments[2].from",
            "4 leaves an overlap after the previous segment's end 5",
        ),
        (
            lambda d: _segments(d)[0].update({"from": "0.1"}),
            "criteria[0].limit.max.segments[0].from",
            "the curve starts at 0.1 but the criterion's frequency_mhz range starts at 0.15",
        ),
        (
            lambda d: _segments(d).pop(),
            "criteria[0].limit.max.segments[1].to",
            "the curve ends at 5 but the criterion's frequency_mhz range ends at 30",
        ),
        (
            lambda d: d["criteria"][0]["conditions"].update(frequency_mhz="0.3"),
            "criteria[0].limit.max.over",
            "a limit over frequency_mhz needs the range it covers among the conditions",
        ),
        (
            lambda d: d["criteria"][0]["conditions"].update(frequency_mhz={"min": "0.15"}),
            "criteria[0].limit.max.over",
            "needs the range it covers",
        ),
        (
            lambda d: d["criteria"][0]["limit"]["max"].update(over="detector"),
            "criteria[0].limit.max.over",
            "detector is not a number condition",
        ),
        (
            lambda d: d["criteria"][0]["limit"]["max"].update(over="frequency_khz"),
            "criteria[0].limit.max.over",
            "unknown condition of emc.conducted 'frequency_khz'",
        ),
        (
            lambda d: _segments(d)[0].pop("interpolation"),
            "criteria[0].limit.max.segments[0]",
            "give value (a constant), or at_from, at_to and interpolation",
        ),
        (
            lambda d: _segments(d)[1].update(at_to=50),
            "criteria[0].limit.max.segments[1]",
            "give value (a constant), or at_from, at_to and interpolation",
        ),
        (
            lambda d: _segments(d)[0].update(interpolation="cubic"),
            "criteria[0].limit.max.segments[0].interpolation",
            "Must be one of: log10",
        ),
        (
            lambda d: _segments(d)[0].update({"from": "0.5"}),
            "criteria[0].limit.max.segments[0].to",
            "must be above from",
        ),
        (
            lambda d: _segments(d)[0].update({"at_to": "lots"}),
            "criteria[0].limit.max.segments[0].at_to",
            "'lots' is not a number",
        ),
        (
            lambda d: d["criteria"][0]["limit"]["max"].update(edges="middle"),
            "criteria[0].limit.max.edges",
            "Must be one of: lower, upper",
        ),
        (
            lambda d: d["criteria"][0]["limit"]["max"].update(colour="red"),
            "criteria[0].limit.max.colour",
            "Unknown field",
        ),
        (
            lambda d: _relaxation(d).update(low="1.5"),
            "criteria[1].limit.relaxations[0].low",
            "a relaxation lowers the lower limit: use a value ≤ 0",
        ),
        (
            lambda d: _relaxation(d).update(low="0"),
            "criteria[1].limit.relaxations[0]",
            "give low (≤ 0) or high (≥ 0)",
        ),
        (
            lambda d: _relaxation(d).update(when={"band_edge_mhz": 2}),
            "criteria[1].limit.relaxations[0].when.band_edge_mhz",
            "give the range it applies in",
        ),
        (
            lambda d: _relaxation(d).update(when={"band": {"min": 0, "max": 4}}),
            "criteria[1].limit.relaxations[0].when.band",
            "band is not a number condition",
        ),
        (
            lambda d: _relaxation(d).update(when={}),
            "criteria[1].limit.relaxations[0].when",
            "name exactly one condition",
        ),
    ],
)
def test_a_bad_curve_or_relaxation_fails_at_load_with_its_path(tmp_path, mutate, path, reason):
    data = copy.deepcopy(BASE)
    mutate(data)
    with pytest.raises(CriteriaError) as excinfo:
        load_criteria_file(write(tmp_path, data))
    lines = str(excinfo.value).splitlines()
    assert any(f": {path}: " in line and reason in line for line in lines), lines


def test_a_curve_is_refused_in_a_range_and_relaxations_in_a_set_limit(tmp_path):
    data = copy.deepcopy(BASE)
    data["criteria"][1]["limit"] = {"range": [{"over": "band_edge_mhz"}, "25.7"]}
    with pytest.raises(
        CriteriaError, match=r"criteria\[1\]\.limit\.range\[0\]: dict is not a number"
    ):
        load_criteria_file(write(tmp_path, data))
    data = copy.deepcopy(BASE)
    data["criteria"].append(
        {
            "id": "emc.esd.contact",
            "title": "ESD",
            "test": "emc.esd",
            "limit": {"in": ["A"], "relaxations": [_relaxation(BASE)]},
            "conditions": {"discharge": "contact"},
            "standard": "EN 301 489-1",
            "source": {"ref": "EN 301 489-1"},
            "confirmed": True,
        }
    )
    with pytest.raises(CriteriaError, match="relaxations apply only to max, min and range"):
        load_criteria_file(write(tmp_path, data))
