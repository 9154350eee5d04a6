"""One's own account: details, password and API tokens, for every role."""

from __future__ import annotations

from flask import (
    Blueprint,
    Flask,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug import Response

from labcert.access import ANY_USER
from labcert.errors import ValidationFailed
from labcert.extensions import limiter
from labcert.models import User, utcnow
from labcert.services import tokens as token_service
from labcert.services import users
from labcert.web.account_forms import MAX_TOKEN_DAYS, PasswordChangeForm, TokenCreateForm
from labcert.web.forms import populate_errors
from labcert.web.guard import page

bp = Blueprint("account", __name__, url_prefix="/account")

# What a user who must change their password may still reach.
PASSWORD_CHANGE_EXEMPT = frozenset({"account.password", "auth.logout", "static"})


def me() -> User:
    """Return the signed-in user itself, not the proxy, for the services."""
    return current_user._get_current_object()


def require_password_change() -> Response | None:
    """Send a user whose password must be changed to the change-password page first."""
    if request.endpoint is None or request.endpoint in PASSWORD_CHANGE_EXEMPT \
            or request.path.startswith("/api/"):
        return None
    if current_user.is_authenticated and current_user.must_change_password:
        return redirect(url_for("account.password"))
    return None


@bp.route("")
@page(*ANY_USER)
def index() -> str:
    """Show the signed-in user's details and the ways to manage the account."""
    active = [t for t in token_service.list_tokens(me()) if t.revoked_at is None]
    return render_template("account/index.html", user=me(), active_tokens=len(active))


def _password_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


def _password_key() -> str:
    return f"password:{current_user.get_id()}"


@bp.route("/password", methods=["GET", "POST"])
@limiter.limit(_password_limit, methods=["POST"], key_func=_password_key)
@page(*ANY_USER)
def password() -> str | Response:
    """Change one's own password; the current one is needed."""
    form = PasswordChangeForm()
    if form.validate_on_submit():
        try:
            users.change_own_password(me(), current_password=form.current_password.data or "",
                                      new_password=form.new_password.data or "")
        except ValidationFailed as error:
            populate_errors(form, error)
        else:
            flash(_("Your password is changed."), "success")
            return redirect(url_for("account.index"))
    return render_template("account/password.html", form=form)


@bp.route("/tokens", methods=["GET", "POST"])
@page(*ANY_USER)
def tokens() -> Response:
    """List one's API tokens and create one, shown once on the answer to the creating POST."""
    default_days = min(current_app.config["TOKEN_LIFETIME_DAYS"], MAX_TOKEN_DAYS)
    form = TokenCreateForm(data={"days": default_days})
    created = None
    if form.validate_on_submit():
        created, _secret = token_service.issue_token(
            me(), me(), days=form.days.data or default_days, name=(form.name.data or "").strip())
        form = TokenCreateForm(formdata=None, data={"days": default_days})
    # No redirect after creation on purpose: the plain token may live nowhere but in this
    # answer (the session cookie is signed, not encrypted), and no cache may keep it.
    response = make_response(render_template(
        "account/tokens.html", form=form, created=created,
        tokens=token_service.list_tokens(me()), now=utcnow()))
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/tokens/<int:token_id>/revoke", methods=["POST"])
@page(*ANY_USER)
def revoke_token(token_id: int) -> Response:
    """Revoke one of one's own tokens (404 for anyone else's)."""
    token = token_service.revoke_token(me(), token_id)
    flash(_("Token %(prefix)s… is revoked; programs using it are refused "
            "from now on.", prefix=token.prefix),
          "success")
    return redirect(url_for("account.tokens"))


def init_app(app: Flask) -> None:
    """Register the account pages and the forced password change for every page."""
    app.register_blueprint(bp)
    app.before_request(require_password_change)
