"""Navigation per role; an entry appears once its page exists."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import Flask, current_app, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user


@dataclass(frozen=True)
class NavItem:
    """A link in the top bar."""

    label: str
    url: str
    active: bool


NAV = {
    "admin": ((_l("Home"), "home.dashboard"), (_l("Users"), "admin.users"),
              (_l("Organisations"), "admin.organizations"), (_l("Criteria"), "criteria.index"),
              (_l("Signing key"), "admin.signing_key"), (_l("Audit"), "admin.audit")),
    "technician": ((_l("Home"), "home.dashboard"), (_l("Applications"), "lab.applications"),
                   (_l("Instruments"), "lab.instruments"), (_l("Criteria"), "criteria.index")),
    "reviewer": ((_l("Home"), "home.dashboard"), (_l("Review queue"), "review.queue"),
                 (_l("Certificates"), "certificates.index"), (_l("Criteria"), "criteria.index"),
                 (_l("Signing key"), "admin.signing_key")),
    "manufacturer": ((_l("Home"), "home.dashboard"), (_l("Applications"), "lab.applications"),
                     (_l("Certificates"), "certificates.index"),
                     (_l("Criteria"), "criteria.index")),
    "exporter": ((_l("Home"), "home.dashboard"), (_l("Verify"), "verify.index"),
                 (_l("Shipment check"), "verify.shipment"),
                 (_l("My checks"), "check_history.index"), (_l("Watched"), "watches.index")),
}
NAV = {role: (*entries, (_l("Account"), "account.index")) for role, entries in NAV.items()}
PUBLIC_NAV = ((_l("Verify a certificate"), "verify.index"),
              (_l("Shipment check"), "verify.shipment"))


def _items(entries: tuple[tuple[Any, str], ...]) -> list[NavItem]:
    views = current_app.view_functions
    return [NavItem(str(label), url_for(endpoint), request.endpoint == endpoint)
            for label, endpoint in entries if endpoint in views]


def nav_items() -> list[NavItem]:
    """Return the signed-in user's navigation."""
    return _items(NAV.get(current_user.role, ()))


def public_nav_items() -> list[NavItem]:
    """Return the navigation for visitors who are not signed in."""
    return _items(PUBLIC_NAV)


def init_app(app: Flask) -> None:
    """Expose the navigation to templates."""
    app.jinja_env.add_extension("jinja2.ext.do")
    app.jinja_env.globals.update(nav_items=nav_items, public_nav_items=public_nav_items)
