"""The public answers in a real browser, at 1280 px and at 390 px (issue 13, items 6, 7, 9).

The lab is `make run`'s demo lab (tests/e2e/conftest.py): its approved Redmi 13C holds a
pk-pta certificate for TAC 86013933. A customs officer checks a shipment on a phone and reads
Status and Reason on labelled cards; a visitor prints a verification answer (Chromium's own
PDF print), whose text must carry the time of the check, the address checked and the lab; a
forged QR code leads with red; a file that is not a PDF gets the form again; the camera scan
reads a code through BarcodeDetector (a stand-in, as Chromium on Linux has none) and checks
it on this site.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import zlib
from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING

import pytest

from labcert.rules.checks import luhn_check_digit
from tests.e2e.conftest import ARTIFACTS, CHROMIUM, LabServer, Screens

if not CHROMIUM.exists():
    pytest.skip("chromium not installed: apt-get install chromium", allow_module_level=True)
pytest.importorskip("playwright.sync_api", reason="playwright not installed: make test installs it")

from playwright.sync_api import expect  # imported once we know it is installed

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
DEMO_TAC = f"8601{zlib.crc32(b'23124RN87G') % 10_000:04d}"  # services/demo_workflow.py


def imei(tac: str, serial: int) -> str:
    """Return a valid IMEI of the TAC."""
    body = f"{tac}{serial:06d}"
    return body + str(luhn_check_digit(body))


SHIPMENT = (imei(DEMO_TAC, 1), imei("35000000", 7), imei(DEMO_TAC, 2)[:-1] + "X")


@pytest.fixture(scope="module")
def number(new_page: Callable[[], Page]) -> str:
    """Return the demo lab's pk-pta certificate, as the public shipment API finds it."""
    page = new_page()
    answer = page.request.post("/api/v1/verify/shipment",
                               data={"market": "pk-pta", "imeis": [SHIPMENT[0]]}).json()
    found = answer["items"][0]["certificate"]
    assert found, f"the demo lab has no pk-pta certificate for TAC {DEMO_TAC}: {answer}"
    return str(found)


def sized(page: Page, viewport: dict[str, int]) -> Page:
    page.set_viewport_size(viewport)
    return page


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280px", "390px"])
def test_the_shipment_table_is_readable_on_a_phone(
        new_page: Callable[[], Page], screens: Screens, viewport: dict[str, int],
        number: str) -> None:
    page = sized(new_page(), viewport)
    page.goto("/verify/shipment")
    market = page.get_by_label("Destination market")
    expect(market).to_have_value("")  # no default: the officer chooses
    page.get_by_label("IMEIs (one per line)").fill("\n".join(SHIPMENT))
    page.get_by_role("button", name="Check the shipment").click()
    expect(page.locator("#market-error")).to_contain_text("Choose the destination market")
    page.get_by_label("Destination market").select_option(label="Pakistan — PTA type approval")
    page.get_by_label("IMEIs (one per line)").fill("\n".join(SHIPMENT))
    page.get_by_role("button", name="Check the shipment").click()
    heading = page.get_by_role("heading", name="1 of 3 covered for Pakistan — PTA type approval")
    expect(heading).to_be_visible()

    rows = page.locator("table.shipment-lines tbody tr")
    expect(rows).to_have_count(3)
    phone = viewport == PHONE
    for index in range(3):
        row = rows.nth(index)
        for label in ("IMEI", "Status", "Reason"):
            cell = row.locator(f'td[data-label="{label}"]')
            expect(cell).to_be_visible()
            box = cell.bounding_box()
            assert box is not None and box["x"] >= 0
            assert box["x"] + box["width"] <= viewport["width"], (label, box)
            shown = cell.evaluate("td => getComputedStyle(td, '::before').content")
            assert (shown == f'"{label}"') is phone, shown  # the label shows on a card only
    expect(rows.nth(0).locator('td[data-label="Status"]')).to_have_text("valid")
    expect(rows.nth(0).locator('td[data-label="Certificate"]')).to_have_text(number)
    expect(rows.nth(1).locator('td[data-label="Reason"]')).to_contain_text("No certificate")
    header = page.locator("table.shipment-lines thead")
    assert (header.bounding_box() or {"height": 0})["height"] <= (1 if phone else 100)
    wide = page.evaluate("document.documentElement.scrollWidth")
    assert wide <= viewport["width"], f"the page scrolls sideways: {wide} px"
    name = "verifier-shipment-phone" if phone else "verifier-shipment-wide"
    screens.take(page, name, guide="verifier-shipment-phone" if phone else None, top=heading)


