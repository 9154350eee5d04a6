"""Forms of the lab pages: applications, samples, instruments, CSV import, decisions."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    DateField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Optional
from wtforms.widgets import CheckboxInput, ListWidget

from labcert.errors import ValidationFailed
from labcert.rules.applicability import FACTS
from labcert.rules.inputs import CATEGORIES, TECHNOLOGIES

SPLIT = re.compile(r"[,\n\r;]+")
TECHNOLOGY_LABELS = {"gsm": "GSM (2G)", "umts": "UMTS (3G)", "lte": "LTE (4G)", "nr": "NR (5G)",
                     "wlan": "WLAN (Wi-Fi)", "bluetooth": "Bluetooth", "nfc": "NFC",
                     "gnss": "GNSS (GPS)", "uwb": "UWB (ultra-wideband)",
                     "fm": "FM radio receiver"}
FACT_LABELS = {"foldable": "The phone folds (foldable)",
               "has_internet": "It connects to the internet",
               "processes_personal_data": "It processes personal data",
               "user_replaceable_battery": "The user can replace the battery",
               "charger_included": "A charger ships in the box"}
BOOL_FACTS = [name for name, fact in FACTS.items() if fact.type == "bool"]


def split_list(text: str | None) -> list[str]:
    """Split text typed as a comma, semicolon or newline separated list."""
    return [part.strip() for part in SPLIT.split(text or "") if part.strip()]


def renamed(error: ValidationFailed, rename: Callable[[str], str]) -> ValidationFailed:
    """Return the refusal with each detail key renamed to the form field that shows it."""
    details: dict[str, list[str]] = {}
    for key, messages in error.details.items():
        details.setdefault(rename(key), []).extend(messages)
    return ValidationFailed(error.message, details)


class CheckboxesField(SelectMultipleField):
    """A group of checkboxes (rendered inside a fieldset by the template)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class ApplicationForm(FlaskForm):
    """Product facts and target markets of a new application."""

    manufacturer = SelectField(_l("Manufacturer (applicant)"), coerce=str)
    brand = StringField(_l("Brand"))
    model = StringField(_l("Model"))
    marketing_name = StringField(_l("Marketing name"))
    category = SelectField(_l("Category"),
                           choices=[SelectChoice(c, c.replace("_", " ")) for c in CATEGORIES])
    hardware_version = StringField(_l("Hardware version"))
    software_version = StringField(_l("Software version"))
    technologies = CheckboxesField(
        _l("Radio technologies"),
        choices=[SelectChoice(t, TECHNOLOGY_LABELS.get(t, t)) for t in TECHNOLOGIES])
    bands = StringField(_l("Bands"))
    tacs = TextAreaField(_l("Declared TACs"))
    markets = CheckboxesField(_l("Target markets"))
    facts = CheckboxesField(_l("Other product facts"),
                            choices=[SelectChoice(f, FACT_LABELS.get(f, f.replace("_", " ")))
                                     for f in BOOL_FACTS])

    def product(self) -> dict[str, Any]:
        """Return the product facts in the service's shape."""
        chosen = set(self.facts.data or [])
        return {"brand": self.brand.data or "", "model": self.model.data or "",
                "marketing_name": self.marketing_name.data or "",
                "category": self.category.data or "",
                "hardware_version": self.hardware_version.data or "",
                "software_version": self.software_version.data or "",
                "technologies": list(self.technologies.data or []),
                "bands": split_list(self.bands.data), "tacs": split_list(self.tacs.data),
                "facts": {name: name in chosen for name in BOOL_FACTS}}


def application_field(key: str) -> str:
    """Map a service key ('product.tacs.1', 'markets.0', 'manufacturer_id') to a field name."""
    parts = key.split(".")
    if parts[0] == "product" and len(parts) > 1:
        return "facts" if parts[1] == "facts" else parts[1]
    return {"manufacturer_id": "manufacturer"}.get(parts[0], parts[0])


class SampleForm(FlaskForm):
    """A received device."""

    imei = StringField(_l("IMEI"), render_kw={"inputmode": "numeric", "autocomplete": "off"})
    serial = StringField(_l("Serial number"))
    received_at = DateField(_l("Received on"), validators=[Optional()])
    condition = StringField(_l("Condition on receipt"))


class CancelForm(FlaskForm):
    """Cancel an application, saying why."""

    reason = TextAreaField(_l("Reason for cancelling"))


class SubmitForm(FlaskForm):
    """Send an application to review (a POST carrying only the CSRF token)."""


class InstrumentForm(FlaskForm):
    """A new measuring instrument."""

    asset_tag = StringField(_l("Asset tag"))
    name = StringField(_l("Name and model"))
    calibrated_at = DateField(_l("Last calibrated on"), validators=[Optional()])
    calibration_due = DateField(_l("Next calibration due"), validators=[Optional()])


class InstrumentTestsForm(FlaskForm):
    """The test codes an instrument is suitable for and its uncertainty budgets."""

    tests = CheckboxesField(_l("Declared suitable for"), choices=[])
    budgets = TextAreaField(_l("Uncertainty budgets (k = 2), one per line"),
                            render_kw={"rows": 5, "placeholder": "sar.head 22 %\n"
                                                                 "rf.conducted_power 0.6 dB"})


def parse_budget_lines(text: str) -> tuple[dict[str, dict[str, str]], list[str]]:
    """Read 'code value unit' or 'code value %' lines into budgets, with unreadable lines."""
    budgets: dict[str, dict[str, str]] = {}
    bad = []
    for number, line in enumerate((text or "").splitlines(), start=1):
        parts = line.replace("%", " %").split()
        if not parts:
            continue
        if len(parts) < 2:
            bad.append(_l("Line %(number)s: write the test code, the value and its unit or %%.",
                          number=number))
            continue
        code, value, unit = parts[0], parts[1], " ".join(parts[2:])
        budgets[code] = {"percent": value} if unit == "%" else {"value": value, "unit": unit}
    return budgets, bad


def budget_lines(budgets: dict[str, Any]) -> str:
    """Write budgets back as lines for the text area."""
    return "\n".join(f"{code} {b['percent']} %" if "percent" in b else
                     f"{code} {b['value']} {b.get('unit', '')}".rstrip()
                     for code, b in (budgets or {}).items())


class CalibrationForm(FlaskForm):
    """A new calibration of an instrument."""

    calibrated_at = DateField(_l("Calibrated on"), validators=[Optional()])
    calibration_due = DateField(_l("Next calibration due"), validators=[Optional()])


class CsvUploadForm(FlaskForm):
    """A results CSV from a test rig."""

    file = FileField(_l("Results file (CSV)"))


class CsvConfirmForm(FlaskForm):
    """Import the previewed file; the bytes travel back compressed in a hidden field."""

    payload = StringField()
    filename = StringField()
