"""Samples in bulk: paste or upload a list of IMEIs (with optional serials), all or nothing."""

from __future__ import annotations

from datetime import date

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from werkzeug import Response
from wtforms import DateField, StringField, TextAreaField
from wtforms.validators import Optional

from labcert.errors import Conflict, DomainError, ValidationFailed
from labcert.services.application_page import samples_of
from labcert.services.applications import get_application
from labcert.services.sample_lines import parse_sample_lines
from labcert.services.samples import MAX_BATCH, add_samples
from labcert.uploads import read_limited
from labcert.web.guard import page
from labcert.web.lab import bp


class BulkSampleForm(FlaskForm):
    """A list of received devices: one IMEI per line, a serial after a comma if known."""

    imeis = TextAreaField(_l("IMEIs, one per line"))
    file = FileField(_l("…or upload a list (.txt or .csv)"))
    received_at = DateField(_l("Received on"), validators=[Optional()])
    condition = StringField(_l("Condition on receipt (all of them)"))


def _listed_text(form: BulkSampleForm) -> str:
    """Return the pasted list, or the uploaded file's text when one was chosen."""
    upload = form.file.data
    if upload and getattr(upload, "filename", ""):
        data = read_limited(upload, "file")
        try:
            return data.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise ValidationFailed.of([("file", _("The file is not UTF-8 text; save it as "
                                                  "plain text or CSV."))]) from error
    return form.imeis.data or ""


def line_problems(error: ValidationFailed) -> list[tuple[str, str, str]]:
    """Turn 'line 3.imei' details into (line, field, message) rows, in line order."""
    rows = []
    for key, messages in error.details.items():
        where, _, field = key.partition(".")
        rows += [(where, field.replace("_", " "), m) for m in messages]

    def order(row: tuple[str, str, str]) -> tuple[int, str]:
        number = row[0].removeprefix("line ")
        return (int(number) if number.isdigit() else 0, row[1])

    return sorted(rows, key=order)


@bp.route("/applications/<int:application_id>/samples/bulk", methods=["GET", "POST"])
@page("technician")
def bulk_samples(application_id: int) -> tuple[str, int] | Response:
    """Register many received devices at once from a pasted or uploaded list."""
    application = get_application(current_user, application_id)
    form = BulkSampleForm()
    problems: list[tuple[str, str, str]] = []
    summary, status = "", 200
    if request.method == "GET":
        form.received_at.data = date.today()
    if form.validate_on_submit():
        try:
            text = _listed_text(form)
            form.imeis.data = text
            items = parse_sample_lines(text, form.received_at.data, form.condition.data or "")
            samples = add_samples(current_user, application_id, items)
        except ValidationFailed as error:
            problems, summary, status = line_problems(error), error.message, 422
        except Conflict as error:
            flash(error.message, "error")
            return redirect(url_for("lab.application", application_id=application_id))
        except DomainError as error:  # an upload over the limit
            problems, summary, status = [], error.message, error.status
        else:
            flash(ngettext("%(num)s sample is registered.", "%(num)s samples are registered.",
                           len(samples)), "success")
            return redirect(url_for("lab.application", application_id=application_id)
                            + "#samples")
    return render_template("lab/samples_bulk.html", application=application, form=form,
                           problems=problems, summary=summary, max_batch=MAX_BATCH,
                           samples=samples_of(application)), status
