"""Keep each application's `search_text`: what its search box matches, in one indexed column."""

from __future__ import annotations

from sqlalchemy import select, update

from labcert.extensions import db
from labcert.models import Application


def search_text_of(application: Application) -> str:
    """Return the words an application is found by: number, product, manufacturer, TACs."""
    product = application.product
    words = [application.number, product.brand, product.model, product.marketing_name,
             application.manufacturer.name, *product.tacs]
    return " ".join(words).strip()  # as the migration's back-fill builds it


def refresh_search_text(application: Application) -> None:
    """Recompute one application's search text (after its number or product is set)."""
    application.search_text = search_text_of(application)


def refresh_manufacturer(organization_id: int) -> int:
    """Recompute the search text of a manufacturer's applications (after a rename).

    A bulk UPDATE, so the applications' optimistic-lock versions are left alone.
    """
    rows = db.session.scalars(select(Application)
                              .where(Application.manufacturer_id == organization_id)).all()
    for application in rows:
        db.session.execute(update(Application).where(Application.id == application.id)
                           .values(search_text=search_text_of(application))
                           .execution_options(synchronize_session=False))
    return len(rows)
