"""GET forms of the searchable lists: applications, certificates and the review queue."""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, SearchField, SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, Optional, ValidationError

from labcert.lifecycles import application as application_lifecycle
from labcert.lifecycles import certificate as certificate_lifecycle
from labcert.rules import load_registry
from labcert.rules.names import market_name


def market_filter_choices() -> list[SelectChoice]:
    """Return 'any market' and every criteria set id the registry knows, by title."""
    registry = load_registry()
    rows = {s.id: f"{market_name(s.id, registry)} ({s.id})" for s in registry.latest()}
    return [SelectChoice("", _("any market")),
            *(SelectChoice(k, v) for k, v in sorted(rows.items(), key=lambda kv: kv[1]))]


class _SearchForm(FlaskForm):
    """A GET form: it changes nothing, so it needs no CSRF token."""

    class Meta:
        csrf = False

    q = SearchField(_l("Search"), validators=[Optional(), Length(max=100)])
    # default "": a list opened without a query shows no error beside its filters
    market = SelectField(_l("Market"), choices=[SelectChoice("", _l("any market"))],
                         validate_choice=True, default="")

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.market.choices = market_filter_choices()


class ApplicationSearchForm(_SearchForm):
    """Search applications by text, state and market."""

    state = SelectField(_l("State"), choices=[SelectChoice("", _l("any state")), *(
        SelectChoice(s, s.capitalize()) for s in application_lifecycle.STATES)], default="")


class QueueSearchForm(_SearchForm):
    """Search the review queue by text and market."""


class CertificateSearchForm(_SearchForm):
    """Search certificates by text, status, market and date of issue."""

    status = SelectField(_l("Status"), choices=[SelectChoice("", _l("any status")), *(
        SelectChoice(s, s.capitalize()) for s in certificate_lifecycle.STATUSES)], default="")
    issued_from = DateField(_l("Issued from"), validators=[Optional()])
    issued_to = DateField(_l("Issued until (inclusive)"), validators=[Optional()])

    def validate_issued_to(self, field: DateField) -> None:
        """Refuse a range that ends before it starts."""
        start: date | None = self.issued_from.data
        if field.data and start and field.data < start:
            raise ValidationError(_("The end of the range is before its start; swap the "
                                    "dates."))


def valid_or_empty(form: FlaskForm, name: str) -> str:
    """Return the field's value if it validated, else '' (a bad filter is shown, not applied)."""
    field = form[name]
    return "" if field.errors else (field.data or "")


def kept_filters(args: dict[str, str]) -> dict[str, str]:
    """Return the non-empty filters of a request, without the page (for the pager's links)."""
    return {k: v for k, v in args.items() if v and k != "page"}


def page_number(args: dict[str, str]) -> int:
    """Return the page asked for (1 when missing or unreadable)."""
    text = (args.get("page") or "1").strip()
    return int(text) if text.isdigit() and 0 < int(text) < 10**6 else 1
