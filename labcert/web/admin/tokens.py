"""Everyone's API tokens, for administrators: see and revoke."""

from __future__ import annotations

from flask import flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug import Response

from labcert.models import utcnow
from labcert.services import tokens as token_service
from labcert.services import users as user_service
from labcert.web.account import me
from labcert.web.admin.blueprint import bp
from labcert.web.guard import page


@bp.route("/tokens")
@page("admin")
def tokens() -> Response:
    """List API tokens, everyone's or one user's (`?user=<id>`)."""
    user_id = request.args.get("user", type=int)
    owner = user_service.get_user(user_id) if user_id else None
    response = make_response(render_template(
        "admin/tokens.html", owner=owner, tokens=token_service.list_tokens(owner), now=utcnow()))
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/tokens/<int:token_id>/revoke", methods=["POST"])
@page("admin")
def revoke_token(token_id: int) -> Response:
    """Revoke anyone's API token."""
    token = token_service.revoke_token(me(), token_id)
    flash(_("Token %(prefix)s… of %(email)s is revoked.",
            prefix=token.prefix, email=token.user.email), "success")
    return redirect(url_for("admin.tokens", user=token.user_id))
