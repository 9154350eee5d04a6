"""Navigation per role; an entry appears once its page exists."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Flask, current_app, request, url_for
from flask_login import current_user


@dataclass(frozen=True)
class NavItem:
    """A link in the top bar."""

    label: str
    url: str
    active: bool


NAV = {
    "admin": (("Home", "home.dashboard"), ("Users", "admin.users"),
              ("Organisations", "admin.organizations"), ("Criteria", "criteria.index"),
              ("Signing key", "admin.signing_key"), ("Audit", "admin.audit")),
    "technician": (("Home", "home.dashboard"), ("Applications", "lab.applications"),
                   ("Instruments", "lab.instruments"), ("Criteria", "criteria.index")),
    "reviewer": (("Home", "home.dashboard"), ("Review queue", "review.queue"),
                 ("Certificates", "certificates.index"), ("Criteria", "criteria.index"),
                 ("Signing key", "admin.signing_key")),
    "manufacturer": (("Home", "home.dashboard"), ("Applications", "lab.applications"),
                     ("Certificates", "certificates.index"), ("Criteria", "criteria.index")),
    "exporter": (("Home", "home.dashboard"), ("Verify", "verify.index"),
                 ("Shipment check", "verify.shipment"), ("Watched", "watches.index")),
}
NAV = {role: (*entries, ("Account", "account.index")) for role, entries in NAV.items()}
PUBLIC_NAV = (("Verify a certificate", "verify.index"), ("Shipment check", "verify.shipment"))


def _items(entries: tuple[tuple[str, str], ...]) -> list[NavItem]:
    views = current_app.view_functions
    return [NavItem(label, url_for(endpoint), request.endpoint == endpoint)
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
