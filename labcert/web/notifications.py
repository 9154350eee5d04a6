"""One's own notification choices (account page), and the development outbox of sent mail."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug import Response

from labcert.access import ANY_USER
from labcert.errors import DomainError
from labcert.services import mail_queue, notifications
from labcert.web.guard import page
from labcert.web.watch_forms import preferences_form

bp = Blueprint("notifications", __name__)


@bp.route("/account/notifications", methods=["GET", "POST"])
@page(*ANY_USER)
def preferences() -> str | Response:
    """Choose which kinds of notification mail to receive (mandatory ones stay on)."""
    user = current_user._get_current_object()
    current = notifications.preferences(user)
    form = preferences_form(notifications.KINDS, current)()
    if form.validate_on_submit():
        chosen = [name for name in notifications.KINDS
                  if getattr(form, name.replace(".", "__")).data]
        try:
            notifications.set_preferences(user, chosen)
        except DomainError as error:
            flash(error.message, "error")
        else:
            flash(_("Your notification choices are saved."), "success")
            return redirect(url_for("notifications.preferences"))
    rows = [(getattr(form, name.replace(".", "__")), kind)
            for name, kind in notifications.KINDS.items()]
    return render_template("account/notifications.html", form=form, rows=rows,
                           email=user.email)


@bp.route("/dev/outbox")
@page("admin")
def outbox() -> str:
    """Show the mail LabCert sent to the log (only while no mail server is configured)."""
    if current_app.config.get("MAIL_SERVER"):
        abort(404)
    return render_template("account/outbox.html", messages=mail_queue.recent(100))
