"""The home page: what each role works on first."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, url_for
from flask_login import current_user
from werkzeug import Response

from labcert.access import ANY_USER, public
from labcert.lifecycles.application import EDITABLE
from labcert.models import Application, User
from labcert.services.lists import visible_applications
from labcert.web.guard import page
from labcert.web.review import oldest_first

bp = Blueprint("home", __name__)


@bp.route("/")
@public
def index() -> str | Response:
    """Send visitors to sign in, and users to their own home page."""
    if not current_user.is_authenticated:
        return redirect(url_for("auth.login"))
    return redirect(url_for("home.dashboard"))


@bp.route("/home")
@page(*ANY_USER)
def dashboard() -> str:
    """Show the home page of the signed-in user's role."""
    return render_template(f"home/{current_user.role}.html",
                           applications=home_applications(current_user))


def home_applications(user: User) -> list[Application]:
    """Return what the role works on first: work in progress, the queue, or own applications."""
    if user.role == "technician":
        return [a for a in visible_applications(user) if a.state in EDITABLE]
    if user.role == "reviewer":
        return oldest_first(visible_applications(user, "submitted"))
    if user.role == "manufacturer":
        return visible_applications(user)
    return []
