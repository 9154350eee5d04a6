"""Everyday work in a real browser at 1280 px and at 390 px (a phone): paste a shipment of IMEIs,
find the application again by one of them, find a certificate by its model, and approve through
the confirmation page that lists what will be signed. The demo lab (`labcert seed-demo`) is the
starting point; the steps run in file order and the 1280 px run saves the guides' pictures.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

import pytest

from tests.e2e.conftest import (
    ACTION_TIMEOUT_MS,
    CHROMIUM,
    NAVIGATION_TIMEOUT_MS,
    LabServer,
    Screens,
)
from tests.e2e.journey import REVIEWER, TECH, imei

if not CHROMIUM.exists():
    pytest.skip("chromium not installed: apt-get install chromium", allow_module_level=True)
pytest.importorskip("playwright.sync_api", reason="playwright not installed: make test installs it")

from playwright.sync_api import expect  # imported once we know it is installed

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

pytestmark = pytest.mark.browser
WIDTHS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 900}}
DRAFT_MODEL = "V2333"  # the demo's draft application (Vivo Y03)
CERTIFIED_MODEL = "23124RN87G"  # the demo's approved application (Redmi 13C)
SUBMITTED_MODEL = "2409BRN2CG"  # the demo's submitted application (Redmi 14C)


@pytest.fixture(scope="module")
def signed_in(browser: Browser, lab: LabServer,
              script_errors: list[str]) -> Iterator[Callable[[tuple[str, str], str], Page]]:
    """Return a function: sign in as (email, password) in a new context of a given width."""
    contexts = []

    def login(who: tuple[str, str], width: str) -> Page:
        context = browser.new_context(base_url=lab.url, viewport=WIDTHS[width],
                                      locale="en-GB", timezone_id="UTC",
                                      is_mobile=width == "phone", has_touch=width == "phone")
        context.set_default_timeout(ACTION_TIMEOUT_MS)
        context.set_default_navigation_timeout(NAVIGATION_TIMEOUT_MS)
        contexts.append(context)
        page = context.new_page()
        page.on("pageerror", lambda error: script_errors.append(f"{page.url}: {error}"))
        page.goto("/login")
        page.get_by_label("E-mail").fill(who[0])
        page.get_by_label("Password").fill(who[1])
        page.get_by_role("button", name="Sign in").click()
        expect(page.get_by_role("button", name="Sign out")).to_be_visible()
        return page

    yield login
    for context in contexts:
        context.close()


def fits_the_width(page: Page) -> None:
    """The page does not scroll sideways (what does not fit scrolls inside its table)."""
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 1, f"the page is {overflow} px wider than the screen"


def open_draft(page: Page) -> None:
    page.goto(f"/lab/applications?q={DRAFT_MODEL}")
    page.get_by_role("table").get_by_role("link").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("APP-")


@pytest.mark.parametrize("width", ["desktop", "phone"])
def test_a_technician_pastes_a_shipment_then_finds_the_application_by_one_imei(
        signed_in: Callable[[tuple[str, str], str], Page], screens: Screens, width: str) -> None:
    page = signed_in(TECH, width)
    open_draft(page)
    number = page.get_by_role("heading", level=1).inner_text().split()[0]
    page.get_by_role("link", name="Add many (paste a list)").click()
    expect(page.get_by_role("heading", name="Add samples in bulk")).to_be_visible()
    tac = page.locator(".lead code").first.inner_text()
    first = 500 if width == "desktop" else 600
    listed = [imei(tac, f"{first + n:06d}") for n in range(12)]
    broken = listed[3][:14] + str((int(listed[3][14]) + 1) % 10)
    pasted = "imei,serial\n" + "\n".join(
        f"{broken if n == 3 else value},SN-{width}-{n}" for n, value in enumerate(listed))
    page.get_by_label("IMEIs, one per line").fill(pasted)
    page.get_by_role("button", name="Register the samples").click()
    problems = page.get_by_role("table", name="Problems by line")
    expect(problems).to_contain_text("Line 5")
    expect(problems).to_contain_text("check digit")
    expect(page.get_by_role("alert")).to_contain_text("nothing was saved")
    fits_the_width(page)
    if width == "desktop":
        screens.take(page, "technician-bulk-problems", guide="technician-bulk-problems")
    page.get_by_label("IMEIs, one per line").fill(pasted.replace(broken, listed[3]))
    page.get_by_role("button", name="Register the samples").click()
    expect(page.locator(".flash").first).to_have_text("12 samples are registered.")
    expect(page.locator("#samples")).to_contain_text(f"SN-{width}-11")

    page.get_by_role("link", name="Applications", exact=True).first.click()
    page.get_by_role("searchbox", name="Search").fill(listed[7][:8] + " " + listed[7][8:])
    page.get_by_role("button", name="Search").click()
    results = page.get_by_role("table")
    expect(results.get_by_role("link", name=number, exact=True)).to_be_visible()
    expect(page.locator(".list-count").first).to_have_text("1\u20131 of 1")
    fits_the_width(page)
    screens.take(page, f"everyday-search-imei-{width}",
                 guide="technician-search" if width == "desktop" else None)


@pytest.mark.parametrize("width", ["desktop", "phone"])
def test_anyone_on_the_lab_finds_a_certificate_by_its_model(
        signed_in: Callable[[tuple[str, str], str], Page], screens: Screens, width: str) -> None:
    page = signed_in(REVIEWER, width)
    page.goto("/certificates/")
    page.get_by_role("searchbox", name="Search").fill(CERTIFIED_MODEL.lower())
    page.get_by_label("Status").select_option("valid")
    page.get_by_role("button", name="Search").click()
    expect(page.locator(".list-count").first).to_have_text("1\u20131 of 1")
    row = page.get_by_role("table").locator("tbody tr")
    expect(row).to_have_count(1)
    expect(row).to_contain_text(CERTIFIED_MODEL)
    fits_the_width(page)
    screens.take(page, f"everyday-search-certificate-{width}",
                 guide="reviewer-certificate-search" if width == "desktop" else None)


@pytest.mark.parametrize("width", ["phone", "desktop"])
def test_a_reviewer_sees_what_will_be_signed_and_confirms(
        signed_in: Callable[[tuple[str, str], str], Page], screens: Screens, width: str) -> None:
    page = signed_in(REVIEWER, width)
    page.goto(f"/review/?q={SUBMITTED_MODEL}")
    page.get_by_role("table").get_by_role("link").first.click()
    decision = page.get_by_role("region", name="Decision")
    decision.get_by_role("link", name="Approve").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Confirm the approval")
    plan = page.get_by_role("table", name="Certificates to be signed")
    expect(plan).to_contain_text("pk-pta@")
    expect(plan).to_contain_text("valid until")
    fits_the_width(page)
    screens.take(page, f"everyday-confirm-{width}")
    if width == "phone":  # look, then step back: nothing is signed
        page.get_by_role("link", name="Cancel").click()
        expect(page.get_by_role("region", name="Decision")).to_be_visible()
        return
    signed = page.get_by_role("button", name="Sign and issue")
    signed.click()
    message = page.locator(".flash", has_text="is approved").first
    expect(message).to_contain_text("Certificates: LC-")
    link = message.get_by_role("link").first
    number = link.inner_text()
    link.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(number)
