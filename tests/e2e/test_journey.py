"""One certification from the first form to a suspended certificate, in a real browser.

The steps run in file order and share one `Journey`: a technician opens an application for
pk-pta, registers samples, enters results (by form and by CSV) and submits it; a reviewer approves
it; the manufacturer downloads the signed PDF; a visitor verifies it; the reviewer suspends it;
the visitor sees it suspended; an administrator finds it all in an intact audit chain. A step
whose predecessor failed is skipped, naming what is missing. Every step saves screenshots in
artifacts/e2e/, and the guides' pictures in docs/guides/img/.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from typing import TYPE_CHECKING

import pytest

from tests.e2e.conftest import ARTIFACTS, CHROMIUM, LabServer, Screens
from tests.e2e.journey import (
    ADMIN,
    CSV_ROWS,
    MAKER,
    MANUFACTURER,
    REVIEWER,
    SAMPLES,
    TACS,
    TECH,
    TESTED_AT,
    Journey,
    imei,
    results_csv,
)

if not CHROMIUM.exists():
    pytest.skip("chromium not installed: apt-get install chromium", allow_module_level=True)
pytest.importorskip("playwright.sync_api", reason="playwright not installed: make test installs it")

from playwright.sync_api import expect  # imported once we know it is installed

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def journey() -> Journey:
    """Return the state the ordered steps share."""
    return Journey()


def flash(page: Page, pattern: str) -> re.Match[str]:
    """Wait for a flash message matching `pattern` and return the match."""
    message = page.locator(".flash", has_text=re.compile(pattern)).first
    expect(message).to_be_visible()
    found = re.search(pattern, message.inner_text())
    assert found is not None
    return found


def test_a_technician_opens_an_application_for_air_link_with_pk_pta_as_market(
        journey: Journey, sign_in: Callable[[str, str], Page], screens: Screens) -> None:
    page = sign_in(*TECH)
    journey.pages["technician"] = page
    expect(page.get_by_role("heading", name="Welcome, Bilal Ahmed")).to_be_visible()
    screens.take(page, "technician-home", guide="technician-home")

    page.get_by_role("link", name="Instruments").first.click()
    expect(page.get_by_role("cell", name="RF-01", exact=True)).to_be_visible()
    screens.take(page, "technician-instruments", guide="technician-instruments")

    page.get_by_role("link", name="Home", exact=True).click()
    page.get_by_role("link", name="New application").click()
    expect(page.get_by_role("heading", name="New application")).to_be_visible()
    page.get_by_label("Manufacturer (applicant)").select_option(label=MANUFACTURER)
    page.get_by_label("Brand", exact=True).fill("Indus")
    page.get_by_label("Model", exact=True).fill("IM-4G2-E2E")
    page.get_by_label("Marketing name").fill("Indus Browser Test")
    page.get_by_label("Category").select_option("smartphone")
    page.get_by_label("Hardware version").fill("P1.0")
    page.get_by_label("Software version").fill("1.0.0")
    for technology in ("GSM (2G)", "LTE (4G)", "WLAN (Wi-Fi)", "Bluetooth"):
        page.get_by_role("checkbox", name=technology, exact=True).check()
    page.get_by_label("Bands", exact=True).fill("GSM900, DCS1800, LTE B1, LTE B3, LTE B20")
    page.get_by_label("Declared TACs").fill("\n".join(TACS))
    page.get_by_role("checkbox", name=re.compile(r"\(pk-pta\)")).check()
    screens.take(page, "technician-new-application", guide="technician-new-application",
                 top=page.get_by_role("heading", name="Product"))
    page.get_by_role("button", name="Open the application").click()

    journey.application_number = flash(page, r"Application (\S+) is open").group(1)
    journey.application_url = page.url
    expect(page.get_by_role("heading", level=1)).to_contain_text(journey.application_number)
    expect(page.get_by_role("heading", level=1)).to_contain_text("draft")
    screens.take(page, "technician-application-draft", guide="technician-application-draft")


def test_the_technician_registers_two_samples_by_their_imeis(
        journey: Journey, screens: Screens) -> None:
    journey.need("application_url", "technician")
    page = journey.pages["technician"]
    page.get_by_role("link", name="Add a sample").first.click()
    expect(page.get_by_role("heading", name="Add a sample")).to_be_visible()
    page.get_by_label("IMEI").fill(SAMPLES[0])
    page.get_by_label("Serial number").fill("E2E-0001")
    page.get_by_label("Condition on receipt").fill("new, sealed box")
    screens.take(page, "technician-sample", guide="technician-sample")
    page.get_by_role("button", name="Save and add another").click()
    expect(page.locator(".flash").first).to_have_text(f"Sample {SAMPLES[0]} is registered.")
    page.get_by_label("IMEI").fill(SAMPLES[1])
    page.get_by_label("Serial number").fill("E2E-0002")
    page.get_by_label("Condition on receipt").fill("new, sealed box")
    page.get_by_role("button", name="Save the sample").click()

    expect(page.locator(".flash").first).to_have_text(f"Sample {SAMPLES[1]} is registered.")
    samples = page.get_by_role("region", name=re.compile("^Samples"))
    for number in SAMPLES:
        expect(samples.get_by_role("cell", name=number, exact=True)).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_contain_text("testing")


def choose_test(page: Page, code: str, title: str) -> None:
    """Pick the test code in the chooser; the page reloads with that test's fields."""
    # lab.js hides this button when it makes the chooser submit itself on change: wait for it,
    # or a change made before the script ran would reload nothing.
    expect(page.get_by_role("button", name="Show the fields for this test")).to_be_hidden()
    page.get_by_label("Test", exact=True).select_option(code)
    expect(page.get_by_role("heading", name=title)).to_be_visible()


