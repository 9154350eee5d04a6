"""API and CSV dicts become frozen inputs; every bad field of every item is reported at once."""

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from labcert.rules import InputError, parse_product, parse_results

from .factories import make_result

SAR = {
    "test": "sar.head",
    "value": "0.83",
    "unit": "W/kg",
    "uncertainty": "0.25",
    "conditions": {"band": "LTE B3", "position": "left cheek", "mass_g": 10},
}


def errors_of(items, catalogue):
    with pytest.raises(InputError) as excinfo:
        parse_results(items, catalogue)
    return excinfo.value.details


def test_a_valid_result_dict_becomes_a_frozen_result(catalogue):
    item = {
        **SAR,
        "k": "2",
        "sample_imei": "352099001761481",
        "instrument": "SAR-01",
        "tested_at": "2025-07-01T10:00:00Z",
        "ref": 42,
    }
    [result] = parse_results([item], catalogue)
    assert result.value == Decimal("0.83") and isinstance(result.value, Decimal)
    assert result.conditions == {"band": "LTE B3", "position": "left cheek", "mass_g": "10"}
    assert result.tested_at == datetime(2025, 7, 1, 10, tzinfo=UTC)
    assert result.ref == "42"
    assert result.k == Decimal(2)
    with pytest.raises(AttributeError):
        result.value = Decimal(1)  # frozen


def test_errors_are_collected_for_all_items_with_indexed_keys(catalogue):
    items = [
        SAR,
        {**SAR, "value": "abc"},
        {**SAR, "value": 0.83},
        {**SAR, "unit": "kg"},
        {"test": "sar.hed", "value": "1", "unit": "W/kg"},
        {**SAR, "conditions": {"band": "LTE B3", "position": "left cheek"}},
        "not a dict",
    ]
    details = errors_of(items, catalogue)
    assert details["results.1.value"] == ["'abc' is not a number"]
    assert "binary float" in details["results.2.value"][0]
    assert details["results.3.unit"] == [
        "unit 'kg' is not compatible with 'W/kg' required by sar.head"
    ]
    assert details["results.4.test"][0].startswith("unknown test code 'sar.hed'")
    assert "did you mean 'sar.head'" in details["results.4.test"][0]
    assert details["results.5.conditions.mass_g"] == ["required by sar.head"]
    assert details["results.6"] == ["must be an object"]
    assert not any(key.startswith("results.0.") for key in details)


@pytest.mark.parametrize(
    ("item", "key", "message"),
    [
        ({**SAR, "value": "NaN"}, "value", "is not a number"),
        ({**SAR, "uncertainty": "-1"}, "uncertainty", "must not be negative"),
        ({**SAR, "uncertainty_pct": "10"}, "uncertainty", "not both"),
        ({**SAR, "k": "0"}, "k", "greater than 0"),
        ({**SAR, "observation": "pass"}, "observation", "is a measurement"),
        ({**SAR, "tested_at": "2025-07-01T10:00:00"}, "tested_at", "needs a time zone"),
        ({**SAR, "tested_at": "yesterday"}, "tested_at", "not an ISO 8601"),
        ({**SAR, "colour": "red"}, "colour", "unknown field"),
        (
            {**SAR, "conditions": {**SAR["conditions"], "positon": "x"}},
            "conditions.positon",
            "did you mean 'position'",
        ),
        (
            {**SAR, "conditions": {**SAR["conditions"], "mass_g": "ten"}},
            "conditions.mass_g",
            "'ten' is not a number",
        ),
        (
            {
                "test": "emc.esd",
                "observation": "D",
                "conditions": {"discharge": "contact", "level_kv": 4},
            },
            "observation",
            "'D' is not one of A, B, C",
        ),
        (
            {
                "test": "emc.esd",
                "value": "1",
                "conditions": {"discharge": "contact", "level_kv": 4},
            },
            "value",
            "is an observation",
        ),
        (
            {
                "test": "emc.esd",
                "observation": "A",
                "conditions": {"discharge": "spark", "level_kv": 4},
            },
            "conditions.discharge",
            "not one of contact, air",
        ),
        ({"test": "imei.valid", "observation": "pass"}, "test", "computed by the engine"),
        (
            {
                "test": "rf.conducted_power",
                "value": "23",
                "unit": "dBm",
                "uncertainty_pct": "2",
                "conditions": {"band": "LTE B3"},
            },
            "uncertainty_pct",
            "logarithmic unit 'dBm'",
        ),
        (
            {
                "test": "rf.conducted_power",
                "value": "0.2",
                "unit": "W",
                "conditions": {"band": "LTE B3"},
            },
            "unit",
            "not compatible with 'dBm'",
        ),
        ({**SAR, "unit": None}, "unit", "required (e.g. 'W/kg')"),
        ({**SAR, "is_superseded": "maybe"}, "is_superseded", "true or false"),
    ],
)
def test_each_bad_field_gets_a_message_under_its_key(catalogue, item, key, message):
    details = errors_of([item], catalogue)
    assert any(message in text for text in details[f"results.0.{key}"]), details


