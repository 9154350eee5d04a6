"""The watch list: certificates a signed-in user relies on, by number, from a verification
answer or from a shipment check."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from werkzeug import Response

from labcert.access import ANY_USER
from labcert.errors import DomainError
from labcert.services import watches
from labcert.web.forms import populate_errors
from labcert.web.guard import page
from labcert.web.watch_forms import ButtonForm, WatchForm, WatchManyForm

bp = Blueprint("watches", __name__, url_prefix="/watches")


def _back(target: str | None) -> str:
    # Only a path on this site: an open redirect would let a link send people elsewhere.
    if target and target.startswith("/") and not target.startswith("//"):
        return target
    return url_for("watches.index")


@bp.route("", methods=["GET", "POST"])
@page(*ANY_USER)
def index() -> str | Response:
    """List the watched certificates with their statuses; watch one more by number."""
    form = WatchForm()
    if form.validate_on_submit():
        try:
            certificate, added = watches.watch(current_user._get_current_object(),
                                               form.number.data)
        except DomainError as error:
            populate_errors(form, error)
        else:
            flash(_("You now watch certificate %(number)s; you will be mailed when its status "
                    "changes.", number=certificate.number) if added else
                  _("You already watch certificate %(number)s.", number=certificate.number),
                  "success")
            return redirect(_back(form.next.data))
    items = watches.watch_list(current_user._get_current_object(), date.today())
    return render_template("watches/index.html", form=form, items=items, remove=ButtonForm(),
                           many=WatchManyForm(formdata=None))


@bp.route("/<watched>/remove", methods=["POST"])
@page(*ANY_USER)
def remove(watched: str) -> Response:
    """Stop watching a certificate."""
    if ButtonForm().validate_on_submit():
        try:
            watches.unwatch(current_user._get_current_object(), watched)
            flash(_("You no longer watch certificate %(watched)s.",
                    watched=watched.strip()), "success")
        except DomainError as error:
            flash(error.message, "error")
    return redirect(url_for("watches.index"))


@bp.route("/many", methods=["POST"])
@page(*ANY_USER)
def add_many() -> Response:
    """Watch several certificates at once, such as all those covering a shipment."""
    form = WatchManyForm()
    if form.validate_on_submit():
        try:
            added = watches.watch_many(current_user._get_current_object(),
                                       form.numbers.data.splitlines())
            flash(ngettext("You now watch %(num)d more certificate.",
                           "You now watch %(num)d more certificates.", len(added)), "success")
        except DomainError as error:
            flash(error.message, "error")
    else:
        flash(_("Enter at least one certificate number, one per line."), "error")
    return redirect(url_for("watches.index"))