def test_the_technician_enters_results_by_form_and_imports_the_rest_from_csv(
        journey: Journey, screens: Screens) -> None:
    journey.need("application_url", "technician")
    page = journey.pages["technician"]
    page.goto(journey.application_url)
    page.get_by_role("link", name="Enter a result").first.click()
    choose_test(page, "rf.conducted_power", "Maximum conducted output power")
    page.get_by_label("Tested at (UTC)").fill(TESTED_AT.strftime("%Y-%m-%dT%H:%M:%S"))
    page.get_by_label("Value", exact=True).fill("23.2")
    page.get_by_label("Unit", exact=True).fill("dBm")
    page.get_by_label("Expanded uncertainty U (absolute)").fill("0.6")
    page.get_by_label("Coverage factor k").fill("2")
    page.get_by_label("Band", exact=True).select_option("LTE B1")
    page.get_by_label("Sample (IMEI)").select_option(SAMPLES[0])
    page.get_by_label("Instrument").select_option("RF-01")
    screens.take(page, "technician-result-form", guide="technician-result-form",
                 top=page.get_by_role("heading", name="Enter a result"))
    page.get_by_role("button", name="Save and enter another").click()
    expect(page.locator(".flash").first).to_contain_text("Result for rf.conducted_power")

    choose_test(page, "emc.esd", "ESD immunity")
    page.get_by_label("Observed").select_option("B")
    page.get_by_label("Discharge", exact=True).select_option("contact")
    page.get_by_label("Level (kV)").fill("4")
    page.get_by_label("Instrument").select_option("")
    page.get_by_label("Tested at (UTC)").fill(TESTED_AT.strftime("%Y-%m-%dT%H:%M:%S"))
    page.get_by_role("button", name="Save the result").click()
    expect(page.locator(".flash").first).to_contain_text("Result for emc.esd")

    page.get_by_role("link", name="Import CSV").first.click()
    page.get_by_label("Results file (CSV)").set_input_files(
        {"name": "rig-export.csv", "mimeType": "text/csv", "buffer": results_csv()})
    page.get_by_role("button", name="Preview the file").click()
    expect(page.get_by_role("heading", name="Preview of rig-export.csv")).to_be_visible()
    screens.take(page, "technician-csv-preview", guide="technician-csv-preview")
    page.get_by_role("button", name=f"Import {len(CSV_ROWS)} results").click()
    expect(page.locator(".flash").first).to_have_text(
        f"{len(CSV_ROWS)} result(s) imported from rig-export.csv.")

    results = page.get_by_role("region", name=re.compile("^Results"))
    expect(results.locator("tbody tr")).to_have_count(len(CSV_ROWS) + 2)
    market = page.get_by_role("article", name=re.compile("pk-pta"))
    expect(market.locator(".market-head .badge")).to_have_text("pass")
    expect(page.get_by_role("region", name="Next step")).to_contain_text(
        "Every market is evaluated")
    screens.take(page, "technician-evaluation", guide="technician-evaluation",
                 top=page.get_by_role("heading", name="Live evaluation"))
    journey.evaluation_passed = True


def test_the_technician_submits_the_passing_application_for_review(
        journey: Journey, screens: Screens) -> None:
    journey.need("application_url", "technician", "evaluation_passed")
    page = journey.pages["technician"]
    page.goto(journey.application_url)
    screens.take(page, "technician-ready-to-submit", guide="technician-submit")
    page.get_by_role("button", name="Submit for review").click()
    expect(page.locator(".flash").first).to_have_text(
        f"Application {journey.application_number} is submitted; a reviewer will decide on it.")
    expect(page.get_by_role("heading", level=1)).to_contain_text("submitted")
    journey.submitted = True