def test_a_printed_answer_carries_the_time_of_the_check_the_address_and_the_lab(
        new_page: Callable[[], Page], screens: Screens, lab: LabServer, number: str) -> None:
    page = sized(new_page(), DESKTOP)
    before = datetime.now(UTC).replace(second=0, microsecond=0)
    page.goto(f"/verify/{number}")
    expect(page.get_by_role("status").first).to_contain_text("In force")
    expect(page.locator(".printed-head")).to_be_hidden()  # on screen: the page as it was
    page.emulate_media(media="print")
    expect(page.locator(".printed-head")).to_be_visible()
    expect(page.locator(".topbar")).to_be_hidden()
    screens.take(page, "verifier-printed-answer", guide="verifier-printed-answer")

    target = ARTIFACTS / f"verify-{number}.pdf"
    page.pdf(path=str(target), format="A4", print_background=True)
    tool = shutil.which("pdftotext")
    if tool is None:
        pytest.skip("pdftotext is not installed (apt-get install poppler-utils)")
    text = subprocess.run([tool, "-layout", str(target), "-"], capture_output=True,
                          check=True, text=True).stdout
    flat = re.sub(r"\s+", " ", text)
    stamp = re.search(r"checked (\d{4}-\d\d-\d\d \d\d:\d\d) UTC", flat)
    assert stamp is not None, flat[:600]
    printed = datetime.strptime(stamp.group(1), "%Y-%m-%d %H:%M").replace(tzinfo=UTC)
    assert before <= printed <= datetime.now(UTC), (printed, before)
    assert f"{lab.url}/verify/{number}" in flat.replace(" ", "") or \
        f"{lab.url}/verify/{number}" in flat
    assert "LabCert Demo Testing Laboratory" in flat and "In force" in flat
    assert "Pakistan — PTA type approval" in flat
    assert "Sign in" not in flat and "Check a shipment" not in flat  # no navigation


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280px", "390px"])
def test_a_forged_qr_code_leads_with_red_and_no_green_box(
        new_page: Callable[[], Page], screens: Screens, viewport: dict[str, int],
        number: str) -> None:
    page = sized(new_page(), viewport)
    page.goto(f"/verify/{number}?t=FORGED0TOKEN")
    boxes = page.locator(".verdict")
    expect(boxes).to_have_count(1)
    expect(boxes.first).to_have_class(re.compile(r"\bverdict-bad\b"))
    expect(boxes.first).to_contain_text("QR code not genuine")
    expect(page.locator(".verdict-ok")).to_have_count(0)
    top = boxes.first.bounding_box()
    assert top is not None and top["y"] + top["height"] <= viewport["height"]  # seen first
    if viewport == PHONE:
        screens.take(page, "verifier-forged-qr", guide="verifier-forged-qr")


def test_a_file_that_is_not_a_pdf_gets_the_form_again(new_page: Callable[[], Page]) -> None:
    page = sized(new_page(), PHONE)
    page.goto("/verify")
    page.get_by_label("Certificate PDF").set_input_files(
        {"name": "certificate.pdf", "mimeType": "application/pdf", "buffer": b"PK\x03\x04zip"})
    page.get_by_role("button", name="Check the file").click()
    expect(page.locator("#file-error")).to_contain_text("This file is not a PDF")
    expect(page.get_by_role("button", name="Check the file")).to_be_visible()
    expect(page.get_by_label("Certificate number")).to_be_visible()


# A stand-in for the camera and the browser's BarcodeDetector: the "camera" is a canvas and
# the detector reads the code this test puts in window.__qr.
FAKE_CAMERA = """
window.BarcodeDetector = class {
  constructor(options) { this.options = options; }
  detect(source) { return Promise.resolve(window.__qr ? [{rawValue: window.__qr}] : []); }
};
Object.defineProperty(navigator, "mediaDevices", {value: {getUserMedia: () => {
  const canvas = document.createElement("canvas");
  canvas.width = 64; canvas.height = 64;
  canvas.getContext("2d").fillRect(0, 0, 64, 64);
  return Promise.resolve(canvas.captureStream(5));
}}});
"""


def test_scanning_a_qr_code_checks_it_here_whatever_host_it_names(
        new_page: Callable[[], Page], lab: LabServer, number: str) -> None:
    plain = sized(new_page(), PHONE)
    plain.goto("/verify")
    expect(plain.get_by_role("button", name="Scan the QR code")).to_be_hidden()  # no detector

    page = sized(new_page(), PHONE)
    page.add_init_script(FAKE_CAMERA)
    page.goto("/verify")
    page.get_by_role("button", name="Scan the QR code").click()
    expect(page.get_by_role("button", name="Stop the camera")).to_be_visible()
    page.evaluate("code => { window.__qr = code; }",
                  f"https://look-alike.example/verify/{number.lower()}?t=FORGED0TOKEN")
    page.wait_for_url(re.compile(re.escape(f"{lab.url}/verify/{number}?t=FORGED0TOKEN")))
    expect(page.locator(".verdict").first).to_contain_text("QR code not genuine")


EXPORTER = ("export@khi.example", "demo-export-2026")  # services/demo.py


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280px", "390px"])
def test_an_exporter_finds_the_checks_they_ran_under_my_checks(
        sign_in: Callable[[str, str], Page], screens: Screens, viewport: dict[str, int],
        number: str) -> None:
    page = sized(sign_in(*EXPORTER), viewport)
    page.goto(f"/verify/{number}")
    expect(page.get_by_role("status").first).to_contain_text("In force")
    page.goto("/verify/shipment")
    page.get_by_label("Destination market").select_option(label="Pakistan — PTA type approval")
    page.get_by_label("IMEIs (one per line)").fill("\n".join(SHIPMENT[:2]))
    page.get_by_role("button", name="Check the shipment").click()
    expect(page.get_by_role("heading", name=re.compile("1 of 2 covered"))).to_be_visible()
    page.goto("/verify/history")
    rows = page.locator("table.history tbody tr")
    expect(rows.first).to_contain_text("1 of 2 IMEIs covered")
    expect(rows.first).to_contain_text("Pakistan — PTA type approval")
    expect(rows.nth(1).locator('td[data-label="What"]')).to_have_text(number)
    expect(rows.nth(1).locator('td[data-label="Answer then"]')).to_have_text("valid")
    expect(rows.nth(1).locator('td[data-label="Status now"]')).to_contain_text("valid")
    for label in ("Answer then", "Status now"):
        box = rows.first.locator(f'td[data-label="{label}"]').bounding_box()
        assert box is not None and box["x"] + box["width"] <= viewport["width"]
    if viewport == PHONE:
        screens.take(page, "verifier-history-phone", guide="verifier-history")
