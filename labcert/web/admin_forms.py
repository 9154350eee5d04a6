"""Forms of the administration pages; the services decide what is valid, these only shape input."""

from __future__ import annotations

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

    email = EmailField("E-mail", validators=[DataRequired("Enter an e-mail address."),
                                             Length(max=254)])
    name = StringField("Name", validators=[DataRequired("Enter the person's name."),
                                           Length(max=200)])
    role = SelectField("Role", choices=ROLE_CHOICES)
    organization = SelectField("Organisation", coerce=optional_id, validate_choice=True)
    submit = SubmitField("Save")


class UserCreateForm(UserEditForm):
    """A new account with a first password."""

    password = PasswordField("First password", validators=[
        DataRequired("Enter a first password."), Length(max=200)])
    must_change_password = BooleanField("Ask for a new password at first sign-in", default=True)
    submit = SubmitField("Create account")


class TemporaryPasswordForm(FlaskForm):
    """A password the user signs in with once, then must change."""

    password = PasswordField("Temporary password", validators=[
        DataRequired("Enter a temporary password."), Length(max=200)])
    submit = SubmitField("Set temporary password")


class OrganizationForm(FlaskForm):
    """The details of an organisation printed on certificates."""

    name = StringField("Name", validators=[DataRequired("Enter the organisation's name."),
                                           Length(max=200)])
    address = TextAreaField("Postal address", validators=[
        DataRequired("Enter the postal address."), Length(max=500)])
    country = StringField("Country code", validators=[
        DataRequired("Enter the two-letter country code."), Length(max=2)])
    factory_sites = TextAreaField("Factory sites (one per line)", validators=[Length(max=4000)])
    accreditation_number = StringField("Accreditation number", validators=[Length(max=100)])
    submit = SubmitField("Save")

    def sites(self) -> list[str]:
        """Return the factory sites, one per non-empty line."""
        return [line.strip() for line in (self.factory_sites.data or "").splitlines()
                if line.strip()]


class OrganizationCreateForm(OrganizationForm):
    """A new organisation: its kind is chosen once."""

    kind = SelectField("Kind", choices=KIND_CHOICES)
    submit = SubmitField("Register organisation")


class LogoForm(FlaskForm):
    """The lab's logo file."""

    logo = FileField("Logo (PNG, JPEG or SVG, at most 512 KB)",
                     validators=[FileRequired("Choose an image file to upload.")])
    submit = SubmitField("Upload logo")


class AuditFilterForm(FlaskForm):
    """Search the audit trail; a GET form, so it changes nothing and needs no CSRF token."""

    class Meta:
        csrf = False

    actor = StringField("Actor (e-mail or part of it)", validators=[Optional(), Length(max=254)])
    entity_type = SelectField("Object type", choices=[SelectChoice("", "any")],
                              validate_choice=False)
    entity_id = StringField("Object id", validators=[Optional(), Length(max=60)])
    date_from = DateField("From (UTC)", validators=[Optional()])
    date_to = DateField("To (UTC, inclusive)", validators=[Optional()])
