"""Hold every shipped criteria set version and pick the one in force on a date."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, datetime
from functools import cache
from pathlib import Path

from .catalogue import CRITERIA_DIR, load_catalogue
from .criteria_set import CriteriaSet
from .errors import CriteriaError, UnknownCriteriaSet
from .inputs import unknown
from .loader import load_criteria_file
from .model import Catalogue

DRAFT = "draft"
_REF = re.compile(r"^(?P<id>[a-z0-9][a-z0-9_.\-]*?)(?:@(?P<version>[0-9][0-9A-Za-z.\-]*))?$")


def day(on: date) -> date:
    """Return the calendar day of a date or datetime (a datetime does not compare with a date)."""
    return on.date() if isinstance(on, datetime) else on


class Registry:
    """Index criteria set versions by id and answer which version is in force on a date."""

    def __init__(self, catalogue: Catalogue, sets: Iterable[CriteriaSet]) -> None:
        self.catalogue = catalogue
        self._by_id: dict[str, list[CriteriaSet]] = {}
        problems: list[tuple[str, str, str]] = []
        for cs in sorted(sets, key=lambda s: (s.id, s.effective_from)):
            versions = self._by_id.setdefault(cs.id, [])
            if any(v.version == cs.version for v in versions):
                problems.append((cs.file, "version", f"{cs.ref} is defined twice"))
            if versions and cs.supersedes != versions[-1].ref:
                problems.append(
                    (
                        cs.file,
                        "supersedes",
                        f"must be {versions[-1].ref}, the version before {cs.ref}",
                    )
                )
            if versions and cs.effective_from == versions[-1].effective_from:
                problems.append(
                    (
                        cs.file,
                        "effective_from",
                        f"{cs.ref} takes effect the same day as {versions[-1].ref}",
                    )
                )
            if not versions and cs.supersedes is not None:
                problems.append(
                    (
                        cs.file,
                        "supersedes",
                        f"{cs.supersedes} is not an earlier version in the registry",
                    )
                )
            versions.append(cs)
        if problems:
            raise CriteriaError(problems[0][0], [(path, reason) for _, path, reason in problems])

    def all(self) -> list[CriteriaSet]:
        """Return every version of every set, by id then effective date."""
        return [cs for versions in self._by_id.values() for cs in versions]

    def latest(self) -> list[CriteriaSet]:
        """Return the newest published version of each set (whatever the date; no drafts)."""
        out = []
        for versions in self._by_id.values():
            published = [v for v in versions if v.status != DRAFT]
            if published:
                out.append(published[-1])
        return out

    def drafts(self) -> list[CriteriaSet]:
        """Return the draft versions: analysable, never used for a new evaluation."""
        return [cs for cs in self.all() if cs.status == DRAFT]

    def ids(self) -> list[str]:
        """Return the ids of all sets."""
        return list(self._by_id)

    def status(self, cs: CriteriaSet, on: date) -> str:
        """Return 'active', 'superseded', 'retired', 'scheduled' or 'draft' for a version."""
        on = day(on)
        if cs.status in ("retired", DRAFT):
            return cs.status
        if on < cs.effective_from:
            return "scheduled"
        newer = [v for v in self._by_id.get(cs.id, ()) if v.effective_from > cs.effective_from]
        if any(v.effective_from <= on and v.status not in ("retired", DRAFT) for v in newer):
            return "superseded"
        return "active"

    def resolve(self, ref: str, on: date, *, drafts: bool = False) -> CriteriaSet:
        """Return the version named by 'id@version', or the version of 'id' in force on the date.

        A draft version is never in force; naming it explicitly is refused unless `drafts` is
        set, which only analyses (impact, the criteria pages, `criteria check`) do.
        """
        on = day(on)
        match = _REF.match(ref.strip()) if isinstance(ref, str) else None
        if match is None:
            raise UnknownCriteriaSet(
                f"malformed criteria set reference {ref!r}: expected 'id' or 'id@version',"
                " e.g. 'eu-red@2025.08'"
            )
        set_id, version = match["id"], match["version"]
        versions = self._by_id.get(set_id)
        if not versions:
            raise UnknownCriteriaSet(unknown("criteria set", set_id, list(self._by_id)))
        if version is not None:
            for cs in versions:
                if cs.version == version:
                    if cs.status == DRAFT and not drafts:
                        raise UnknownCriteriaSet(
                            f"{cs.ref} is a draft: it is not used for evaluations until it is"
                            f" published; use {set_id} or a published version")
                    return cs
            known = ", ".join(v.version for v in versions)
            raise UnknownCriteriaSet(f"unknown version '{set_id}@{version}' (versions: {known})")
        for cs in reversed(versions):
            if self.status(cs, on) == "active":
                return cs
        if all(cs.status == "retired" for cs in versions):
            raise UnknownCriteriaSet(f"criteria set '{set_id}' is retired")
        first = versions[0]
        raise UnknownCriteriaSet(
            f"no version of '{set_id}' is in force on {on.isoformat()}"
            f" (first: {first.ref} from {first.effective_from.isoformat()})"
        )

    def test_codes_for(self, set_ids: Iterable[str], on: date) -> list[str]:
        """Return the test codes the given sets (resolved on the date) need, in catalogue order."""
        on = day(on)
        needed: set[str] = set()
        for ref in set_ids:
            needed.update(self.resolve(ref, on).test_codes(on))
        return [code for code in self.catalogue.codes() if code in needed]


def load_registry_from(directory: str | Path, catalogue: Catalogue | None = None) -> Registry:
    """Load every '{id}@{version}.yaml' file in a directory into a Registry."""
    catalogue = catalogue or load_catalogue()
    sets = []
    for path in sorted(Path(directory).glob("*@*.yaml")):
        cs = load_criteria_file(path, catalogue)
        if path.name != f"{cs.ref}.yaml":
            raise CriteriaError(str(path), [("id", f"file name must be '{cs.ref}.yaml'")])
        sets.append(cs)
    return Registry(catalogue, sets)


@cache
def load_registry() -> Registry:
    """Return the registry of the shipped criteria sets, loaded once per process."""
    return load_registry_from(CRITERIA_DIR, load_catalogue())
