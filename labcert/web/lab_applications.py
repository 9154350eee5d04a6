"""Application pages: the list, a new application, the detail page, submit and cancel."""

from __future__ import annotations

from datetime import date

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug import Response
from wtforms.fields.choices import SelectChoice

from labcert.errors import Conflict, ValidationFailed
from labcert.lifecycles import application as lifecycle
from labcert.models import STAFF_ROLES, Application
from labcert.rules import UnknownCriteriaSet, load_registry
from labcert.rules.applicability import FACTS
from labcert.services.applications import (
    cancel_application,
    create_application,
    get_application,
    submit_application,
)
from labcert.services.organizations import organizations_of_kind
from labcert.services.search import ApplicationSearch, search_applications
from labcert.web.forms import populate_errors
from labcert.web.guard import page
from labcert.web.lab import bp, form_status
from labcert.web.lab_context import page_context
from labcert.web.lab_forms import (
    ApplicationForm,
    CancelForm,
    SubmitForm,
    application_field,
    renamed,
)
from labcert.web.search_forms import (
    ApplicationSearchForm,
    kept_filters,
    page_number,
    valid_or_empty,
)

VIEWERS = (*sorted(STAFF_ROLES), "manufacturer")


def market_choices(today: date) -> list[SelectChoice]:
    """Return the criteria sets in force today as (id, title) choices."""
    registry, choices = load_registry(), []
    for criteria_set in registry.latest():
        try:
            current = registry.resolve(criteria_set.id, today)
        except UnknownCriteriaSet:
            continue
        choices.append(SelectChoice(current.id,
                                    f"{current.name} ({current.id})"))
    return sorted(choices, key=lambda choice: choice.label)


def manufacturer_choices() -> list[SelectChoice]:
    """Return the manufacturers a technician may apply for."""
    rows = organizations_of_kind("manufacturer")
    return [SelectChoice("", "Choose the manufacturer…"),
            *(SelectChoice(str(o.id), o.name) for o in rows)]


@bp.route("/applications")
@page(*VIEWERS)
def applications() -> str:
    """List the applications the user may see, optionally of one state."""
    form = ApplicationSearchForm(request.args)
    form.validate()  # a filter that cannot be read is told beside its field and left out
    state = valid_or_empty(form, "state")
    wanted = ApplicationSearch(q=valid_or_empty(form, "q"), state=state,
                               market=valid_or_empty(form, "market"))
    found = search_applications(current_user, wanted, page_number(request.args))
    return render_template("lab/applications.html", found=found, applications=found.items,
                           form=form, state=state, states=lifecycle.STATES,
                           query=kept_filters(request.args), searching=bool(wanted.q or
                                                                              wanted.market))


@bp.route("/applications/new", methods=["GET", "POST"])
@page("technician", "manufacturer")
def new_application() -> tuple[str, int] | Response:
    """Open a draft application for a product and its target markets."""
    form = ApplicationForm()
    form.markets.choices = market_choices(date.today())
    if current_user.role == "manufacturer":
        del form.manufacturer
    else:
        form.manufacturer.choices = manufacturer_choices()
    if request.method == "GET":
        form.facts.data = [c.value for c in form.facts.choices if FACTS[c.value].default]
    if form.validate_on_submit():
        manufacturer = form.manufacturer.data if "manufacturer" in form else ""
        try:
            application = create_application(
                current_user, product=form.product(), markets=list(form.markets.data or []),
                manufacturer_id=int(manufacturer) if manufacturer else None)
        except ValidationFailed as error:
            populate_errors(form, renamed(error, application_field))
        else:
            flash(_("Application %(number)s is open. Add the samples you received "
                    "next.", number=application.number), "success")
            return redirect(url_for("lab.application", application_id=application.id))
    return render_template("lab/application_new.html", form=form), form_status(form)


def render_application(application: Application, *, cancel_form: CancelForm | None = None,
                       status: int = 200) -> tuple[str, int]:
    """Render the detail page (also after a refused cancel or submit)."""
    context = page_context(current_user, application)
    return render_template("lab/application.html", **context, submit_form=SubmitForm(),
                           cancel_form=cancel_form or CancelForm(formdata=None)), status


@bp.route("/applications/<int:application_id>")
@page(*VIEWERS)
def application(application_id: int) -> tuple[str, int]:
    """Show an application: product, samples, results, live evaluation, history, actions."""
    return render_application(get_application(current_user, application_id))


@bp.route("/applications/<int:application_id>/submit", methods=["POST"])
@page("technician")
def submit(application_id: int) -> tuple[str, int] | Response:
    """Send a tested application to review."""
    item = get_application(current_user, application_id)
    if SubmitForm().validate_on_submit():
        ticked = [int(v) for v in request.form.getlist("acknowledged") if v.isdigit()]
        try:
            submit_application(current_user, application_id, acknowledged=ticked)
        except ValidationFailed as error:
            for messages in error.details.values():
                for message in messages:
                    flash(message, "error")
            return render_application(item, status=422)
        except Conflict as error:
            flash(error.message, "error")
            return render_application(item, status=409)
        flash(_("Application %(number)s is submitted; a reviewer will decide on "
                "it.", number=item.number),
              "success")
    return redirect(url_for("lab.application", application_id=application_id))


@bp.route("/applications/<int:application_id>/cancel", methods=["POST"])
@page(*lifecycle.CANCELLERS)
def cancel(application_id: int) -> tuple[str, int] | Response:
    """Cancel an application that is not final, with a reason."""
    item = get_application(current_user, application_id)
    form = CancelForm()
    if form.validate_on_submit():
        try:
            cancel_application(current_user, application_id, form.reason.data or "")
        except ValidationFailed as error:
            populate_errors(form, error)
            return render_application(item, cancel_form=form, status=422)
        except Conflict as error:
            flash(error.message, "error")
            return render_application(item, cancel_form=form, status=409)
        flash(_("Application %(number)s is cancelled.", number=item.number), "success")
    return redirect(url_for("lab.application", application_id=application_id))
