"""Forms of the account pages: one's own password and API tokens."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, PasswordField, StringField, SubmitField
from wtforms.validators import DataRequired, EqualTo, Length, NumberRange

MAX_TOKEN_DAYS = 365


class PasswordChangeForm(FlaskForm):
    """The current password and the new one, twice."""

    current_password = PasswordField(_l("Current password"), validators=[
        DataRequired(_l("Enter your current password.")), Length(max=200)])
    new_password = PasswordField(_l("New password"), validators=[
        DataRequired(_l("Enter a new password.")), Length(max=200)])
    confirm = PasswordField(_l("New password again"), validators=[
        DataRequired(_l("Enter the new password again.")),
        EqualTo("new_password", _l("The two new passwords differ."))])
    submit = SubmitField(_l("Change password"))


class TokenCreateForm(FlaskForm):
    """A label and a lifetime for a new API token."""

    name = StringField(_l("Label"), validators=[
        DataRequired(_l("Give the token a label, such as the program that will use it.")),
        Length(max=100)])
    days = IntegerField(_l("Valid for (days)"), render_kw={"inputmode": "numeric"}, validators=[
        DataRequired(_l("Enter a number of days.")),
        NumberRange(1, MAX_TOKEN_DAYS, _l("Choose between 1 and %(MAX_TOKEN_DAYS)s days.",
                                          MAX_TOKEN_DAYS=MAX_TOKEN_DAYS))])
    submit = SubmitField(_l("Create token"))
