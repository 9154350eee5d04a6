"""A two-market application (pk-pta + eu-red) from creation to submitted through the worksheet,
counting page loads, clicks and typed values; shared by the browser test and bench/.

Values come from each market's passing golden example, matched to the rows the worksheet shows,
and reach the sheet as one pasted block per market (a cell of a pasted block counts as a typed
value). U is left blank where the row's instrument has a budget for the test.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from labcert.rules import ProductFacts, load_registry
from labcert.rules.numbers import fmt
from labcert.rules.plan import PlanRow, build_plan
from labcert.rules.units import factor
from labcert.services.demo import DEMO_TESTS
from tests.e2e.journey import MANUFACTURER, TACS, imei

if TYPE_CHECKING:
    from playwright.sync_api import Locator, Page

BANDS = "GSM900, DCS1800, LTE B1, LTE B3, LTE B20"
TECHNOLOGIES = ("GSM (2G)", "LTE (4G)", "WLAN (Wi-Fi)", "Bluetooth")
SAMPLE = imei(TACS[0], "515151")
BUDGETED = {code for _, budgets in DEMO_TESTS.values() for code in budgets}


@dataclass
class Tally:
    """What the technician did: page loads, clicks, typed values (pasted cells included)."""

    loads: int = 0
    clicks: int = 0
    typed: int = 0
    marks: dict[str, tuple[int, int, int]] = field(default_factory=dict)

    def mark(self, name: str) -> None:
        """Remember the counts so far under a name (e.g. when pk-pta passes)."""
        self.marks[name] = (self.loads, self.clicks, self.typed)


class Driver:
    """Act on a page and count every action."""

    def __init__(self, page: Page, tally: Tally) -> None:
        self.page, self.tally = page, tally
        page.on("load", lambda _: self._loaded())

    def _loaded(self) -> None:
        self.tally.loads += 1

    def goto(self, url: str) -> None:
        """Open a URL (a bookmark or the address bar: no click)."""
        self.page.goto(url)

    def click(self, target: Locator) -> None:
        """Click something (a link, a button, a checkbox)."""
        self.tally.clicks += 1
        target.click()

    def choose(self, target: Locator, label: str) -> None:
        """Pick an option of a list by its text: one click."""
        self.tally.clicks += 1
        target.select_option(label=label)

    def pick(self, target: Locator, value: str) -> None:
        """Pick an option of a list by its value: one click."""
        self.tally.clicks += 1
        target.select_option(value)

    def type(self, target: Locator, text: str) -> None:
        """Type one value into a field."""
        self.tally.typed += 1
        target.fill(text)

    def paste(self, target: Locator, block: str) -> None:
        """Paste a block copied from a spreadsheet (each non-empty cell counts as typed)."""
        self.tally.clicks += 1
        self.tally.typed += sum(1 for line in block.split("\n") for cell in line.split("\t")
                                if cell.strip())
        target.evaluate(
            """(el, text) => { el.focus(); const data = new DataTransfer();
                 data.setData('text/plain', text);
                 el.dispatchEvent(new ClipboardEvent('paste',
                   {clipboardData: data, bubbles: true, cancelable: true})); }""",
            block)


def product_facts() -> ProductFacts:
    """Return the product the journey declares."""
    return ProductFacts(category="smartphone", technologies=frozenset({"gsm", "lte", "wlan",
                                                                       "bluetooth"}),
                        bands=frozenset(b.strip() for b in BANDS.split(",")), tacs=TACS)


def _golden(market: str) -> list[Any]:
    criteria_set = load_registry().resolve(market, date.today())
    example = next(e for e in criteria_set.examples if e.expect.verdict == "pass")
    return list(example.results)


def _cells(row: PlanRow, result: Any) -> list[str]:
    if result.observation is not None:
        return [result.observation]
    value, u = result.value, result.uncertainty
    if result.unit != row.unit:
        scale = factor(result.unit, row.unit)
        value, u = value * scale, (u * scale if u is not None else None)
    u_text = "" if row.test in BUDGETED or u is None else fmt(u)
    if result.uncertainty_pct is not None and row.test not in BUDGETED:
        u_text = f"{fmt(result.uncertainty_pct)} %"
    conditions = [str(result.conditions.get(name, "")) for name in
                  (*row.open_conditions, *row.ranges)]
    return [fmt(Decimal(value)), u_text, *conditions]


def block_for(keys: list[str], markets: list[str], market: str) -> str:
    """Return the block a lab would paste for the shown rows: one line per row, in order."""
    registry = load_registry()
    sets = [(m, registry.resolve(m, date.today())) for m in markets]
    rows = {r.key: r for r in build_plan(sets, product_facts(), [], date.today(),
                                         registry.catalogue).rows}
    golden = _golden(market)
    lines = []
    for key in keys:
        row = rows[key]
        result = next((r for r in golden if row.matches(r)), None)
        lines.append("\t".join(_cells(row, result)).rstrip("\t") if result is not None else "")
    while lines and not lines[-1]:
        lines.pop()
    return "\n".join(lines)


def sheet_keys(page: Page) -> list[str]:
    """Return the plan keys of the rows the worksheet shows, in order."""
    return page.locator("tr.sheet-row").evaluate_all("rows => rows.map(r => r.dataset.key)")


def fill_market(driver: Driver, market: str, link: str, markets: list[str]) -> None:
    """Open the worksheet of one market, paste its block, save."""
    page = driver.page
    driver.click(page.get_by_role("link", name=link).first)
    keys = sheet_keys(page)
    driver.paste(page.locator(".value-cell").first, block_for(keys, markets, market))
    driver.click(page.get_by_role("button", name="Save every typed row"))


def run(page: Page, base_url: str, tally: Tally, expect: Any) -> str:
    """Take a new two-market application from the home page to submitted; return its URL."""
    driver = Driver(page, tally)
    driver.goto(base_url + "/")
    driver.click(page.get_by_role("link", name="New application").first)
    driver.choose(page.get_by_label("Manufacturer (applicant)"), MANUFACTURER)
    driver.type(page.get_by_label("Brand", exact=True), "Indus")
    driver.type(page.get_by_label("Model", exact=True), "IM-SHEET-E2E")
    for technology in TECHNOLOGIES:
        driver.click(page.get_by_role("checkbox", name=technology, exact=True))
    driver.type(page.get_by_label("Bands", exact=True), BANDS)
    driver.type(page.get_by_label("Declared TACs"), "\n".join(TACS))
    for market in ("pk-pta", "eu-red"):
        driver.click(page.get_by_role("checkbox", name=re.compile(rf"\({market}\)")))
    driver.click(page.get_by_role("button", name="Open the application"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("draft")
    url = page.url
    driver.click(page.get_by_role("link", name="Add a sample").first)
    driver.type(page.get_by_label("IMEI"), SAMPLE)
    driver.click(page.get_by_role("button", name="Save the sample"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("testing")

    markets = ["pk-pta", "eu-red"]
    fill_market(driver, "pk-pta", "Worksheet of pk-pta", markets)
    expect(page.locator(".flash-success").first).to_contain_text("results saved")
    driver.click(page.get_by_role("link", name=re.compile("^← APP-")))
    expect(page.get_by_role("article", name=re.compile("pk-pta"))
           .locator(".market-head .badge")).to_have_text("pass")
    tally.mark("pk-pta passes")

    fill_market(driver, "eu-red", "Missing rows of eu-red", markets)
    expect(page.locator(".flash-success").first).to_contain_text("results saved")
    driver.click(page.get_by_role("link", name=re.compile("^← APP-")))
    driver.click(page.get_by_role("button", name="Submit for review"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("submitted")
    tally.mark("submitted")
    return url
