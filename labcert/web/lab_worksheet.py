"""The worksheet page: an application's whole plan as one grid, saved all or nothing."""

from __future__ import annotations

from flask import Response as FlaskResponse
from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from werkzeug import Response

from labcert.errors import Conflict, ValidationFailed
from labcert.models import Instrument, utcnow
from labcert.rules.plan import canonical_or_same
from labcert.services.application_page import allowed_actions, samples_of
from labcert.services.applications import get_application
from labcert.services.flags import warnings_for
from labcert.services.instruments import all_instruments, calibration_problem
from labcert.services.plans import plan_csv, plan_of
from labcert.services.results import add_results
from labcert.web.guard import page
from labcert.web.lab import bp
from labcert.web.worksheet_form import (
    WorksheetForm,
    blank_sheet,
    condition_cells,
    condition_choices,
    place_errors,
    read_sheet,
    sheet_items,
    shown_rows,
)


def only_suitable(instruments: list[tuple[Instrument, str | None]]) -> dict[str, str]:
    """Map each test code to the asset tag of the one instrument in calibration declared for
    it; a test with several (or none) suitable instruments is left for the technician."""
    found: dict[str, list[str]] = {}
    for instrument, problem in instruments:
        if problem is None and not instrument.is_retired:
            for code in instrument.tests or ():
                found.setdefault(code, []).append(instrument.asset_tag)
    return {code: tags[0] for code, tags in found.items() if len(tags) == 1}


@bp.route("/applications/<int:application_id>/worksheet", methods=["GET", "POST"])
@page("technician")
def worksheet(application_id: int) -> tuple[str, int] | Response:
    """Show the plan as one grid; save every typed row at once, or none with errors beside."""
    application = get_application(current_user, application_id)
    plan = plan_of(application)
    form = WorksheetForm()
    samples = samples_of(application)
    now = utcnow().replace(microsecond=0)
    instruments = [(i, calibration_problem(i, now)) for i in all_instruments()]
    market = request.args.get("market", "")
    market = market if market in application.markets else ""
    missing_only = request.args.get("missing") == "1"
    status = 200
    if request.method == "POST":
        sheet = read_sheet(plan, request.form)
        if not form.validate_on_submit():
            sheet.errors.setdefault("sheet", []).append(
                _("The form expired; nothing was saved. Copy your values and reload the page."))
            status = 400
        elif not sheet.typed_rows():
            sheet.errors.setdefault("sheet", []).append(_("Type at least one value to save."))
            status = 422
        else:
            try:
                ids = add_results(current_user, application_id, sheet_items(sheet),
                                  source="form")
            except ValidationFailed as error:
                place_errors(sheet, error.details)
                status = 422
            except Conflict as error:
                flash(error.message, "error")
                return redirect(url_for("lab.application", application_id=application_id))
            else:
                flash(ngettext("%(num)d result saved.", "%(num)d results saved.", len(ids)),
                      "success")
                for warning in warnings_for(application, ids):
                    flash(warning["message"], "warning")
                return redirect(url_for("lab.worksheet", application_id=application_id,
                                        sample=sheet.defaults["sample"],
                                        instrument=sheet.defaults["instrument"],
                                        tested_at=sheet.defaults["tested_at"],
                                        market=market or None,
                                        missing="1" if missing_only else None))
    else:
        defaults = {"sample": request.args.get("sample", samples[0].imei if len(samples) == 1
                                                else ""),
                    "instrument": request.args.get("instrument", ""),
                    "tested_at": request.args.get("tested_at", now.strftime("%Y-%m-%dT%H:%M"))}
        sheet = blank_sheet(shown_rows(plan, market, missing_only), defaults,
                            only_suitable(instruments))
    bands = [canonical_or_same("band", b) for b in application.product.bands or ()]
    return render_template(
        "lab/worksheet.html", application=application, plan=plan, sheet=sheet, form=form,
        samples=samples, instruments=instruments, bands=bands,
        condition_cells=condition_cells, condition_choices=condition_choices,
        focus=request.args.get("row", ""), market=market, missing_only=missing_only,
        editable=allowed_actions(current_user, application).edit), status


@bp.route("/applications/<int:application_id>/plan.csv")
@page("technician", "reviewer", "admin", "manufacturer")
def plan_template(application_id: int) -> FlaskResponse:
    """Download the plan as a CSV template (test and cond.* filled, value columns empty)."""
    application = get_application(current_user, application_id)
    samples = samples_of(application)
    defaults = {"sample_imei": samples[0].imei} if len(samples) == 1 else {}
    return FlaskResponse(plan_csv(plan_of(application), defaults), mimetype="text/csv",
                         headers={"Content-Disposition":
                                  f'attachment; filename="{application.number}-plan.csv"'})
