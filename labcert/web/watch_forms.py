"""Forms of the watch list and the notification choices."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length


class WatchForm(FlaskForm):
    """A certificate number to watch."""

    number = StringField(_l("Certificate number"), validators=[
        DataRequired(_l("Enter the certificate number printed on the certificate.")),
        Length(max=40)])
    next = HiddenField()
    submit = SubmitField(_l("Watch"))


class WatchManyForm(FlaskForm):
    """Several certificate numbers, one per line (a shipment check sends its own)."""

    numbers = TextAreaField(_l("Certificate numbers, one per line"), validators=[
        DataRequired(_l("Enter at least one certificate number.")), Length(max=50_000)])
    submit = SubmitField(_l("Watch them all"))


class ButtonForm(FlaskForm):
    """A button that posts nothing but its CSRF token."""

    submit = SubmitField(_l("Stop watching"))


def preferences_form(kinds: dict[str, object], current: dict[str, bool]) -> type[FlaskForm]:
    """Build a form with one checkbox per notification kind (mandatory ones disabled)."""

    class PreferencesForm(FlaskForm):
        submit = SubmitField(_("Save"))

    for name, kind in kinds.items():
        field = BooleanField(kind.label, default=current[name],  # type: ignore[attr-defined]
                             render_kw={"disabled": True} if kind.mandatory else None)  # type: ignore[attr-defined]
        setattr(PreferencesForm, name.replace(".", "__"), field)
    return PreferencesForm