def test_a_reviewer_approves_it_and_a_certificate_is_issued_for_pk_pta(
        journey: Journey, sign_in: Callable[[str, str], Page], screens: Screens) -> None:
    journey.need("application_number", "submitted")
    page = sign_in(*REVIEWER)
    journey.pages["reviewer"] = page
    page.get_by_role("link", name="Review queue").click()
    expect(page.get_by_role("heading", name="Review queue")).to_be_visible()
    screens.take(page, "reviewer-queue", guide="reviewer-queue")
    page.get_by_role("link", name=journey.application_number, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(
        f"Review {journey.application_number}")
    decision = page.get_by_role("region", name="Decision")
    expect(decision).to_contain_text("a certificate will be issued")
    screens.take(page, "reviewer-decision", guide="reviewer-decision")
    decision.get_by_role("link", name="Approve and issue 1 certificate…").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Confirm the approval")
    plan = page.get_by_role("table", name="Certificates to be signed")
    expect(plan).to_contain_text("pk-pta@")
    expect(plan).to_contain_text("valid until")
    screens.take(page, "reviewer-confirm", guide="reviewer-confirm")
    page.get_by_role("button", name="Sign and issue 1 certificate").click()

    journey.certificate = flash(page, r"approved\. Certificates: (LC-\d{4}-\d{6})\.$").group(1)
    expect(page.locator(".flash").first.get_by_role("link", name=journey.certificate)
           ).to_have_attribute("href", f"/certificates/{journey.certificate}")
    screens.take(page, "reviewer-approved", guide="reviewer-approved")


def test_the_manufacturer_downloads_the_signed_pdf_whose_sha256_is_the_one_shown(
        journey: Journey, sign_in: Callable[[str, str], Page], screens: Screens) -> None:
    journey.need("certificate")
    page = sign_in(*MAKER)
    expect(page.get_by_role("link", name=journey.application_number)).to_be_visible()
    screens.take(page, "manufacturer-home", guide="manufacturer-home")
    page.get_by_role("link", name="Certificates").click()
    screens.take(page, "manufacturer-certificates", guide="manufacturer-certificates")
    page.get_by_role("link", name=journey.certificate, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(journey.certificate)
    shown = page.locator("dt", has_text="PDF SHA-256").locator("xpath=following-sibling::dd[1]")
    sha256 = shown.inner_text().strip()
    assert re.fullmatch(r"[0-9a-f]{64}", sha256), sha256
    screens.take(page, "manufacturer-certificate", guide="manufacturer-certificate")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the signed PDF").click()
    target = ARTIFACTS / f"{journey.certificate}.pdf"
    download.value.save_as(target)

    data = target.read_bytes()
    assert data.startswith(b"%PDF")
    assert hashlib.sha256(data).hexdigest() == sha256
    assert download.value.suggested_filename == f"{journey.certificate}.pdf"
    journey.pdf, journey.sha256 = target, sha256


def test_a_visitor_verifies_it_by_number_by_uploading_the_pdf_and_by_shipment(
        journey: Journey, new_page: Callable[[], Page], screens: Screens) -> None:
    journey.need("certificate", "pdf")
    page = new_page()
    journey.pages["visitor"] = page
    page.goto("/verify")
    expect(page.get_by_role("link", name="Sign in")).to_be_visible()
    page.get_by_label("Certificate number").fill(journey.certificate)
    screens.take(page, "verifier-verify", guide="verifier-verify")
    page.get_by_role("button", name="Check status").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Certificate {journey.certificate}")
    expect(page.get_by_role("status")).to_contain_text("In force")
    expect(page.locator("code.hash")).to_have_text(journey.sha256)
    screens.take(page, "verifier-status-valid", guide="verifier-status-valid")

    page.goto("/verify")
    page.get_by_label("Certificate PDF").set_input_files(journey.pdf)
    page.get_by_role("button", name="Check the file").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Authentic certificate: {journey.certificate}")
    expect(page.get_by_role("status")).to_contain_text("Authentic and in force")
    expect(page.locator("td .badge")).to_have_text(["OK"] * 5)
    screens.take(page, "verifier-pdf-authentic", guide="verifier-pdf-authentic")

    credential = page.request.get(f"/api/v1/certificates/{journey.certificate}/credential")
    assert credential.headers["content-type"] == "application/vc+jwt"
    page.goto("/verify/credential")
    page.get_by_label("Credential (vc+jwt)").fill(credential.text())
    page.get_by_role("button", name="Check the credential").click()
    expect(page.get_by_role("status")).to_contain_text("Authentic and in force")
    expect(page.locator("td .badge")).to_have_text(["OK"] * 5)
    screens.take(page, "verifier-credential", guide="verifier-credential")

    page.get_by_role("link", name="Shipment check").click()
    page.get_by_label("Destination market").select_option("pk-pta")
    shipment = [*SAMPLES, imei(TACS[0], "424299"), SAMPLES[0][:-1] + "0"]
    page.get_by_label("IMEIs (one per line)").fill("\n".join(shipment))
    page.get_by_role("button", name="Check the shipment").click()
    covered = page.get_by_role("heading", name="3 of 4 covered for Pakistan — PTA type approval")
    expect(covered).to_be_visible()
    screens.take(page, "verifier-shipment", guide="verifier-shipment", top=covered)

    page.goto("/.well-known/labcert/")
    expect(page.get_by_role("link", name="root.pem")).to_be_visible()
    screens.take(page, "verifier-trust-anchor", guide="verifier-trust-anchor")


def test_the_reviewer_suspends_the_certificate_with_a_reason(
        journey: Journey, screens: Screens) -> None:
    journey.need("certificate", "reviewer")
    page = journey.pages["reviewer"]
    page.get_by_role("link", name="Certificates").click()
    page.get_by_role("link", name=journey.certificate, exact=True).click()
    page.get_by_label("Reason (shown to verifiers)").fill(
        "Software 1.0.0 under investigation for an SAR regression")
    screens.take(page, "reviewer-certificate", guide="reviewer-certificate")
    page.get_by_role("button", name="Suspend").click()

    expect(page.locator(".flash").first).to_have_text(
        f"Certificate {journey.certificate}: suspend recorded.")
    expect(page.get_by_role("heading", level=1)).to_contain_text("suspended")
    expect(page.get_by_role("button", name="Reinstate")).to_be_visible()


def test_the_visitor_then_sees_the_certificate_suspended_and_why(
        journey: Journey, screens: Screens) -> None:
    journey.need("certificate", "pdf", "visitor")
    page = journey.pages["visitor"]
    page.goto(f"/verify/{journey.certificate}")
    expect(page.get_by_role("status")).to_contain_text("Not in force: suspended")
    expect(page.get_by_text("under investigation for an SAR regression")).to_be_visible()
    screens.take(page, "verifier-status-suspended", guide="verifier-status-suspended")

    page.goto("/verify")
    page.get_by_label("Certificate PDF").set_input_files(journey.pdf)
    page.get_by_role("button", name="Check the file").click()
    expect(page.get_by_role("status")).to_contain_text("Authentic, but not in force: suspended")


def test_an_administrator_finds_the_journey_in_an_intact_audit_chain(
        journey: Journey, sign_in: Callable[[str, str], Page], screens: Screens) -> None:
    journey.need("certificate")
    page = sign_in(*ADMIN)
    screens.take(page, "admin-home", guide="admin-home")
    page.get_by_role("link", name="Users").click()
    expect(page.get_by_role("cell", name="tech@lab.example")).to_be_visible()
    screens.take(page, "admin-users", guide="admin-users")
    page.get_by_role("link", name="Signing key").click()
    expect(page.get_by_text("development key").first).to_be_visible()
    screens.take(page, "admin-signing-key", guide="admin-signing-key")
    page.get_by_role("link", name="Audit").click()
    page.get_by_role("button", name="Verify the whole chain now").click()
    expect(page.get_by_role("status")).to_contain_text("Chain intact")
    events = page.get_by_role("table", name="Audit events")
    expect(events.get_by_text(re.compile(rf"suspended {journey.certificate}: "))).to_be_visible()
    expect(events.get_by_text(re.compile(r"approved APP-\d{4}-\d{5} and issued "
                                         + journey.certificate))).to_be_visible()
    screens.take(page, "admin-audit", guide="admin-audit")


def test_no_request_of_the_journey_met_a_server_error_and_no_page_a_script_error(
        lab: LabServer, script_errors: list[str]) -> None:
    log = lab.log.read_text(errors="replace")
    statuses = [int(code) for code in re.findall(r'HTTP/1\.[01]\S*" (\d{3}) ', log)]
    assert len(statuses) > 50, "the server's request log is not where it was expected"
    assert [code for code in statuses if code >= 500] == [], lab.log_tail()
    assert "Traceback" not in log, lab.log_tail()
    assert script_errors == []
