"""Public verification pages: by number, QR code, PDF upload and shipment list (no sign-in)."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import UTC, date, datetime
from typing import Any

from flask import (
    Blueprint,
    Response,
    current_app,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug import Response as WerkzeugResponse

from labcert.access import public
from labcert.errors import NotFound, UploadTooLarge, ValidationFailed
from labcert.extensions import limiter
from labcert.http_cache import public_page
from labcert.i18n import local_market_name
from labcert.rules.names import market_choices
from labcert.runtime import service_settings
from labcert.services.certificates import find_certificate
from labcert.services.credentials import check_credential
from labcert.services.shipment import check_shipment
from labcert.services.verification import (
    check_qr_token,
    log_qr_check,
    status_by_number,
    verify_upload,
)
from labcert.services.verification_log import checked_by
from labcert.uploads import UnsupportedUpload, read_limited, read_pdf_upload, read_text_upload
from labcert.web.forms import populate_errors
from labcert.web.shipment_words import reason as shipment_reason
from labcert.web.verify_forms import CredentialForm, NumberForm, PdfForm, ShipmentForm

bp = Blueprint("verify", __name__, url_prefix="/verify")
HISTORY_ROLES = ("exporter",)  # whose checks are kept under their name (their history)


@bp.before_request
def _name_the_exporter() -> None:
    """A signed-in exporter's checks go into their history; everyone else's stay anonymous."""
    user = current_user
    checked_by(user.id if user.is_authenticated and user.role in HISTORY_ROLES else None)


def _limit() -> str:
    return current_app.config["PUBLIC_RATE_LIMIT"]


@bp.route("", methods=["GET", "POST"])
@limiter.limit(_limit, methods=["POST"])
@public
def index() -> str | WerkzeugResponse:
    """Offer the two ways to check a certificate: its number or its PDF."""
    form = NumberForm()
    if form.validate_on_submit():
        return redirect(url_for("verify.status", number=form.number.data.strip().upper()))
    return render_template("verify/index.html", form=form, pdf_form=PdfForm())


def _printed() -> dict[str, Any]:
    """Return what a printed answer states: when it was checked and at which address."""
    return {"checked_at": datetime.now(UTC).replace(second=0, microsecond=0),
            "checked_url": request.url}


def _json_ld(answer: dict[str, Any]) -> str:
    """Describe the certificate as a schema.org Certification (public fields only)."""
    data = {"@context": "https://schema.org", "@type": "Certification",
            "identifier": answer["number"], "name": f"Certificate of conformity {answer['number']}",
            "certificationStatus": answer["status"],
            "issuedBy": {"@type": "Organization", "name": current_app.config["LAB_NAME"]},
            "about": {"@type": "Product", "brand": answer["product"].get("brand"),
                      "model": answer["product"].get("model")},
            "validFrom": answer["issued_at"].date().isoformat(),
            "expires": answer["valid_until"].isoformat()}
    return json.dumps(data).replace("</", "<\\/")


@bp.route("/<number>")
@limiter.limit(_limit)
@public
def status(number: str) -> tuple[str, int] | str | Response:
    """Show a certificate's status; with ?t= also check the QR code's seal."""
    try:
        answer = status_by_number(number, date.today(), channel="qr" if "t" in request.args
                                  else "page", log=not request.args.get("t"))
    except NotFound as error:
        return render_template("verify/unknown.html", number=number, message=error.message,
                               **_printed()), 404
    qr = None
    if request.args.get("t"):
        qr = check_qr_token(find_certificate(answer["number"]), request.args["t"][:600],
                            service_settings())
        log_qr_check(answer, qr)
    page_html = render_template("verify/status.html", c=answer, qr=qr, json_ld=_json_ld(answer),
                                **_printed())
    if current_user.is_authenticated:  # the page carries the user's own buttons
        return page_html
    return public_page(make_response(page_html), number.strip())


@bp.route("/credential", methods=["GET", "POST"])
@limiter.limit(_limit, methods=["POST"])
@public
def credential() -> tuple[str, int] | str:
    """Check a pasted or uploaded credential and say plainly what was found."""
    form = CredentialForm()
    if request.method == "GET":
        return render_template("verify/credential.html", form=form, r=None)
    valid = form.validate_on_submit()
    text = read_text_upload(form.file.data, "a credential") if valid and form.file.data \
        else form.credential.data or ""
    if not valid or not text.strip():
        form.credential.errors = [*form.credential.errors,
                                  _("Paste the credential (three parts separated by dots) or "
                                  "choose its file.")]
        return render_template("verify/credential.html", form=form, r=None), 422
    try:
        answer = check_credential(text, service_settings(), channel="page_credential")
    except ValidationFailed as error:
        populate_errors(form, error)
        return render_template("verify/credential.html", form=form, r=None), 422
    return render_template("verify/credential.html", form=form, r=answer, **_printed())


@bp.route("/pdf", methods=["POST"])
@limiter.limit(_limit)
@public
def pdf() -> tuple[str, int] | str:
    """Check an uploaded certificate PDF and say plainly what was found."""
    form = PdfForm()
    if not form.validate_on_submit() or not form.file.data:
        form.file.errors = [_("Choose the certificate PDF to upload.")]
        return render_template("verify/index.html", form=NumberForm(), pdf_form=form), 422
    try:
        data = read_pdf_upload(form.file.data)
    except (UnsupportedUpload, UploadTooLarge) as error:  # the form again, with the reason
        form.file.errors = [error.message]
        return render_template("verify/index.html", form=NumberForm(), pdf_form=form), \
            error.status
    answer = verify_upload(data, date.today(), service_settings(), channel="page_pdf")
    return render_template("verify/pdf_result.html", r=answer, **_printed())


def _uploaded_text(form: ShipmentForm) -> str:
    """Read the uploaded list as text; anything that is not UTF-8 text is refused (422)."""
    data = read_limited(form.file.data)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = "\x00"
    if "\x00" in text:
        raise ValidationFailed.of([("file", "This is not a text file: upload a CSV or a plain "
                                            "text file with one IMEI per line.")])
    return text


def _shipment_imeis(form: ShipmentForm) -> list[str]:
    """Take the first cell of each line (comma, semicolon or tab separated), header skipped."""
    text = form.imeis.data or ""
    if form.file.data:
        text += "\n" + _uploaded_text(form)
    cells = [re.split(r"[,;\t]", line, maxsplit=1)[0].strip().strip('"')
             for line in text.splitlines()]
    return [c for c in cells if c and c.lower() != "imei"]


@bp.route("/shipment", methods=["GET", "POST"])
@limiter.limit(_limit, methods=["POST"])
@public
def shipment() -> tuple[str, int] | str | Response:
    """Check a shipment's IMEIs against a market, on screen or as CSV."""
    form = ShipmentForm()
    form.market.choices = [("", _("Choose the destination market…")),
                           *((key, local_market_name(name)) for key, name in market_choices())]
    if request.method == "GET":
        return render_template("verify/shipment.html", form=form, answer=None)
    if not form.validate_on_submit():
        return render_template("verify/shipment.html", form=form, answer=None), 422
    try:
        answer = check_shipment(form.market.data, _shipment_imeis(form), date.today(),
                                channel="page_shipment")
    except ValidationFailed as error:
        populate_errors(form, error)
        return render_template("verify/shipment.html", form=form, answer=None), 422
    if request.form.get("format") == "csv":
        return _csv(answer)
    return render_template("verify/shipment.html", form=form, answer=answer, **_printed(),
                           reason=shipment_reason)


def _csv(answer: dict[str, Any]) -> Response:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["imei", "luhn_valid", "certificate", "status", "covered", "reason"])
    for item in answer["items"]:
        writer.writerow([item["imei"], item["luhn_valid"], item["certificate"] or "",
                         item["status"] or "", item["covered"],
                         shipment_reason(item, answer["market"], html=False)])
    return Response(out.getvalue(), mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="shipment-{answer["market"]}.csv"'})
