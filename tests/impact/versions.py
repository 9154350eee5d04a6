"""A next EU version written for the tests: adds a criterion, tightens a limit, removes one."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import yaml

from labcert.rules import CriteriaSet, load_criteria_file
from labcert.rules.catalogue import CRITERIA_DIR
from labcert.rules.yamlload import load_yaml

NEXT = "eu-red@2031.11"
EFFECTIVE = date(2031, 11, 15)
ADDED, TIGHTENED, REMOVED = "emc.esd.contact.8kv", "rf.spurious.above_1ghz", "rf.frequency_error"


class _Dumper(yaml.SafeDumper):
    """Write Decimals back as the plain numbers they were read from."""


_Dumper.add_representer(
    Decimal, lambda dumper, value: dumper.represent_scalar("tag:yaml.org,2002:float", str(value)))


def write_next_version(folder: Path) -> Path:
    """Write eu-red@2031.11 from eu-red@2026.11 with the three changes; return its path."""
    source = CRITERIA_DIR / "eu-red@2026.11.yaml"
    data = load_yaml(source.read_text(encoding="utf-8"), str(source))
    data.update(version="2031.11", effective_from=EFFECTIVE, supersedes="eu-red@2026.11",
                status="active", examples=[])
    criteria = [c for c in data["criteria"] if c["id"] != REMOVED]
    for criterion in criteria:
        if criterion["id"] == TIGHTENED:
            criterion["limit"] = {"max": -40}
    contact = next(c for c in criteria if c["id"] == "emc.esd.contact")
    criteria.append({**contact, "id": ADDED, "title": "ESD immunity, ± 8 kV contact",
                     "conditions": {"discharge": "contact", "level_kv": 8}})
    data["criteria"] = criteria
    path = folder / f"{NEXT}.yaml"
    text = yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False)
    path.write_text(text, encoding="utf-8")
    return path


def next_version(folder: Path) -> CriteriaSet:
    """Return the loaded test version."""
    return load_criteria_file(write_next_version(folder))
