"""Benchmark the technician's journey: page loads, clicks and typed values, worksheet vs forms.

Run: PYTHONPATH=. .venv/bin/python bench/bench_worksheet_journey.py
Starts a real server (as the browser tests do: migrations, development PKI, demo lab) and
Debian's chromium, then takes two new pk-pta + eu-red applications from the home page:

- worksheet: the plan as one grid per market, each market's values pasted as one block
  (tests/e2e/worksheet_journey.py, the same steps as the browser test);
- forms: the pk-pta results one by one through "Enter a result" / "Save and enter another",
  filling every field the form asks for (the path before the worksheet).

Goal (issue #12): <= 12 page loads until pk-pta passes; typed values <= plan rows + 10.
A pasted cell counts as a typed value.
"""

from __future__ import annotations

import re
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from labcert.rules import load_registry
from labcert.rules.plan import build_plan
from labcert.web.lab_result_forms import condition_label
from tests.e2e.conftest import (
    CHROMIUM,
    CHROMIUM_ARGS,
    LABCERT,
    ROOT,
    LabServer,
    _free_port,
    _labcert,
    _server_environment,
    _wait_for_port,
)
from tests.e2e.journey import TECH
from tests.e2e.worksheet_journey import (
    Driver,
    Tally,
    _golden,
    product_facts,
    run,
)


def sign_in(page, url: str) -> None:
    """Sign the technician in (not counted: the day starts signed in)."""
    page.goto(url + "/login")
    page.get_by_label("E-mail").fill(TECH[0])
    page.get_by_label("Password").fill(TECH[1])
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("button", name="Sign out").wait_for()


def pk_pta_rows() -> list[tuple[object, object]]:
    """Return (plan row, golden result) of pk-pta, as the form path enters them."""
    registry = load_registry()
    plan = build_plan([("pk-pta", registry.resolve("pk-pta", date.today()))], product_facts(),
                      [], date.today(), registry.catalogue)
    golden = _golden("pk-pta")
    return [(row, result) for row in plan.rows
            for result in [next((r for r in golden if row.matches(r)), None)]
            if result is not None]


def run_forms(page, url: str, tally: Tally) -> None:
    """Create the same application, then enter pk-pta's results one form at a time."""
    driver = Driver(page, tally)
    driver.goto(url + "/")
    driver.click(page.get_by_role("link", name="New application").first)
    driver.choose(page.get_by_label("Manufacturer (applicant)"), "Air Link Communication Ltd")
    driver.type(page.get_by_label("Brand", exact=True), "Indus")
    driver.type(page.get_by_label("Model", exact=True), "IM-FORMS-BENCH")
    for technology in ("GSM (2G)", "LTE (4G)", "WLAN (Wi-Fi)", "Bluetooth"):
        driver.click(page.get_by_role("checkbox", name=technology, exact=True))
    driver.type(page.get_by_label("Bands", exact=True), "GSM900, DCS1800, LTE B1, LTE B3, LTE B20")
    driver.type(page.get_by_label("Declared TACs"), "35209900\n86459205")
    for market in ("pk-pta", "eu-red"):
        driver.click(page.get_by_role("checkbox", name=re.compile(rf"\({market}\)")))
    driver.click(page.get_by_role("button", name="Open the application"))
    driver.click(page.get_by_role("link", name="Add a sample").first)
    driver.type(page.get_by_label("IMEI"), _other_imei())
    driver.click(page.get_by_role("button", name="Save the sample"))
    driver.click(page.get_by_role("link", name="Enter a result").first)
    tags = {"sar": "SAR-01", "rf": "RF-01", "emc": "EMC-01"}
    for row, result in pk_pta_rows():
        page.get_by_role("button", name="Show the fields for this test").wait_for(state="hidden")
        driver.pick(page.get_by_label("Test", exact=True), row.test)
        page.wait_for_load_state()
        if result.observation is not None:
            driver.pick(page.get_by_label("Observed"), result.observation)
        else:
            driver.type(page.get_by_label("Value", exact=True), str(result.value))
            driver.type(page.get_by_label("Expanded uncertainty U (absolute)"),
                        str(result.uncertainty or ""))
            driver.pick(page.get_by_label("Instrument"), tags[row.test.split(".")[0]])
        for name, value in result.conditions.items():
            label = re.escape(condition_label(name))
            field = page.get_by_label(re.compile(rf"^{label}( \(optional\))?$"))
            if field.evaluate("el => el.tagName") == "SELECT":
                driver.pick(field, str(value))
            else:
                driver.type(field, str(value))
        driver.click(page.get_by_role("button", name="Save and enter another"))
    driver.click(page.get_by_role("link", name=re.compile("^← APP-")))
    tally.mark("pk-pta entered")


def _other_imei() -> str:
    from tests.e2e.journey import TACS, imei

    return imei(TACS[1], "616161")


def main() -> None:
    """Start the server and chromium, run both journeys, print the counts."""
    from playwright.sync_api import expect, sync_playwright

    instance = Path(tempfile.mkdtemp(prefix="labcert-journey-"))
    port = _free_port()
    server = LabServer(f"http://127.0.0.1:{port}", instance, instance / "server.log")
    env = _server_environment(instance, server.url)
    for command in (("db", "upgrade"), ("pki", "init"), ("seed-demo",)):
        _labcert(env, *command)
    with server.log.open("wb") as log:
        process = subprocess.Popen([str(LABCERT), "run", "--host", "127.0.0.1", "--port",
                                    str(port)], env=env, cwd=ROOT, stdout=log,
                                   stderr=subprocess.STDOUT)
    try:
        _wait_for_port(process, port, server)
        expect.set_options(timeout=30_000)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True,
                                                 args=CHROMIUM_ARGS)
            for name, journey in (("worksheet", run), ("forms", run_forms)):
                page = browser.new_context(base_url=server.url, timezone_id="UTC").new_page()
                sign_in(page, server.url)
                tally = Tally()
                started = time.perf_counter()
                if name == "worksheet":
                    journey(page, server.url, tally, expect)
                else:
                    journey(page, server.url, tally)
                seconds = time.perf_counter() - started
                for mark, (loads, clicks, typed) in tally.marks.items():
                    print(f"{name:9} {mark:15} page loads {loads:3}  clicks {clicks:3}  "
                          f"typed values {typed:3}  ({seconds:.0f} s of browser time in all)")
            browser.close()
    finally:
        process.terminate()
        process.wait(timeout=15)


if __name__ == "__main__":
    main()
