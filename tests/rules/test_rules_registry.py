"""The registry picks the criteria set version in force on a date and refuses unknown refs."""

import hashlib
import json
import re
import shutil
from datetime import date
from pathlib import Path

import pytest

from labcert.rules import CriteriaError, UnknownCriteriaSet
from labcert.rules.catalogue import CRITERIA_DIR
from labcert.rules.registry import load_registry_from
from labcert.rules.yamlload import load_yaml

SHIPPED = {"eu-red", "us-fcc", "sa-cst", "ae-tdra", "eaeu", "pk-pta"}
LOCK = Path(__file__).with_name("published_criteria.sha256")


def test_all_six_markets_are_shipped_with_eu_red_in_three_versions(registry):
    assert set(registry.ids()) == SHIPPED
    assert [cs.ref for cs in registry.all() if cs.id == "eu-red"] == [
        "eu-red@2025.01",
        "eu-red@2025.08",
        "eu-red@2026.11",
        "eu-red@2027.01",
    ]
    assert [cs.ref for cs in registry.drafts()] == ["eu-red@2027.01"]
    assert {cs.ref for cs in registry.latest()} == {f"{i}@2026.11" for i in SHIPPED}


@pytest.mark.parametrize("set_id", sorted(SHIPPED))
def test_the_frequency_dependent_versions_supersede_and_keep_the_old_ones(registry, set_id):
    new = registry.resolve(f"{set_id}@2026.11", date(2026, 11, 30))
    old = registry.resolve(new.supersedes, date(2026, 11, 30))
    assert registry.resolve(set_id, date(2026, 11, 29)) == old
    assert registry.resolve(set_id, date(2026, 11, 30)) == new
    assert registry.status(old, date(2026, 11, 30)) == "superseded"
    curves = {c.id: c for c in new.criteria if c.limit.curve is not None}
    assert set(curves) == {"emc.conducted.qp", "emc.conducted.av"}
    assert all(c.reported_per == "frequency_mhz" for c in curves.values())
    assert not any(c.limit.curve for c in old.criteria)
    assert "not encoded" not in " ".join(c.note for c in new.criteria)


@pytest.mark.parametrize(
    ("on", "expected"),
    [
        (date(2025, 1, 1), "eu-red@2025.01"),
        (date(2025, 7, 31), "eu-red@2025.01"),
        (date(2025, 8, 1), "eu-red@2025.08"),
        (date(2026, 11, 29), "eu-red@2025.08"),
        (date(2026, 11, 30), "eu-red@2026.11"),
        (date(2030, 1, 1), "eu-red@2026.11"),
    ],
)
def test_the_version_in_force_on_the_date_is_chosen(registry, on, expected):
    assert registry.resolve("eu-red", on).ref == expected


def test_an_exact_version_is_returned_whatever_the_date(registry):
    assert registry.resolve("eu-red@2025.01", date(2026, 1, 1)).ref == "eu-red@2025.01"
    assert registry.resolve("eu-red@2025.08", date(2025, 1, 1)).ref == "eu-red@2025.08"


def test_status_of_each_version_depends_on_the_date(registry):
    old, new = (registry.resolve(f"eu-red@{v}", date.today()) for v in ("2025.01", "2025.08"))
    assert registry.status(old, date(2025, 7, 1)) == "active"
    assert registry.status(new, date(2025, 7, 1)) == "scheduled"
    assert registry.status(old, date(2025, 8, 1)) == "superseded"
    assert registry.status(new, date(2025, 8, 1)) == "active"
    assert new.supersedes == old.ref


@pytest.mark.parametrize(
    ("ref", "message"),
    [
        ("EU RED", "malformed criteria set reference 'EU RED'"),
        ("eu-red@", "malformed"),
        ("eu-rde", "unknown criteria set 'eu-rde' (known: "),
        ("eu-rde", "did you mean 'eu-red'"),
        (
            "eu-red@2024.01",
            "unknown version 'eu-red@2024.01' (versions: 2025.01, 2025.08, 2026.11, 2027.01)",
        ),
    ],
)
def test_a_malformed_or_unknown_ref_is_refused_clearly(registry, ref, message):
    with pytest.raises(UnknownCriteriaSet, match=message.replace("(", r"\(").replace(")", r"\)")):
        registry.resolve(ref, date(2025, 9, 1))


