"""Forms of the public verification pages."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional


class NumberForm(FlaskForm):
    """Look a certificate up by its number."""

    number = StringField("Certificate number", validators=[
        DataRequired("Enter the number printed on the certificate, e.g. LC-2026-000123."),
        Length(max=40)])
    submit = SubmitField("Check status")


class PdfForm(FlaskForm):
    """Upload a certificate PDF."""

    file = FileField("Certificate PDF")
    submit = SubmitField("Check the file")


class ShipmentForm(FlaskForm):
    """A shipment's IMEIs, pasted or uploaded, and the destination market."""

    market = SelectField("Destination market", validators=[DataRequired(
        "Choose the destination market: each market has its own certificates, and the check "
        "has no default.")])
    imeis = TextAreaField("IMEIs (one per line)", validators=[Optional(), Length(max=200_000)])
    file = FileField("…or a CSV/text file with one IMEI per line")
    submit = SubmitField("Check the shipment")


class CredentialForm(FlaskForm):
    """A credential (vc+jwt), pasted or uploaded."""

    credential = TextAreaField("Credential (vc+jwt)", validators=[Optional(),
                                                                  Length(max=300_000)])
    file = FileField("…or the credential file (.jwt)")
    submit = SubmitField("Check the credential")
