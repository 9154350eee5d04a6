"""Markets as people name them ("Pakistan — PTA type approval"), from the criteria sets' data.

Every page, the certificate, the verification answers and the shipment check name a market
through `market_name`, so a set id such as `pk-pta` is never the only thing a reader sees.
"""

from __future__ import annotations

from .registry import Registry, load_registry


def market_name(key: str | None, registry: Registry | None = None) -> str:
    """Name the market of a set id ('pk-pta', newest version) or reference ('pk-pta@2025.01').

    An unknown id is returned as given: a page shows what it has rather than failing.
    """
    if not key:
        return ""
    registry = registry or load_registry()
    set_id, _, version = key.partition("@")
    versions = [cs for cs in registry.all() if cs.id == set_id]
    if version:
        versions = [cs for cs in versions if cs.version == version] or versions
    return versions[-1].name if versions else key


def market_choices(registry: Registry | None = None) -> list[tuple[str, str]]:
    """Return (set id, name) of every set's newest version, by name: the options of a form."""
    registry = registry or load_registry()
    return sorted(((cs.id, cs.name) for cs in registry.latest()), key=lambda item: item[1])