def test_no_version_in_force_before_the_first_one(registry):
    with pytest.raises(
        UnknownCriteriaSet, match="no version of 'eu-red' is in force on 2024-12-31"
    ):
        registry.resolve("eu-red", date(2024, 12, 31))


def test_test_codes_for_markets_follow_the_dated_criteria(registry):
    july = registry.test_codes_for(["eu-red"], date(2025, 7, 1))
    august = registry.test_codes_for(["eu-red"], date(2025, 8, 1))
    assert "cyber.en18031" not in july and "cyber.en18031" in august
    march = registry.test_codes_for(["eu-red"], date(2025, 3, 1))
    assert "durability.free_fall" not in march and "durability.free_fall" in july
    both = registry.test_codes_for(["eu-red", "pk-pta"], date(2025, 9, 1))
    assert both.index("sar.head") < both.index("imei.valid")  # catalogue order
    assert len(both) == len(set(both))


def test_criteria_flagged_unconfirmed_exist_where_markets_says_r(registry):
    today = date(2025, 9, 1)
    sa = registry.resolve("sa-cst", today)
    assert sa.criterion("sar.head.10g").confirmed is False  # MARKETS-CONFIRMATIONS 6b
    assert registry.resolve("us-fcc", today).criterion("sar.head.1g").confirmed is True
    assert registry.resolve("eu-red", today).criterion("rf.frequency_error").confirmed is False


def test_market_figures_follow_the_confirmations(registry):
    eu = registry.resolve("eu-red", date(2025, 9, 1))
    lte = eu.criterion("rf.lte_power_pc3")
    assert (str(lte.limit.low), str(lte.limit.high)) == ("20.3", "25.7")
    assert (lte.rule.name, lte.rule.on_excess) == ("shared_risk", "tighten")
    assert eu.criterion("rf.eirp_2g4").rule.on_excess == "invalid"
    assert "EN 50360:2017+A1:2023" in eu.criterion("sar.head.10g").standard
    assert "EN IEC/IEEE 62209-1528:2021" in eu.criterion("sar.head.10g").standard
    assert registry.resolve("sa-cst", date(2025, 9, 1)).validity_months == 12
    assert registry.resolve("ae-tdra", date(2025, 9, 1)).validity_months == 36
    eaeu = registry.resolve("eaeu", date(2025, 9, 1))
    assert {c.test for c in eaeu.criteria if c.test.startswith("rohs.")} == {
        "rohs.pb",
        "rohs.hg",
        "rohs.cd",
        "rohs.cr6",
        "rohs.pbb",
        "rohs.pbde",
    }


# Not requirements: golden examples (tests may grow), how people name the market (issue 13
# added `country` and `scheme` to sets published before it) and the languages certificates
# print (issue 17 added `certificate_languages`). No verdict depends on them.
UNLOCKED_KEYS = ("examples", "country", "scheme", "certificate_languages")


