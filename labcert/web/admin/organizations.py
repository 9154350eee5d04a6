"""Organisations: the lab (with its logo), manufacturers and exporters."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug import Response

from labcert.errors import Conflict, UploadTooLarge, ValidationFailed
from labcert.models import ORGANIZATION_KINDS, Organization
from labcert.services import logos
from labcert.services import organizations as organization_service
from labcert.web.account import me
from labcert.web.admin.blueprint import bp
from labcert.web.admin_forms import LogoForm, OrganizationCreateForm, OrganizationForm
from labcert.web.forms import populate_errors
from labcert.web.guard import page


def _details(form: OrganizationForm) -> dict[str, object]:
    """Return the form's values as the service takes them."""
    return {"name": form.name.data or "", "address": form.address.data or "",
            "country": form.country.data or "", "factory_sites": form.sites(),
            "accreditation_number": form.accreditation_number.data or ""}


def _logo_src(org: Organization) -> str | None:
    """Return the logo as a data: address for an <img> (the CSP allows data: images)."""
    if org.kind != "lab" or org.logo is None or org.logo_mimetype is None:
        return None
    return logos.data_uri(org.logo, org.logo_mimetype)


def _organization_page(org: Organization, *, form: OrganizationForm | None = None,
                       logo_form: LogoForm | None = None, problem: str | None = None,
                       status: int = 200) -> tuple[str, int]:
    form = form or OrganizationForm(formdata=None, data={
        "name": org.name, "address": org.address, "country": org.country,
        "factory_sites": "\n".join(org.factory_sites or []),
        "accreditation_number": org.accreditation_number})
    return render_template("admin/organization.html", org=org, form=form,
                           logo_form=logo_form or LogoForm(formdata=None),
                           logo_src=_logo_src(org), problem=problem), status


@bp.route("/organizations")
@page("admin")
def organizations() -> str:
    """List the organisations, optionally of one kind."""
    kind = request.args.get("kind", "")
    kind = kind if kind in ORGANIZATION_KINDS else ""
    return render_template("admin/organizations.html", kind=kind, kinds=ORGANIZATION_KINDS,
                           rows=organization_service.list_organizations(kind or None))


@bp.route("/organizations/new", methods=["GET", "POST"])
@page("admin")
def new_organization() -> str | Response:
    """Register a manufacturer, an exporter or the lab itself."""
    form = OrganizationCreateForm(kind=request.args.get("kind", "manufacturer"))
    problem = None
    if form.validate_on_submit():
        try:
            org = organization_service.create_organization(me(), kind=form.kind.data or "",
                                                           **_details(form))
        except ValidationFailed as error:
            populate_errors(form, error)
        except Conflict as error:
            problem = error.message
        else:
            flash(_("%(name)s is registered.", name=org.name), "success")
            return redirect(url_for("admin.organization", organization_id=org.id))
    return render_template("admin/organization_new.html", form=form, problem=problem)


@bp.route("/organizations/<int:organization_id>", methods=["GET", "POST"])
@page("admin")
def organization(organization_id: int) -> tuple[str, int] | Response:
    """Show an organisation and change its details."""
    org = organization_service.get_organization(organization_id)
    if request.method == "GET":
        return _organization_page(org)
    form = OrganizationForm()
    if form.validate_on_submit():
        try:
            changes = organization_service.update_organization(me(), org.id, **_details(form))
        except ValidationFailed as error:
            populate_errors(form, error)
        else:
            flash(_("Saved %(fields)s of %(name)s.", fields=", ".join(changes).replace("_", " "),
                    name=org.name) if changes else _("Nothing was changed."),
                  "success" if changes else "info")
            return redirect(url_for("admin.organization", organization_id=org.id))
    return _organization_page(org, form=form)


@bp.route("/organizations/<int:organization_id>/logo", methods=["POST"])
@page("admin")
def upload_logo(organization_id: int) -> tuple[str, int] | Response:
    """Replace the lab's logo, printed on its certificates."""
    org = organization_service.get_organization(organization_id)
    form = LogoForm()
    status = 422
    if form.validate_on_submit():
        data = form.logo.data.read(logos.MAX_BYTES + 1)
        try:
            organization_service.set_logo(me(), org.id, data)
        except (ValidationFailed, UploadTooLarge) as error:
            populate_errors(form, error)
            status = error.status
        else:
            flash(_("The logo is saved; certificates issued from now on carry it."), "success")
            return redirect(url_for("admin.organization", organization_id=org.id))
    return _organization_page(org, logo_form=form, status=status)


@bp.route("/organizations/<int:organization_id>/logo/remove", methods=["POST"])
@page("admin")
def remove_logo(organization_id: int) -> tuple[str, int] | Response:
    """Take the logo off the lab's future certificates."""
    org = organization_service.get_organization(organization_id)
    try:
        organization_service.remove_logo(me(), org.id)
    except Conflict as error:
        return _organization_page(org, problem=error.message, status=409)
    flash(_("The logo is removed."), "success")
    return redirect(url_for("admin.organization", organization_id=org.id))
