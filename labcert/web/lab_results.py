"""Test work pages: register a sample, enter a result, correct a result."""

from __future__ import annotations

import contextlib
from datetime import date, datetime
from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug import Response

from labcert.errors import Conflict, ValidationFailed
from labcert.models import Application, utcnow
from labcert.rules import TestDef, UnknownCriteriaSet, load_registry
from labcert.rules.model import COMPUTED
from labcert.services.application_page import result_for, samples_of
from labcert.services.applications import get_application
from labcert.services.instruments import all_instruments
from labcert.services.results import add_results, allowed_test_codes, correct_result
from labcert.services.samples import add_sample
from labcert.services.states import require_editable
from labcert.web.forms import populate_errors
from labcert.web.guard import page
from labcert.web.lab import bp, form_status
from labcert.web.lab_forms import SampleForm, renamed
from labcert.web.lab_result_forms import (
    ResultForm,
    instrument_choices,
    prefill,
    result_field,
    result_form_class,
    result_item,
    sample_choices,
)


def closed(application: Application, what: str) -> Response | None:
    """Send a technician back when the application takes no more entries (forms are closed)."""
    try:
        require_editable(application, what)
    except Conflict as error:
        flash(error.message, "error")
        return _detail(application.id)
    return None


def _detail(application_id: int, anchor: str = "") -> Response:
    url = url_for("lab.application", application_id=application_id)
    return redirect(url + (f"#{anchor}" if anchor else ""))


@bp.route("/applications/<int:application_id>/samples/new", methods=["GET", "POST"])
@page("technician")
def new_sample(application_id: int) -> tuple[str, int] | Response:
    """Register a received device by its IMEI."""
    application = get_application(current_user, application_id)
    if refused := closed(application, "samples"):
        return refused
    form = SampleForm()
    if request.method == "GET":
        form.received_at.data = date.today()
    if form.validate_on_submit():
        try:
            sample = add_sample(current_user, application_id, imei=form.imei.data or "",
                                received_at=form.received_at.data, serial=form.serial.data or "",
                                condition=form.condition.data or "")
        except ValidationFailed as error:
            populate_errors(form, error)
        except Conflict as error:
            flash(error.message, "error")
            return _detail(application_id)
        else:
            flash(_("Sample %(imei)s is registered.", imei=sample.imei), "success")
            if request.form.get("next") == "another":
                return redirect(url_for("lab.new_sample", application_id=application_id))
            return _detail(application_id, "samples")
    return render_template("lab/sample_new.html", application=application, form=form,
                           samples=samples_of(application)), form_status(form)


KEPT_FIELDS = ("unit", "uncertainty", "uncertainty_pct", "k")


def _testable_codes(application: Application) -> list[TestDef]:
    """Return the catalogue tests the application's markets ask for that take results."""
    catalogue = load_registry().catalogue
    tests = [catalogue[code] for code in allowed_test_codes(application, date.today())]
    return [test for test in tests if test.kind != COMPUTED]


def _bind(form: ResultForm, application: Application) -> None:
    now = utcnow()
    form.sample.choices = sample_choices(samples_of(application))
    form.instrument.choices = instrument_choices(all_instruments(), now)
    if request.method == "GET":
        form.tested_at.data = now.replace(microsecond=0)
        form.sample.data = request.args.get("sample", "")
        form.instrument.data = request.args.get("instrument", "")
        if not form.sample.data and len(form.sample.choices) == 2:
            form.sample.data = form.sample.choices[1].value
        kept = request.args.get("tested_at", "")
        if kept:
            with contextlib.suppress(ValueError):
                form.tested_at.data = datetime.fromisoformat(kept)
        for name in KEPT_FIELDS:  # "Save and enter another" keeps U, k, unit and conditions
            if name in form and request.args.get(name):
                form[name].data = request.args[name]
        for field in form.condition_fields():
            if request.args.get(field.name):
                field.data = request.args[field.name]


@bp.route("/applications/<int:application_id>/results/new", methods=["GET", "POST"])
@page("technician")
def new_result(application_id: int) -> tuple[str, int] | Response:
    """Enter one result; the fields follow the chosen test code (?test=...)."""
    application = get_application(current_user, application_id)
    if refused := closed(application, "results"):
        return refused
    try:
        tests = _testable_codes(application)
    except (Conflict, UnknownCriteriaSet) as error:
        flash(_("The tests of this application cannot be listed: %(error)s", error=error), "error")
        return _detail(application_id)
    code = request.form.get("test") if request.method == "POST" else request.args.get("test")
    test = next((t for t in tests if t.code == code), None)
    context: dict[str, Any] = {"application": application, "tests": tests, "test": test,
                               "unknown_code": code if code and test is None else None}
    if test is None:
        return render_template("lab/result_new.html", form=None, **context), \
            422 if request.method == "POST" else 200
    form = result_form_class(test, load_registry().catalogue)(test=test.code)
    _bind(form, application)
    if form.validate_on_submit():
        try:
            add_results(current_user, application_id, [result_item(form, test)], source="form")
        except ValidationFailed as error:
            populate_errors(form, renamed(error, result_field))
        except Conflict as error:
            flash(error.message, "error")
            return _detail(application_id)
        else:
            flash(_("Result for %(code)s (%(title)s) is saved.",
                    code=test.code, title=test.title), "success")
            if request.form.get("next") == "another":
                kept = {name: form[name].data for name in KEPT_FIELDS
                        if name in form and form[name].data}
                kept.update({f.name: f.data for f in form.condition_fields() if f.data})
                when = form.tested_at.data.isoformat() if form.tested_at.data else ""
                return redirect(url_for("lab.new_result", application_id=application_id,
                                        test=test.code, sample=form.sample.data,
                                        instrument=form.instrument.data, tested_at=when,
                                        **kept))
            return _detail(application_id, "results")
    return render_template("lab/result_new.html", form=form, **context), form_status(form)


@bp.route("/results/<int:result_id>/correct", methods=["GET", "POST"])
@page("technician")
def correct(result_id: int) -> tuple[str, int] | Response:
    """Replace a result by a corrected one, with a reason; the old one stays, struck through."""
    old, application = result_for(current_user, result_id)
    test = load_registry().catalogue.get(old.test_code)
    if test is None:
        flash(_("Test code %(test_code)s is no longer in the catalogue.",
                test_code=old.test_code), "error")
        return _detail(application.id)
    form = result_form_class(test, load_registry().catalogue, correction=True)(test=test.code)
    _bind(form, application)
    if request.method == "GET":
        prefill(form, old)
    if form.validate_on_submit():
        try:
            new = correct_result(current_user, result_id, result_item(form, test),
                                 form.reason.data or "")
        except ValidationFailed as error:
            populate_errors(form, renamed(error, result_field))
        except Conflict as error:
            flash(error.message, "error")
            return _detail(application.id, f"result-{result_id}")
        else:
            flash(_("Result #%(id)s is corrected by result #%(id2)s.",
                    id=old.id, id2=new.id), "success")
            return _detail(application.id, f"result-{new.id}")
    return render_template("lab/result_correct.html", form=form, application=application,
                           old=old, test=test), form_status(form)