def criteria_digest(path: Path) -> str:
    """Return the SHA-256 of a set's requirements: everything but the UNLOCKED_KEYS."""
    data = load_yaml(path.read_text(encoding="utf-8"), str(path))
    for key in UNLOCKED_KEYS:
        data.pop(key, None)
    text = json.dumps(data, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def test_published_criteria_are_never_edited():
    """A change to a published set is a new version with supersedes, never an edit."""
    lines = [line for line in LOCK.read_text().splitlines() if line.strip()]
    recorded = dict(line.split()[::-1] for line in lines if not line.startswith("#"))
    shipped = {p.name: p for p in sorted(CRITERIA_DIR.glob("*@*.yaml"))}
    assert set(recorded) <= set(shipped), "a published criteria file was deleted"
    for name, digest in recorded.items():
        actual = criteria_digest(shipped[name])
        assert actual == digest, f"{name} was edited after publication; add a new version instead"
    drafts = {name for name, path in shipped.items()
              if load_yaml(path.read_text(encoding="utf-8"), str(path)).get("status") == "draft"}
    assert not drafts & set(recorded), "a draft is not published: do not lock it yet"
    unlisted = set(shipped) - set(recorded) - drafts
    assert not unlisted, f"record new versions in {LOCK.name}: {sorted(unlisted)}"


def copy_criteria(tmp_path, names):
    for name in names:
        shutil.copy(CRITERIA_DIR / name, tmp_path / name)
    return tmp_path


def test_a_file_must_be_named_after_its_id_and_version(tmp_path):
    shutil.copy(CRITERIA_DIR / "eaeu@2025.01.yaml", tmp_path / "eaeu@2025.02.yaml")
    with pytest.raises(CriteriaError, match=re.escape("file name must be 'eaeu@2025.01.yaml'")):
        load_registry_from(tmp_path)


def test_a_newer_version_must_supersede_the_previous_one(tmp_path):
    copy_criteria(tmp_path, ["eu-red@2025.01.yaml"])
    text = (CRITERIA_DIR / "eu-red@2025.08.yaml").read_text()
    (tmp_path / "eu-red@2025.08.yaml").write_text(
        text.replace("supersedes: eu-red@2025.01", "supersedes: null")
    )
    with pytest.raises(CriteriaError, match=re.escape("supersedes: must be eu-red@2025.01")):
        load_registry_from(tmp_path)


def test_a_version_superseding_a_missing_one_is_refused(tmp_path):
    copy_criteria(tmp_path, ["eu-red@2025.08.yaml"])
    with pytest.raises(CriteriaError, match=re.escape("eu-red@2025.01 is not an earlier version")):
        load_registry_from(tmp_path)


def test_a_retired_set_cannot_be_resolved_by_id(tmp_path):
    text = (CRITERIA_DIR / "eaeu@2025.01.yaml").read_text()
    (tmp_path / "eaeu@2025.01.yaml").write_text(text.replace("status: active", "status: retired"))
    registry = load_registry_from(tmp_path)
    with pytest.raises(UnknownCriteriaSet, match="criteria set 'eaeu' is retired"):
        registry.resolve("eaeu", date(2025, 9, 1))
    cs = registry.resolve("eaeu@2025.01", date(2025, 9, 1))
    assert registry.status(cs, date(2025, 9, 1)) == "retired"


def test_the_lock_notices_a_changed_figure_but_not_a_changed_example(tmp_path):
    original = CRITERIA_DIR / "eaeu@2025.01.yaml"
    text = original.read_text()
    figure = tmp_path / "figure.yaml"
    figure.write_text(text.replace("limit: {max: 1000}", "limit: {max: 1001}", 1))
    example = tmp_path / "example.yaml"
    example.write_text(
        text.replace("name: compliant phone passes", "name: a compliant phone passes")
    )
    named = tmp_path / "named.yaml"
    named.write_text(text.replace("country: Eurasian Economic Union", "country: EAEU"))
    market = tmp_path / "market.yaml"
    market.write_text(text.replace("market: Eurasian", "market: The Eurasian"))
    assert criteria_digest(figure) != criteria_digest(original)
    assert criteria_digest(market) != criteria_digest(original)
    assert criteria_digest(example) == criteria_digest(original)
    assert criteria_digest(named) == criteria_digest(original)


def test_a_datetime_is_taken_as_its_day(registry):
    from datetime import datetime

    assert registry.resolve("eu-red", datetime(2025, 8, 1, 0, 30)).ref == "eu-red@2025.08"
    cs = registry.resolve("eu-red@2025.01", date(2025, 1, 1))
    assert registry.status(cs, datetime(2025, 7, 31, 23, 59)) == "active"
    assert "cyber.en18031" in registry.test_codes_for(["eu-red"], datetime(2025, 8, 1, 9))
