"""Certificate pages: the registry for staff, own certificates for manufacturers, lifecycle."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug import Response as WerkzeugResponse

from labcert.access import STAFF
from labcert.errors import Conflict, ValidationFailed
from labcert.lifecycles import certificate as lifecycle
from labcert.runtime import service_settings
from labcert.services import certificates as service
from labcert.services.search import CertificateSearch, search_certificates
from labcert.web.certificate_forms import AmendForm, ReasonForm
from labcert.web.forms import populate_errors
from labcert.web.guard import page
from labcert.web.search_forms import (
    CertificateSearchForm,
    kept_filters,
    page_number,
    valid_or_empty,
)

bp = Blueprint("certificates", __name__, url_prefix="/certificates")
VIEWERS = (*STAFF, "manufacturer")


@bp.route("/")
@page(*VIEWERS)
def index() -> str:
    """List the certificates the user may see."""
    form = CertificateSearchForm(request.args)
    form.validate()  # a filter that cannot be read is told beside its field and left out
    today = date.today()
    wanted = CertificateSearch(
        q=valid_or_empty(form, "q"), status=valid_or_empty(form, "status"),
        market=valid_or_empty(form, "market"),
        issued_from=None if form.issued_from.errors else form.issued_from.data,
        issued_to=None if form.issued_to.errors else form.issued_to.data)
    found = search_certificates(current_user, wanted, today, page_number(request.args))
    return render_template("certificates/index.html", today=today, found=found,
                           certificates=found.items, form=form,
                           query=kept_filters(request.args),
                           searching=wanted != CertificateSearch())


def _detail(number: str, reason_form: ReasonForm | None = None,
            amend_form: AmendForm | None = None, status: int = 200) -> tuple[str, int]:
    certificate = service.get_certificate(current_user, number)
    today = date.today()
    allowed = certificate.allowed_actions(today)
    return render_template("certificates/show.html", c=certificate, facts=certificate.facts,
                           today=today, allowed=allowed, actions=lifecycle.ACTIONS,
                           status_actions=lifecycle.STATUS_ACTIONS,
                           reason_form=reason_form or ReasonForm(),
                           amend_form=amend_form or AmendForm(prefix="amend")), status


@bp.route("/<number>")
@page(*VIEWERS)
def show(number: str) -> tuple[str, int]:
    """Show a certificate, its status history and (for reviewers) the lifecycle actions."""
    return _detail(number)


@bp.route("/<number>/pdf")
@page(*VIEWERS)
def pdf(number: str) -> Response:
    """Download the signed PDF exactly as registered."""
    certificate = service.get_certificate(current_user, number)
    return Response(certificate.pdf, mimetype="application/pdf", headers={
        "Content-Disposition": f'attachment; filename="{certificate.number}.pdf"'})


@bp.route("/<number>/status", methods=["POST"])
@page("reviewer")
def change_status(number: str) -> tuple[str, int] | WerkzeugResponse:
    """Suspend, reinstate or withdraw the certificate with a reason."""
    form = ReasonForm()
    action = form.action.data or ""
    if action not in lifecycle.STATUS_ACTIONS:
        form.reason.errors = ["Choose suspend, reinstate or withdraw."]
        return _detail(number, reason_form=form, status=422)
    if not form.validate_on_submit():
        return _detail(number, reason_form=form, status=422)
    try:
        service.change_status(current_user, number, action, form.reason.data,
                              settings=service_settings())
    except Conflict as error:
        flash(error.message, "error")
        return _detail(number, status=409)
    flash(_("Certificate %(number)s: %(action)s recorded.",
            number=number, action=action), "success")
    return redirect(url_for("certificates.show", number=number))


@bp.route("/<number>/amend", methods=["POST"])
@page("reviewer")
def amend(number: str) -> tuple[str, int] | WerkzeugResponse:
    """Issue a new signed revision with the changes."""
    form = AmendForm(prefix="amend")
    if not form.validate_on_submit():
        return _detail(number, amend_form=form, status=422)
    try:
        new = service.amend(current_user, number, form.reason.data, form.changes(),
                            settings=service_settings())
    except ValidationFailed as error:
        populate_errors(form, error)
        form.form_errors.extend(m for k, v in error.details.items() if k == "changes" for m in v)
        return _detail(number, amend_form=form, status=422)
    except Conflict as error:
        flash(error.message, "error")
        return _detail(number, status=409)
    flash(_("Issued %(number)s; %(number2)s is now superseded.",
            number=new.number, number2=number), "success")
    return redirect(url_for("certificates.show", number=new.number))
