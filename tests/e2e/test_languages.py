"""Urdu and Arabic pages in a real browser: right to left, identifiers left to right.

Takes the guides' pictures of the verify answer, the shipment check and the manufacturer's home
page in Urdu and Arabic (docs/guides/img/*-ur.png, *-ar.png).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

import pytest

from tests.e2e.conftest import ACTION_TIMEOUT_MS, VIEWPORT, LabServer, Screens
from tests.e2e.journey import MAKER

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = [pytest.mark.browser, pytest.mark.slow]

# Reading order of the characters of an element as laid out: left to right means each
# character's box starts right of the previous one's.
LAID_OUT_LEFT_TO_RIGHT = """element => {
  const text = element.firstChild;
  const lefts = [];
  for (let i = 0; i < text.length; i++) {
    const range = document.createRange();
    range.setStart(text, i);
    range.setEnd(text, i + 1);
    lefts.push(range.getBoundingClientRect().left);
  }
  return lefts.every((left, i) => i === 0 || left > lefts[i - 1]);
}"""


@pytest.fixture(scope="module")
def pk_pta(lab: LabServer) -> tuple[str, str]:
    """A demo certificate for Pakistan (English and Urdu) and an IMEI it covers."""
    with sqlite3.connect(lab.instance / "labcert.sqlite") as db:
        row = db.execute(
            "SELECT certificate.number, sample.imei FROM certificate JOIN sample"
            " ON sample.application_id = certificate.application_id"
            " WHERE certificate.market = 'pk-pta' AND certificate.status = 'valid'"
            " ORDER BY certificate.id LIMIT 1").fetchone()
    assert row, "the demo lab has no valid pk-pta certificate"
    return row[0], row[1]


@pytest.fixture(scope="module")
def visitor(browser, lab: LabServer) -> Iterator[Callable[[str], Page]]:
    """Return a factory of pages whose browser asks for a language (its Accept-Language)."""
    contexts = []

    def make(language: str) -> Page:
        locale = {"ur": "ur-PK", "ar": "ar-SA"}[language]
        context = browser.new_context(base_url=lab.url, viewport=VIEWPORT, locale=locale,
                                      timezone_id="UTC")
        context.set_default_timeout(ACTION_TIMEOUT_MS)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


def _assert_rtl(page: Page, language: str) -> None:
    html = page.locator("html")
    assert html.get_attribute("lang") == language
    assert html.get_attribute("dir") == "rtl"
    assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"


@pytest.mark.parametrize(("language", "in_force"), [("ur", "نافذ"), ("ar", "نافذة")])
def test_the_verify_answer_reads_right_to_left_with_the_number_left_to_right(
        visitor, screens: Screens, pk_pta, language: str, in_force: str) -> None:
    number, _ = pk_pta
    page = visitor(language)
    page.goto(f"/verify/{number}")

    _assert_rtl(page, language)
    assert in_force in page.get_by_role("status").inner_text()
    heading_number = page.locator("h1 bdi")
    assert heading_number.inner_text() == number
    assert heading_number.evaluate("e => getComputedStyle(e).direction") == "ltr"
    assert heading_number.evaluate(LAID_OUT_LEFT_TO_RIGHT)
    screens.take(page, f"verifier-status-{language}", guide=f"verifier-status-{language}")


@pytest.mark.parametrize("language", ["ur", "ar"])
def test_the_shipment_check_keeps_imeis_and_numbers_left_to_right_in_the_sentence(
        visitor, screens: Screens, pk_pta, language: str) -> None:
    number, imei = pk_pta
    page = visitor(language)
    page.goto("/verify/shipment")
    _assert_rtl(page, language)
    page.locator("#market").select_option("pk-pta")
    page.locator("#imeis").fill(f"{imei}\n{imei[:-1]}{(int(imei[-1]) + 1) % 10}")
    page.locator("form button.primary").click()
    page.locator("table tbody tr").first.wait_for()

    _assert_rtl(page, language)
    row = page.locator("table tbody tr").first
    cells = row.locator("td")
    assert cells.nth(0).inner_text() == imei
    assert cells.nth(0).locator("code").evaluate(LAID_OUT_LEFT_TO_RIGHT)
    reason = cells.nth(4)  # the sentence in Urdu or Arabic, with the TAC and number inside
    isolated = reason.locator("bdi")
    assert isolated.nth(0).inner_text() == imei[:8]
    assert isolated.nth(1).inner_text() == number
    assert isolated.nth(1).evaluate("e => getComputedStyle(e).direction") == "ltr"
    assert isolated.nth(1).evaluate(LAID_OUT_LEFT_TO_RIGHT)
    assert "covered by certificate" not in reason.inner_text()  # said in the visitor's language
    screens.take(page, f"verifier-shipment-{language}", guide=f"verifier-shipment-{language}",
                 top=page.locator("section.card").nth(1))


@pytest.mark.parametrize("language", ["ur", "ar"])
def test_a_manufacturer_switches_the_language_on_the_page(
        sign_in, screens: Screens, language: str) -> None:
    page = sign_in(*MAKER)
    page.locator(f'nav.languages a[hreflang="{language}"]').click()
    page.wait_for_load_state()

    _assert_rtl(page, language)
    assert page.locator("nav.languages a[aria-current]").get_attribute("hreflang") == language
    page.goto("/")  # remembered: the next page speaks it too
    _assert_rtl(page, language)
    screens.take(page, f"manufacturer-home-{language}", guide=f"manufacturer-home-{language}")
