"""Forms of the administration pages; the services decide what is valid, these only shape input."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    PasswordField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional

from labcert.models import ROLES, Organization

ROLE_CHOICES = [SelectChoice(role, role.title()) for role in ROLES]
KIND_CHOICES = [SelectChoice("manufacturer", "Manufacturer"), SelectChoice("exporter", "Exporter"),
                SelectChoice("lab", "The lab")]


def optional_id(value: object) -> int | None:
    """Turn a select's value into an id, or None for 'none chosen'."""
    if value in (None, "", "None"):
        return None
    return int(str(value))


def organization_choices(organizations: list[Organization]) -> list[SelectChoice]:
    """Return select options: none, then each organisation with its kind."""
    return [SelectChoice("", "— none (lab staff) —"),
            *(SelectChoice(str(org.id), f"{org.name} ({org.kind})") for org in organizations)]


class UserEditForm(FlaskForm):
    """E-mail, name, role and organisation of an account."""

    email = EmailField(_l("E-mail"), validators=[DataRequired(_l("Enter an e-mail address.")),
                                             Length(max=254)])
    name = StringField(_l("Name"), validators=[DataRequired(_l("Enter the person's name.")),
                                           Length(max=200)])
    role = SelectField(_l("Role"), choices=ROLE_CHOICES)
    organization = SelectField(_l("Organisation"), coerce=optional_id, validate_choice=True)
    submit = SubmitField(_l("Save"))


class UserCreateForm(UserEditForm):
    """A new account with a first password; no role is preselected (least privilege)."""

    role = SelectField(_l("Role"), choices=[SelectChoice("", _l("Choose a role…")),
                                            *ROLE_CHOICES],
                       validators=[DataRequired(_l("Choose the role this person needs: no "
                                                   "role is given by default."))])

    password = PasswordField(_l("First password"), validators=[
        DataRequired(_l("Enter a first password.")), Length(max=200)])
    must_change_password = BooleanField(_l("Ask for a new password at first sign-in"), default=True)
    submit = SubmitField(_l("Create account"))


class TemporaryPasswordForm(FlaskForm):
    """A password the user signs in with once, then must change."""

    password = PasswordField(_l("Temporary password"), validators=[
        DataRequired(_l("Enter a temporary password.")), Length(max=200)])
    submit = SubmitField(_l("Set temporary password"))


class OrganizationForm(FlaskForm):
    """The details of an organisation printed on certificates."""

    name = StringField(_l("Name"), validators=[DataRequired(_l("Enter the organisation's name.")),
                                           Length(max=200)])
    address = TextAreaField(_l("Postal address"), validators=[
        DataRequired(_l("Enter the postal address.")), Length(max=500)])
    country = StringField(_l("Country code"), validators=[
        DataRequired(_l("Enter the two-letter country code.")), Length(max=2)])
    factory_sites = TextAreaField(_l("Factory sites (one per line)"), validators=[Length(max=4000)])
    accreditation_number = StringField(_l("Accreditation number"), validators=[Length(max=100)])
    submit = SubmitField(_l("Save"))

    def sites(self) -> list[str]:
        """Return the factory sites, one per non-empty line."""
        return [line.strip() for line in (self.factory_sites.data or "").splitlines()
                if line.strip()]


class OrganizationCreateForm(OrganizationForm):
    """A new organisation: its kind is chosen once."""

    kind = SelectField(_l("Kind"), choices=KIND_CHOICES)
    submit = SubmitField(_l("Register organisation"))


class LogoForm(FlaskForm):
    """The lab's logo file."""

    logo = FileField(_l("Logo (PNG, JPEG or SVG, at most 512 KB)"),
                     validators=[FileRequired("Choose an image file to upload.")])
    submit = SubmitField(_l("Upload logo"))


class AuditFilterForm(FlaskForm):
    """Search the audit trail; a GET form, so it changes nothing and needs no CSRF token."""

    class Meta:
        csrf = False

    actor = StringField(_l("Actor (e-mail or part of it)"),
                        validators=[Optional(), Length(max=254)])
    entity_type = SelectField(_l("Object type"), choices=[SelectChoice("", "any")],
                              validate_choice=False)
    entity_id = StringField(_l("Object id"), validators=[Optional(), Length(max=60)])
    date_from = DateField(_l("From (UTC)"), validators=[Optional()])
    date_to = DateField(_l("To (UTC, inclusive)"), validators=[Optional()])
