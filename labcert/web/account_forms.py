"""Forms of the account pages: one's own password and API tokens."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import IntegerField, PasswordField, StringField, SubmitField
from wtforms.validators import DataRequired, EqualTo, Length, NumberRange

MAX_TOKEN_DAYS = 365


class PasswordChangeForm(FlaskForm):
    """The current password and the new one, twice."""

    current_password = PasswordField("Current password", validators=[
        DataRequired("Enter your current password."), Length(max=200)])
    new_password = PasswordField("New password", validators=[
        DataRequired("Enter a new password."), Length(max=200)])
    confirm = PasswordField("New password again", validators=[
        DataRequired("Enter the new password again."),
        EqualTo("new_password", "The two new passwords differ.")])
    submit = SubmitField("Change password")


class TokenCreateForm(FlaskForm):
    """A label and a lifetime for a new API token."""

    name = StringField("Label", validators=[
        DataRequired("Give the token a label, such as the program that will use it."),
        Length(max=100)])
    days = IntegerField("Valid for (days)", render_kw={"inputmode": "numeric"}, validators=[
        DataRequired("Enter a number of days."),
        NumberRange(1, MAX_TOKEN_DAYS, f"Choose between 1 and {MAX_TOKEN_DAYS} days.")])
    submit = SubmitField("Create token")
