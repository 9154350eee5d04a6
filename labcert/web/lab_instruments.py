"""Instrument pages: the list with calibration due dates, a new instrument, a new calibration."""

from __future__ import annotations

from datetime import date, timedelta

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from werkzeug import Response

from labcert.errors import ValidationFailed
from labcert.models import Instrument, utcnow
from labcert.services.instruments import (
    all_instruments,
    calibration_problem,
    create_instrument,
    declare_tests,
    get_instrument,
    record_calibration,
)
from labcert.services.plans import catalogue
from labcert.web.forms import populate_errors
from labcert.web.guard import page
from labcert.web.lab import bp, form_status
from labcert.web.lab_forms import (
    CalibrationForm,
    InstrumentForm,
    InstrumentTestsForm,
    budget_lines,
    parse_budget_lines,
)

ROLES = ("technician", "admin")


def _rows() -> list[tuple[Instrument, str | None]]:
    """Pair each instrument with the reason a measurement today could not rest on it."""
    now = utcnow()
    return [(item, calibration_problem(item, now)) for item in all_instruments()]


@bp.route("/instruments", methods=["GET", "POST"])
@page(*ROLES)
def instruments() -> tuple[str, int] | Response:
    """List the instruments with their calibration and register a new one."""
    form = InstrumentForm()
    if request.method == "GET":
        form.calibrated_at.data = date.today()
        form.calibration_due.data = date.today() + timedelta(days=365)
    if form.validate_on_submit():
        try:
            item = create_instrument(current_user, asset_tag=form.asset_tag.data or "",
                                     name=form.name.data or "",
                                     calibrated_at=form.calibrated_at.data,
                                     calibration_due=form.calibration_due.data)
        except ValidationFailed as error:
            populate_errors(form, error)
        else:
            flash(_("Instrument %(asset_tag)s is registered; now declare the tests it is "
                    "suitable for.", asset_tag=item.asset_tag), "success")
            return redirect(url_for("lab.instrument_tests", instrument_id=item.id))
    return render_template("lab/instruments.html", rows=_rows(), form=form,
                           today=date.today()), form_status(form)


@bp.route("/instruments/<int:instrument_id>/calibration", methods=["GET", "POST"])
@page(*ROLES)
def calibrate(instrument_id: int) -> tuple[str, int] | Response:
    """Record a new calibration of an instrument."""
    item = get_instrument(instrument_id)
    form = CalibrationForm()
    if request.method == "GET":
        form.calibrated_at.data = date.today()
        form.calibration_due.data = date.today() + timedelta(days=365)
    if form.validate_on_submit():
        try:
            record_calibration(current_user, instrument_id, calibrated_at=form.calibrated_at.data,
                               calibration_due=form.calibration_due.data)
        except ValidationFailed as error:
            populate_errors(form, error)
        else:
            flash(_("Calibration of %(asset_tag)s is recorded; next due "
                    "%(calibration_due)s.",
                    asset_tag=item.asset_tag, calibration_due=form.calibration_due.data), "success")
            return redirect(url_for("lab.instruments"))
    return render_template("lab/instrument_calibrate.html", item=item, form=form,
                           problem=calibration_problem(item, utcnow())), form_status(form)


@bp.route("/instruments/<int:instrument_id>/tests", methods=["GET", "POST"])
@page(*ROLES)
def instrument_tests(instrument_id: int) -> tuple[str, int] | Response:
    """Declare the tests an instrument is suitable for and its uncertainty budgets."""
    item = get_instrument(instrument_id)
    form = InstrumentTestsForm()
    form.tests.choices = [(t["code"], f"{t['code']} — {t['title']}") for t in catalogue()
                          if t["kind"] != "computed"]
    if request.method == "GET":
        form.tests.data = list(item.tests or [])
        form.budgets.data = budget_lines(item.budgets)
    if form.validate_on_submit():
        budgets, bad = parse_budget_lines(form.budgets.data or "")
        if bad:
            form.budgets.errors = bad
        else:
            try:
                declare_tests(current_user, instrument_id, tests=form.tests.data or [],
                              budgets=budgets)
            except ValidationFailed as error:
                form.budgets.errors = [m for k, ms in error.details.items() for m in ms
                                       if k.startswith("budgets")]
                form.tests.errors = [m for k, ms in error.details.items() for m in ms
                                     if k.startswith("tests")]
            else:
                flash(ngettext("%(asset_tag)s is declared for %(num)d test.",
                               "%(asset_tag)s is declared for %(num)d tests.", len(item.tests),
                               asset_tag=item.asset_tag), "success")
                return redirect(url_for("lab.instruments"))
    return render_template("lab/instrument_tests.html", item=item, form=form), \
        form_status(form)
