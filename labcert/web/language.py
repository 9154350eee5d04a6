"""The language switch on every page, and the account's own language setting."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, request, url_for
from flask_babel import gettext
from flask_login import current_user
from werkzeug import Response

from labcert.access import ANY_USER, public
from labcert.errors import ValidationFailed
from labcert.i18n import remember
from labcert.languages import supported
from labcert.services.languages import set_language
from labcert.web.guard import page

bp = Blueprint("language", __name__)


def _safe_next(target: str | None) -> str:
    """Return a same-site path to go back to (never another host)."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return url_for("home.index")


@bp.route("/language/<code>")
@public
def switch(code: str) -> Response:
    """Show the pages in this language from now on (a cookie; no account needed)."""
    chosen = supported(code)
    if chosen is None or chosen != code:
        abort(404)
    return remember(redirect(_safe_next(request.args.get("next"))), chosen)


@bp.route("/account/language", methods=["POST"])
@page(*ANY_USER)
def save() -> Response:
    """Save the account's language (empty: follow the browser) and use it at once."""
    code = (request.form.get("language") or "").strip() or None
    try:
        set_language(current_user._get_current_object(), code)
    except ValidationFailed:
        flash(gettext("Choose one of the languages offered."), "error")
        return redirect(url_for("account.index"))
    flash(gettext("Your language is saved."), "success")
    response = redirect(url_for("account.index"))
    if code is None:
        response.delete_cookie("labcert_lang")
        return response
    return remember(response, code)
