"""Sign in and sign out."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required, login_user, logout_user
from flask_wtf import FlaskForm
from werkzeug import Response
from wtforms import EmailField, PasswordField, SubmitField
from wtforms.validators import DataRequired, Length

from labcert.access import ANY_USER, allow, public
from labcert.extensions import limiter
from labcert.services import accounts

bp = Blueprint("auth", __name__)


class LoginForm(FlaskForm):
    """E-mail and password."""

    email = EmailField(_l("E-mail"), validators=[DataRequired(_l("Enter your e-mail address.")),
                                             Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired(_l("Enter your password.")),
                                                     Length(max=200)])
    submit = SubmitField(_l("Sign in"))


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


def _email_key() -> str:
    return "login:" + request.form.get("email", "").strip().lower()[:254]


def _safe_next(target: str | None) -> str:
    """Only follow a relative path on this site after sign-in."""
    if target and target.startswith("/") and not target.startswith("//") \
            and not urlsplit(target).netloc:
        return target
    return url_for("home.index")


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
@limiter.limit(_login_limit, methods=["POST"], key_func=_email_key)
@public
def login() -> str | Response:
    """Show the sign-in form and sign the user in."""
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    form = LoginForm()
    if form.validate_on_submit():
        user = accounts.sign_in(form.email.data or "", form.password.data or "", "web")
        if user is None:
            form.password.errors = ["E-mail or password is not right, or the account is inactive."]
        else:
            login_user(user)
            accounts.note_login(user)
            flash(_("Signed in as %(name)s.", name=user.name), "success")
            return redirect(_safe_next(request.args.get("next")))
    return render_template("auth/login.html", form=form)


class LogoutForm(FlaskForm):
    """Sign-out is a POST so that a link cannot sign anyone out."""


@bp.route("/logout", methods=["POST"])
@login_required
@allow(*ANY_USER)
def logout() -> Response:
    """Sign the user out."""
    form = LogoutForm()
    if form.validate_on_submit():
        logout_user()
        flash(_("You are signed out."), "info")
    return redirect(url_for("auth.login"))