def test_observations_and_choices_are_stored_in_their_catalogue_spelling(catalogue):
    item = {"test": "ingress.ip", "observation": "ip67"}
    esd = {"test": "emc.esd", "observation": "b", "conditions": {"discharge": "AIR", "level_kv": 8}}
    ip, discharge = parse_results([item, esd], catalogue)
    assert ip.observation == "IP67"
    assert (discharge.observation, discharge.conditions["discharge"]) == ("B", "air")


def test_csv_rows_carry_conditions_as_columns_and_empty_cells_count_as_absent(catalogue):
    row = {
        "test": "sar.head",
        "value": "0.83",
        "unit": "W/kg",
        "uncertainty": "",
        "uncertainty_pct": "12",
        "k": "",
        "cond.band": "LTE B3",
        "cond.position": "left cheek",
        "cond.mass_g": "10",
        "cond.channel": "",
        "is_superseded": "false",
        "tested_at": "",
    }
    [result] = parse_results([row], catalogue)
    assert result.uncertainty is None and result.uncertainty_pct == Decimal(12)
    assert dict(result.conditions) == {"band": "LTE B3", "position": "left cheek", "mass_g": "10"}
    assert result.is_superseded is False and result.k == Decimal(2)


def test_results_must_be_a_list(catalogue):
    with pytest.raises(InputError) as excinfo:
        parse_results({"test": "sar.head"}, catalogue)
    assert excinfo.value.details == {"results": ["must be a list of results"]}


def test_result_refuses_a_float_even_when_built_directly():
    with pytest.raises(InputError) as excinfo:
        make_result(value=0.83)
    assert "binary float" in excinfo.value.details["value"][0]


def test_product_dict_becomes_product_facts():
    product = parse_product(
        {
            "brand": "Indus",
            "model": "IM-5G1",
            "technologies": ["LTE", "wlan"],
            "bands": ["LTE B3"],
            "tacs": ["35209900"],
            "sample_imeis": [" 352099001761481 "],
            "foldable": True,
            "colour": "blue",
        }
    )
    assert product.technologies == frozenset({"lte", "wlan"})
    assert product.sample_imeis == ("352099001761481",)
    assert product.extra == {"foldable": True, "colour": "blue"}
    hash(product)


def test_bad_product_facts_are_reported_per_field():
    with pytest.raises(InputError) as excinfo:
        parse_product(
            {
                "brand": 5,
                "technologies": ["lte", "5g", "bluetoth"],
                "tacs": ["3520"],
                "foldable": "yes",
                "sample_imeis": "352099001761481",
                "battery_wh": 12.5,
            }
        )
    details = excinfo.value.details
    assert details["product.brand"] == ["must be text"]
    assert details["product.technologies.1"][0].startswith("unknown technology '5g'")
    assert "did you mean 'bluetooth'" in details["product.technologies.2"][0]
    assert details["product.tacs.0"] == [
        "a TAC is the first 8 digits of the IMEI; '3520' is not 8 digits"]
    assert details["product.foldable"] == ["must be true or false"]
    assert details["product.sample_imeis"] == ["must be a list of text values"]
    assert "floats are refused" in details["product.battery_wh"][0]
