"""A technician takes a new pk-pta + eu-red application to submitted through the worksheet,
pasting each market's values as one block, in a real browser; the counts are the bench's."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import pytest

from tests.e2e.conftest import CHROMIUM, LabServer, Screens
from tests.e2e.journey import TECH

if not CHROMIUM.exists():
    pytest.skip("chromium not installed: apt-get install chromium", allow_module_level=True)
pytest.importorskip("playwright.sync_api", reason="playwright not installed: make test installs it")

from playwright.sync_api import expect  # imported once we know it is installed

from tests.e2e.worksheet_journey import Tally, run

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = pytest.mark.browser
PK_PTA_PLAN_ROWS = 15  # the pk-pta rows of this product's plan (checked below)


def test_a_two_market_application_is_submitted_through_the_worksheet_by_pasting_blocks(
        lab: LabServer, sign_in: Callable[[str, str], Page], screens: Screens,
        script_errors: list[str]) -> None:
    page = sign_in(*TECH)
    tally = Tally()
    url = run(page, lab.url, tally, expect)
    loads, _clicks, typed = tally.marks["pk-pta passes"]
    assert loads <= 12, tally.marks
    assert typed <= PK_PTA_PLAN_ROWS + 10, tally.marks
    page.goto(url.split("#")[0].rstrip("/") + "/worksheet?market=pk-pta")
    assert page.locator("tr.sheet-row").count() == PK_PTA_PLAN_ROWS
    expect(page.get_by_text("takes no more results")).to_be_visible()  # closed once submitted
    screens.take(page, "worksheet-submitted")
    assert script_errors == []
