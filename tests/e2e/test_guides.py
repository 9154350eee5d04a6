"""The role guides and the pictures the browser journey takes for them stay in step.

These need no browser: they read docs/guides/ as committed.
"""

from __future__ import annotations

import re

from tests.e2e.conftest import GUIDE_IMAGES

GUIDES = GUIDE_IMAGES.parent
ROLES = ("technician", "reviewer", "manufacturer", "verifier", "administrator")
PICTURE = re.compile(r"!\[[^\]]+\]\((img/[^)]+\.png)\)")
MAX_PICTURE_BYTES = 2_000_000


def pictures_in(name: str) -> list[str]:
    """Return the pictures a guide shows, as paths relative to docs/guides/."""
    return PICTURE.findall((GUIDES / name).read_text())


def test_every_role_has_a_guide_with_pictures() -> None:
    assert {role: bool(pictures_in(f"{role}.md")) for role in ROLES} == dict.fromkeys(ROLES, True)


def test_every_picture_a_guide_shows_exists_and_every_picture_is_shown() -> None:
    shown = {path for role in ROLES for path in pictures_in(f"{role}.md")}
    present = {f"img/{p.name}" for p in GUIDE_IMAGES.glob("*.png")}
    assert sorted(shown - present) == [], "shown but missing"
    assert sorted(present - shown) == [], "taken but shown in no guide"


def test_the_guides_pictures_stay_small_enough_to_commit() -> None:
    total = sum(p.stat().st_size for p in GUIDE_IMAGES.glob("*.png"))
    assert total < MAX_PICTURE_BYTES, f"{total} bytes of pictures in {GUIDE_IMAGES}"
