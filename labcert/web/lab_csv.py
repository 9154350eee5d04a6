"""CSV import of results: upload, preview with errors by line and column, confirm."""

from __future__ import annotations

import base64
import binascii
import re
import zlib
from typing import Any

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug import Response
from werkzeug.datastructures import FileStorage

from labcert.errors import Conflict, UploadTooLarge, ValidationFailed, describe_size
from labcert.models import Application
from labcert.services.applications import get_application
from labcert.services.csv_import import FIELDS, dry_run, import_results
from labcert.services.plans import catalogue
from labcert.uploads import check_size, read_limited, upload_limit
from labcert.web.guard import page
from labcert.web.lab import bp
from labcert.web.lab_forms import CsvConfirmForm, CsvUploadForm
from labcert.web.lab_results import closed

EXTENSIONS = (".csv", ".txt")
TEXT_TYPES = frozenset({"", "text/csv", "text/plain", "application/csv",
                        "text/comma-separated-values", "application/vnd.ms-excel",
                        "application/octet-stream"})
LINE = re.compile(r"^line (\d+)")
PREVIEW_ROWS = 200  # a page of 50 000 rows helps nobody; rows with errors are always shown


def read_upload(upload: FileStorage | None) -> bytes:
    """Return the uploaded bytes if they are a text CSV within the size limit."""
    if upload is None or not upload.filename:
        raise ValidationFailed.of([("file", "Choose the CSV file exported by the test rig.")])
    if not upload.filename.lower().endswith(EXTENSIONS):
        raise ValidationFailed.of([("file", f"{upload.filename} is not a .csv file.")])
    if (upload.mimetype or "") not in TEXT_TYPES:
        raise ValidationFailed.of([("file", f"{upload.filename} is {upload.mimetype}, not text.")])
    data = read_limited(upload)
    if b"\x00" in data:
        raise ValidationFailed.of([("file", "The file holds binary data; export it as CSV text.")])
    return data


def pack(data: bytes) -> str:
    """Compress and encode the bytes to travel back in the confirm form."""
    return base64.urlsafe_b64encode(zlib.compress(data, 6)).decode("ascii")


def unpack(text: str) -> bytes:
    """Decode the confirm form's bytes, refusing anything over the size limit."""
    try:
        inflater = zlib.decompressobj()
        data = inflater.decompress(base64.urlsafe_b64decode(text.encode("ascii")),
                                   upload_limit() + 1)
    except (binascii.Error, zlib.error, ValueError, UnicodeEncodeError):
        raise ValidationFailed.of([("file", "The previewed file was lost; upload it again.")]) \
            from None
    if inflater.unconsumed_tail:
        raise UploadTooLarge(upload_limit())
    return check_size(data)


def _preview(application: Application, data: bytes, filename: str,
             problems: dict[str, list[str]] | None = None) -> dict[str, Any]:
    """Check the rows exactly as the import will (nothing stored) and show them."""
    run = dry_run(current_user, application.id, data)
    parsed, lines = run.parsed, run.lines
    problems = {**run.problems, **(problems or {})}
    rows = list(zip(lines, parsed.items, strict=False)) if parsed else []
    bad = {int(m[1]) for key in problems or {} if (m := LINE.match(key))}
    shown = [row for index, row in enumerate(rows) if index < PREVIEW_ROWS or row[0] in bad]
    confirm = CsvConfirmForm(formdata=None, payload=pack(data), filename=filename)
    return {"application": application, "rows": rows, "shown": shown, "bad_lines": bad,
            "problems": problems or {}, "filename": filename, "size": len(data),
            "confirm": confirm, "preview_rows": PREVIEW_ROWS}


@bp.route("/applications/<int:application_id>/import", methods=["GET", "POST"])
@page("technician")
def import_csv(application_id: int) -> tuple[str, int] | Response:
    """Upload a results CSV and show what it holds before anything is stored."""
    application = get_application(current_user, application_id)
    if refused := closed(application, "results"):
        return refused
    form = CsvUploadForm()
    status = 200
    if form.validate_on_submit():
        try:
            data = read_upload(form.file.data)
        except (ValidationFailed, UploadTooLarge) as error:
            form.file.errors = [*error.details["file"]]
            status = error.status
        else:
            context = _preview(application, data, form.file.data.filename)
            return render_template("lab/csv_preview.html", **context), \
                422 if context["problems"] else 200
    elif form.errors:
        status = 422
    return render_template("lab/csv_upload.html", application=application, form=form,
                           fields=FIELDS, limit=describe_size(upload_limit())), status


@bp.route("/applications/<int:application_id>/import/confirm", methods=["POST"])
@page("technician")
def confirm_csv(application_id: int) -> tuple[str, int] | Response:
    """Store the previewed results in one transaction, or show every error by line and column."""
    application = get_application(current_user, application_id)
    form = CsvConfirmForm()
    if not form.validate_on_submit():
        return redirect(url_for("lab.import_csv", application_id=application_id))
    filename = (form.filename.data or "results.csv")[:200]
    try:
        data = unpack(form.payload.data or "")
    except (ValidationFailed, UploadTooLarge) as error:
        flash(error.details["file"][0], "error")
        return redirect(url_for("lab.import_csv", application_id=application_id))
    try:
        ids = import_results(current_user, application_id, data)
    except ValidationFailed as error:
        flash(error.message, "error")
        context = _preview(application, data, filename, error.details)
        return render_template("lab/csv_preview.html", **context), 422
    except Conflict as error:
        flash(error.message, "error")
        return redirect(url_for("lab.application", application_id=application_id))
    flash(_("%(count)s result(s) imported from %(filename)s.",
            count=len(ids), filename=filename), "success")
    return redirect(url_for("lab.application", application_id=application_id) + "#results")


@bp.route("/csv-reference")
@page("technician", "reviewer", "admin")
def csv_reference() -> str:
    """Every CSV column and test code, with the conditions each test takes and allowed values."""
    return render_template("lab/csv_reference.html", fields=FIELDS, tests=catalogue())
