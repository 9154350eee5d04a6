"""Web pages: blueprints with thin views (form -> service -> flash -> redirect)."""

from __future__ import annotations

from importlib import import_module

from flask import Flask
from flask_babel import lazy_gettext

from labcert.extensions import login_manager
from labcert.models import User
from labcert.services.accounts import load_user as load_active_user

LAB_PAGES = ("lab_applications", "lab_csv", "lab_instruments", "lab_results", "lab_samples",
             "lab_worksheet")


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    """Return the signed-in user; a deactivated account is signed out at once."""
    if not user_id.isdigit():
        return None
    return load_active_user(int(user_id))


def init_app(app: Flask) -> None:
    """Register the page blueprints and the sign-in settings."""
    from labcert.web import (
        account,
        admin,
        auth,
        certificates,
        check_history,
        criteria,
        did,
        filters,
        home,
        lab,
        language,
        navigation,
        notifications,
        review,
        verify,
        watches,
        wellknown,
    )

    for module in LAB_PAGES:  # they attach their routes to lab.bp, so load them before it registers
        import_module(f"labcert.web.{module}")
    navigation.init_app(app)
    filters.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = lazy_gettext("Please sign in to see that page.")
    login_manager.login_message_category = "info"
    app.register_blueprint(auth.bp)
    app.register_blueprint(home.bp)
    app.register_blueprint(lab.bp)
    app.register_blueprint(review.bp)
    app.register_blueprint(admin.bp)
    account.init_app(app)
    app.register_blueprint(criteria.bp)
    app.register_blueprint(wellknown.bp)
    app.register_blueprint(did.bp)
    app.register_blueprint(certificates.bp)
    app.register_blueprint(check_history.bp)
    app.register_blueprint(verify.bp)
    app.register_blueprint(watches.bp)
    app.register_blueprint(notifications.bp)
    app.register_blueprint(language.bp)
