"""Forms of the public verification pages."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional


class NumberForm(FlaskForm):
    """Look a certificate up by its number."""

    number = StringField(_l("Certificate number"), validators=[
        DataRequired(_l("Enter the number printed on the certificate, e.g. LC-2026-000123.")),
        Length(max=40)])
    submit = SubmitField(_l("Check status"))


class PdfForm(FlaskForm):
    """Upload a certificate PDF."""

    file = FileField(_l("Certificate PDF"))
    submit = SubmitField(_l("Check the file"))


class ShipmentForm(FlaskForm):
    """A shipment's IMEIs, pasted or uploaded, and the destination market."""

    market = SelectField(_l("Destination market"), validators=[DataRequired(
        _l("Choose the destination market: each market has its own certificates, and the check "
        "has no default."))])
    imeis = TextAreaField(_l("IMEIs (one per line)"), validators=[Optional(), Length(max=200_000)])
    file = FileField(_l("…or a CSV/text file with one IMEI per line"))
    submit = SubmitField(_l("Check the shipment"))


class CredentialForm(FlaskForm):
    """A credential (vc+jwt), pasted or uploaded."""

    credential = TextAreaField(_l("Credential (vc+jwt)"), validators=[Optional(),
                                                                  Length(max=300_000)])
    file = FileField(_l("…or the credential file (.jwt)"))
    submit = SubmitField(_l("Check the credential"))
