"""Forms of the certificate pages: a reason for every status change, changes for an amendment."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from labcert.certificate_facts import AMENDABLE


class ReasonForm(FlaskForm):
    """Suspend, reinstate or withdraw, with the reason verifiers will read."""

    action = HiddenField()
    reason = TextAreaField(_l("Reason (shown to verifiers)"), validators=[
        DataRequired(_l("Give the reason; it is shown to verifiers.")), Length(max=500)])


class AmendForm(FlaskForm):
    """A new revision: what changes, and why."""

    reason = TextAreaField(_l("Reason for the amendment"), validators=[
        DataRequired(_l("Say why the certificate is amended.")), Length(max=500)])
    marketing_name = StringField(_l("Marketing name"), validators=[Optional(), Length(max=200)])
    software_version = StringField(_l("Software version"), validators=[Optional(), Length(max=100)])
    hardware_version = StringField(_l("Hardware version"), validators=[Optional(), Length(max=100)])
    address = StringField(_l("Holder address"), validators=[Optional(), Length(max=200)])
    factory_sites = TextAreaField(_l("Factory sites (one per line; replaces the list)"),
                                  validators=[Optional(), Length(max=2000)])

    def changes(self) -> dict[str, str | list[str]]:
        """Return the amendable facts the reviewer filled in, as the service takes them."""
        changes: dict[str, str | list[str]] = {}
        for name in AMENDABLE:
            text = (getattr(self, name).data or "").strip()
            if text and name == "factory_sites":
                changes[name] = [line.strip() for line in text.splitlines() if line.strip()]
            elif text:
                changes[name] = text
        return changes
