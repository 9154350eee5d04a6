"""What the browser journey types and hands on: accounts, product facts, IMEIs, the rig's CSV."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from labcert.rules.checks import luhn_check_digit

if TYPE_CHECKING:
    from playwright.sync_api import Page

TECH = ("tech@lab.example", "demo-tech-2026")
REVIEWER = ("reviewer@lab.example", "demo-review-2026")
MAKER = ("maker@airlink.example", "demo-maker-2026")
ADMIN = ("admin@lab.example", "demo-admin-2026")
MANUFACTURER = "Air Link Communication Ltd"
TACS = ("35209900", "86459205")  # the declared TACs of pk-pta's passing example


def imei(tac: str, serial: str) -> str:
    """Return a valid IMEI: TAC, six-digit serial, Luhn check digit."""
    return tac + serial + str(luhn_check_digit(tac + serial))


SAMPLES = (imei(TACS[0], "424201"), imei(TACS[1], "424202"))
TESTED_AT = (datetime.now(UTC) - timedelta(hours=2)).replace(microsecond=0)
# pk-pta's passing example, less the two results entered through the form.
CSV_ROWS = [
    ("rf.conducted_power", "22.7", "dBm", "0.6", "LTE B3", "", "", "", "", "", SAMPLES[0], "RF-01"),
    ("rf.conducted_power", "32.9", "dBm", "0.8", "GSM900", "", "", "", "", "", SAMPLES[0], "RF-01"),
    ("rf.refsens", "-99.1", "dBm", "0.7", "LTE B1", "", "", "", "", "", SAMPLES[0], "RF-01"),
    ("rf.refsens", "-96.4", "dBm", "0.7", "LTE B3", "", "", "", "", "", SAMPLES[0], "RF-01"),
    ("rf.refsens", "-97.0", "dBm", "0.7", "LTE B20", "", "", "", "", "", SAMPLES[0], "RF-01"),
    ("rf.refsens", "-106.5", "dBm", "1.0", "GSM900", "", "", "", "", "", SAMPLES[0], "RF-01"),
    ("emc.radiated", "33.4", "dBuV/m", "5.3", "", "", "", "110", "QP", "3", SAMPLES[0], "EMC-01"),
    ("emc.radiated", "40.2", "dBuV/m", "5.3", "", "", "", "540", "QP", "3", SAMPLES[0], "EMC-01"),
    ("sar.head", "0.95", "W/kg", "0.25", "LTE B3", "left cheek", "10", "", "", "", SAMPLES[0],
     "SAR-01"),
    ("sar.body", "1.20", "W/kg", "0.30", "LTE B1", "back 5 mm", "10", "", "", "", SAMPLES[0],
     "SAR-01"),
]
CSV_HEADER = ("test,value,unit,uncertainty,cond.band,cond.position,cond.mass_g,"
              "cond.frequency_mhz,cond.detector,cond.distance_m,sample_imei,instrument,tested_at")


def results_csv() -> bytes:
    """Return the test rig's export: a header and one line per result."""
    stamp = TESTED_AT.isoformat().replace("+00:00", "Z")
    lines = [CSV_HEADER, *(",".join((*row, stamp)) for row in CSV_ROWS)]
    return ("\n".join(lines) + "\n").encode()


@dataclass
class Journey:
    """What the steps hand on to each other."""

    pages: dict[str, Page] = field(default_factory=dict)
    application_url: str = ""
    application_number: str = ""
    certificate: str = ""
    pdf: Path | None = None
    sha256: str = ""
    evaluation_passed: bool = False
    submitted: bool = False

    def need(self, *names: str) -> None:
        """Skip this step if an earlier one did not leave what it needs."""
        missing = [name for name in names
                   if name not in self.pages and not getattr(self, name, None)]
        if missing:
            pytest.skip(f"an earlier step of the journey failed ({', '.join(missing)} unknown)")
