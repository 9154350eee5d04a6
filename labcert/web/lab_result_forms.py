"""The result entry form, built per test code from the catalogue (conditions, unit, values)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateTimeLocalField, Field, HiddenField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Optional

from labcert.models import Instrument, Sample, TestResult
from labcert.rules import Catalogue, TestDef
from labcert.rules.model import OBSERVATION
from labcert.rules.numbers import fmt
from labcert.rules.vocabulary import vocabularies
from labcert.services.instruments import calibration_problem

DATETIME_FORMATS = ["%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M"]
UNIT_SUFFIXES = {"_v_m": "V/m", "_mhz": "MHz", "_kv": "kV", "_g": "g", "_m": "m"}
CHOICE_VOCABULARIES = ("band",)  # closed sets shown as a list; position follows a pattern
SERVICE_FIELDS = {"sample_imei": "sample", "test": "__form__", "results": "__form__"}


class ResultForm(FlaskForm):
    """Fields every result carries; the test's own fields are added by `result_form_class`."""

    test = HiddenField()
    sample = SelectField(_l("Sample (IMEI)"), default="")
    instrument = SelectField(_l("Instrument"), default="")
    tested_at = DateTimeLocalField(_l("Tested at (UTC)"), format=DATETIME_FORMATS, tz=UTC,
                                   validators=[Optional()], render_kw={"step": "1"})

    def condition_fields(self) -> list[Field]:
        """Return the condition fields in catalogue order."""
        return [field for field in self if field.name.startswith("cond_")]


def condition_label(name: str) -> str:
    """Turn a condition name such as 'frequency_mhz' into 'Frequency (MHz)'."""
    for suffix, unit in UNIT_SUFFIXES.items():
        if name.endswith(suffix) and len(name) > len(suffix):
            return f"{name[:-len(suffix)].replace('_', ' ').capitalize()} ({unit})"
    return name.replace("_", " ").capitalize()


def _condition_field(test: TestDef, catalogue: Catalogue, name: str) -> Field:
    definition = catalogue.condition_defs[name]
    required = name in test.conditions
    label = condition_label(name) + ("" if required else " (optional)")
    description = definition.title
    if definition.type == "choice" or name in CHOICE_VOCABULARIES:
        values = definition.choices or vocabularies()[name].values
        choices = [SelectChoice("", "Choose…"), *(SelectChoice(c) for c in values or ())]
        return SelectField(label, choices=choices, description=description, default="")
    render_kw = {"inputmode": "decimal"} if definition.type == "number" else {}
    return StringField(label, description=description, render_kw=render_kw)


def result_form_class(test: TestDef, catalogue: Catalogue, *,
                      correction: bool = False) -> type[ResultForm]:
    """Build the form class for one test code: value or observation, conditions, reason."""
    fields: dict[str, Any] = {}
    if test.kind == OBSERVATION:
        choices = [SelectChoice("", "Choose…"), *(SelectChoice(o) for o in test.observations or ())]
        fields["observation"] = SelectField(_("Observed"), choices=choices, default="")
    else:
        fields["value"] = StringField(_("Value"), render_kw={"inputmode": "decimal"})
        fields["unit"] = StringField(_("Unit"), default=test.unit,
                                     description=_("Catalogue unit: %(unit)s", unit=test.unit))
        fields["uncertainty"] = StringField(_("Expanded uncertainty U (absolute)"),
                                            render_kw={"inputmode": "decimal"})
        fields["uncertainty_pct"] = StringField(_("or U in % of the value"),
                                                render_kw={"inputmode": "decimal"})
        fields["k"] = StringField(_("Coverage factor k"), default="2",
                                  render_kw={"inputmode": "decimal"})
    for name in (*test.conditions, *test.optional_conditions):
        fields[f"cond_{name}"] = _condition_field(test, catalogue, name)
    if correction:
        fields["reason"] = TextAreaField(_("Reason for the correction"))
    return type(f"ResultForm_{test.kind}", (ResultForm,), fields)


def sample_choices(samples: list[Sample]) -> list[SelectChoice]:
    """Return the application's samples as choices."""
    return [SelectChoice("", "No particular sample"), *(
        SelectChoice(s.imei, s.imei + (f" (serial {s.serial})" if s.serial else ""))
        for s in samples)]


def instrument_choices(instruments: list[Instrument], now: datetime) -> list[SelectChoice]:
    """Return the instruments as choices, saying when calibration is due or expired."""
    choices = [SelectChoice("", "No instrument")]
    for item in instruments:
        state = "EXPIRED, was due" if calibration_problem(item, now) else "calibration due"
        choices.append(SelectChoice(
            item.asset_tag, f"{item.asset_tag} — {item.name} ({state} {item.calibration_due})"))
    return choices


def result_item(form: ResultForm, test: TestDef) -> dict[str, Any]:
    """Turn the posted form into one result in the service's shape (decimals stay text)."""
    item: dict[str, Any] = {"test": test.code}
    for name in ("value", "observation", "unit", "uncertainty", "uncertainty_pct", "k"):
        if name in form and (text := (form[name].data or "").strip()):
            item[name] = text
    conditions = {field.name[5:]: (field.data or "").strip() for field in form.condition_fields()}
    item["conditions"] = {k: v for k, v in conditions.items() if v}
    if form.sample.data:
        item["sample_imei"] = form.sample.data
    if form.instrument.data:
        item["instrument"] = form.instrument.data
    if form.tested_at.data is not None:
        item["tested_at"] = form.tested_at.data.isoformat()
    return item


def result_field(key: str) -> str:
    """Map 'results.0.conditions.band' to 'cond_band', 'results.0.value' to 'value'."""
    parts = key.split(".")
    if parts[0] == "results" and len(parts) > 2 and parts[1].isdigit():
        parts = parts[2:]
    if parts[0] == "conditions" and len(parts) > 1:
        return f"cond_{parts[1]}"
    return SERVICE_FIELDS.get(parts[0], parts[0])


def prefill(form: ResultForm, old: TestResult) -> None:
    """Fill a correction form from the result it replaces."""
    values = {"value": old.value, "unit": old.unit, "uncertainty": old.uncertainty,
              "uncertainty_pct": old.uncertainty_pct, "k": old.k}
    for name, value in values.items():
        if name in form:
            form[name].data = fmt(value) if value is not None and name != "unit" else value
    if "observation" in form:
        form.observation.data = old.observation
    for field in form.condition_fields():
        field.data = str((old.conditions or {}).get(field.name[5:], ""))
    form.sample.data = old.sample.imei if old.sample else ""
    form.instrument.data = old.instrument.asset_tag if old.instrument else ""
    form.tested_at.data = old.tested_at

