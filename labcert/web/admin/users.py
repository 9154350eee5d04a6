"""Accounts: list, create, edit, deactivate and reactivate, passwords."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug import Response

from labcert.errors import Conflict, ValidationFailed
from labcert.models import ROLES, User, utcnow
from labcert.services import accounts
from labcert.services import organizations as organization_service
from labcert.services import tokens as token_service
from labcert.services import users as user_service
from labcert.web.account import me
from labcert.web.admin.blueprint import bp
from labcert.web.admin_forms import (
    TemporaryPasswordForm,
    UserCreateForm,
    UserEditForm,
    organization_choices,
)
from labcert.web.forms import populate_errors
from labcert.web.guard import page

STATUS_FILTERS = {"active": True, "inactive": False, "all": None}


def _with_organizations(form: UserEditForm) -> UserEditForm:
    organizations = [org for org, _ in organization_service.list_organizations()]
    form.organization.choices = organization_choices(organizations)
    return form


def _user_page(account: User, *, form: UserEditForm | None = None,
               password_form: TemporaryPasswordForm | None = None,
               problem: str | None = None, status: int = 200) -> tuple[str, int]:
    """Render one account's page: its form, its actions, its tokens."""
    form = form or _with_organizations(UserEditForm(formdata=None, data={
        "email": account.email, "name": account.name, "role": account.role,
        "organization": account.organization_id}))
    return render_template(
        "admin/user.html", account=account, form=form,
        password_form=password_form or TemporaryPasswordForm(formdata=None), problem=problem,
        tokens=token_service.list_tokens(account), now=utcnow()), status


@bp.route("/users")
@page("admin")
def users() -> str:
    """List the accounts, filtered by role, status and a search term."""
    role = request.args.get("role", "")
    status = request.args.get("status", "active")
    search = request.args.get("q", "")
    found = user_service.list_users(role=role if role in ROLES else None,
                                    active=STATUS_FILTERS.get(status, True), search=search)
    return render_template("admin/users.html", users=found, roles=ROLES, role=role,
                           status=status if status in STATUS_FILTERS else "active", q=search)


@bp.route("/users/new", methods=["GET", "POST"])
@page("admin")
def new_user() -> str | Response:
    """Create an account with a first password."""
    form = _with_organizations(UserCreateForm())
    if form.validate_on_submit():
        try:
            account = accounts.create_user(
                me(), email=form.email.data or "", name=form.name.data or "",
                role=form.role.data or "", password=form.password.data or "",
                organization_id=form.organization.data,
                must_change_password=form.must_change_password.data)
        except ValidationFailed as error:
            populate_errors(form, error)
        else:
            flash(_("Account %(email)s is created.", email=account.email), "success")
            return redirect(url_for("admin.user", user_id=account.id))
    return render_template("admin/user_new.html", form=form)


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
@page("admin")
def user(user_id: int) -> tuple[str, int] | Response:
    """Show an account and change its e-mail, name, role and organisation."""
    account = user_service.get_user(user_id)
    if request.method == "GET":
        return _user_page(account)
    form = _with_organizations(UserEditForm())
    if form.validate_on_submit():
        try:
            changes = user_service.update_user(
                me(), account.id, email=form.email.data or "", name=form.name.data or "",
                role=form.role.data or "", organization_id=form.organization.data)
        except ValidationFailed as error:
            populate_errors(form, error)
        except Conflict as error:
            return _user_page(account, form=form, problem=error.message, status=409)
        else:
            flash(_("Saved %(fields)s of %(email)s.", fields=", ".join(changes),
                    email=account.email) if changes else _("Nothing was changed."),
                  "success" if changes else "info")
            return redirect(url_for("admin.user", user_id=account.id))
    return _user_page(account, form=form)


def _act(user_id: int, action: str) -> tuple[str, int] | Response:
    """Run a one-button action on an account and come back to its page."""
    account = user_service.get_user(user_id)
    service, message = {
        "deactivate": (user_service.deactivate_user,
                       _l("%(email)s is deactivated: signed out and API tokens refused from now "
                          "on.")),
        "reactivate": (user_service.reactivate_user, _l("%(email)s can sign in again.")),
        "require_password_change": (user_service.require_password_change,
                                    _l("%(email)s must choose a new password at the next page.")),
    }[action]
    try:
        service(me(), account.id)
    except Conflict as error:
        return _user_page(account, problem=error.message, status=409)
    flash(str(message) % {"email": account.email}, "success")
    return redirect(url_for("admin.user", user_id=account.id))


@bp.route("/users/<int:user_id>/deactivate", methods=["POST"])
@page("admin")
def deactivate_user(user_id: int) -> tuple[str, int] | Response:
    """Deactivate an account (never deleted: its results and audit events keep their author)."""
    return _act(user_id, "deactivate")


@bp.route("/users/<int:user_id>/reactivate", methods=["POST"])
@page("admin")
def reactivate_user(user_id: int) -> tuple[str, int] | Response:
    """Give a deactivated account its access back."""
    return _act(user_id, "reactivate")


@bp.route("/users/<int:user_id>/require-password-change", methods=["POST"])
@page("admin")
def require_password_change(user_id: int) -> tuple[str, int] | Response:
    """Make the user choose a new password before anything else."""
    return _act(user_id, "require_password_change")


@bp.route("/users/<int:user_id>/temporary-password", methods=["POST"])
@page("admin")
def temporary_password(user_id: int) -> tuple[str, int] | Response:
    """Give the user a temporary password, to be changed at the next sign-in."""
    account = user_service.get_user(user_id)
    form = TemporaryPasswordForm()
    if form.validate_on_submit():
        try:
            user_service.set_temporary_password(me(), account.id, form.password.data or "")
        except ValidationFailed as error:
            populate_errors(form, error)
        else:
            flash(_("%(email)s has a temporary password; tell them in person or by "
                    "phone. They must change it at sign-in.", email=account.email), "success")
            return redirect(url_for("admin.user", user_id=account.id))
    return _user_page(account, password_form=form)
