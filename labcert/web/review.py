"""Review pages: the queue, and a reviewer's approve or reject decision (four-eyes)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from markupsafe import Markup, escape
from werkzeug import Response
from wtforms import HiddenField, TextAreaField

from labcert.errors import Conflict, ValidationFailed
from labcert.models import Application
from labcert.runtime import service_settings
from labcert.services.applications import get_application
from labcert.services.review import approve, entered_results, plan_approval, reject
from labcert.services.search import review_queue
from labcert.web.forms import populate_errors
from labcert.web.guard import page
from labcert.web.lab_context import page_context
from labcert.web.search_forms import QueueSearchForm, kept_filters, page_number, valid_or_empty

bp = Blueprint("review", __name__, url_prefix="/review")


class ApproveForm(FlaskForm):
    """Approve; `version` is the application version the reviewer saw, `confirm` says they
    saw the certificates that will be signed."""

    version = HiddenField()
    confirm = HiddenField()


class RejectForm(FlaskForm):
    """Reject with reasons, one per line."""

    version = HiddenField()
    reasons = TextAreaField(_l("Reasons for the rejection, one per line"))


def _version(form: ApproveForm | RejectForm) -> int | None:
    text = (form.version.data or "").strip()
    return int(text) if text.isdigit() else None


def oldest_first(applications: list[Application]) -> list[Application]:
    """Order applications by the time they were submitted, oldest first."""
    return sorted(applications, key=lambda a: (a.submitted_at or a.created_at, a.id))


@bp.route("/")
@page("reviewer")
def queue() -> str:
    """List the submitted applications, oldest first."""
    form = QueueSearchForm(request.args)
    form.validate()  # a filter that cannot be read is told beside its field and left out
    found = review_queue(current_user, q=valid_or_empty(form, "q"),
                         market=valid_or_empty(form, "market"),
                         page=page_number(request.args))
    return render_template("review/queue.html", found=found, applications=found.items,
                           form=form, query=kept_filters(request.args),
                           searching=bool(form.q.data or form.market.data))


def render_review(application: Application, *, reject_form: RejectForm | None = None,
                  conflict: str | None = None, status: int = 200) -> tuple[str, int]:
    """Render the review page (also after a refused or conflicting decision)."""
    context = page_context(current_user, application)
    version = str(application.version)
    approve_form = ApproveForm(formdata=None, version=version)
    if reject_form is None:
        reject_form = RejectForm(formdata=None, version=version)
    else:
        reject_form.version.data = version if conflict else reject_form.version.data
    return render_template("review/application.html", **context, approve_form=approve_form,
                           reject_form=reject_form, conflict=conflict,
                           entered=entered_results(current_user, application)), status


@bp.route("/applications/<int:application_id>")
@page("reviewer")
def application(application_id: int) -> tuple[str, int]:
    """Show the evaluation, results, samples and history, with the decision forms."""
    return render_review(get_application(current_user, application_id))


def issued_message(number: str, certificates: list[Any]) -> Markup:
    """Say the application is approved, linking each certificate issued."""
    links = Markup(", ").join(
        Markup('<a href="{}">{}</a>').format(url_for("certificates.show", number=c.number),
                                             c.number) for c in certificates)
    sentence = escape(_("Application %(number)s is approved. Certificates: %(issued)s.",
                        number="%(number)s", issued="%(issued)s"))
    return sentence % {"number": number, "issued": links or _("none yet")}


def render_confirmation(application_id: int, *, conflict: str | None = None,
                        status: int = 200) -> tuple[str, int]:
    """Render what approving would sign now, with the form that confirms it."""
    plan = plan_approval(current_user, application_id, settings=service_settings())
    form = ApproveForm(formdata=None, version=str(plan.application.version), confirm="yes")
    return render_template("review/approve.html", plan=plan, application=plan.application,
                           approve_form=form, conflict=conflict), status


@bp.route("/applications/<int:application_id>/approve", methods=["GET", "POST"])
@page("reviewer")
def approve_application(application_id: int) -> tuple[str, int] | Response:
    """GET: the certificates approving would sign (market, verdict, validity), to confirm.
    POST with the confirmation: approve and issue them; 409 if the application changed."""
    item = get_application(current_user, application_id)
    if request.method == "GET":
        return render_confirmation(application_id)
    form = ApproveForm()
    if not form.validate_on_submit() or form.confirm.data != "yes":
        return redirect(url_for("review.approve_application", application_id=application_id))
    try:
        approval = approve(current_user, application_id, settings=service_settings(),
                           expected_version=_version(form))
    except Conflict as error:
        return render_confirmation(application_id, conflict=error.message, status=409)
    flash(issued_message(item.number, approval.certificates), "success")
    for market in approval.not_issued:
        flash(_("No certificate for %(market)s (%(verdict)s): %(reason)s",
                market=market["market"], verdict=market["verdict"], reason=market["reason"]),
              "warning")
    return redirect(url_for("review.queue"))


@bp.route("/applications/<int:application_id>/reject", methods=["POST"])
@page("reviewer")
def reject_application(application_id: int) -> tuple[str, int] | Response:
    """Send the application back to testing with reasons; 409 if it changed meanwhile."""
    item = get_application(current_user, application_id)
    form = RejectForm()
    if not form.validate_on_submit():
        return redirect(url_for("review.application", application_id=application_id))
    reasons = (form.reasons.data or "").splitlines()
    try:
        reject(current_user, application_id, reasons, expected_version=_version(form))
    except ValidationFailed as error:
        populate_errors(form, error)
        return render_review(item, reject_form=form, status=422)
    except Conflict as error:
        return render_review(item, reject_form=form, conflict=error.message, status=409)
    flash(_("Application %(number)s is sent back to testing with your "
            "reasons.", number=item.number), "success")
    return redirect(url_for("review.queue"))
