"""The home page: what each role works on first."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, url_for
from flask_login import current_user
from werkzeug import Response

from labcert.access import ANY_USER, public
from labcert.web.guard import page

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
    return render_template(f"home/{current_user.role}.html")
