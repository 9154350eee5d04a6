"""Criteria pages: what each market requires, with limits, rules, standards and confirmation."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, render_template

from labcert.access import ANY_USER
from labcert.rules import load_registry
from labcert.services import criteria as service
from labcert.web.guard import page

bp = Blueprint("criteria", __name__, url_prefix="/criteria")


@bp.route("/")
@page(*ANY_USER)
def index() -> str:
    """List the criteria sets and their versions."""
    return render_template("criteria/index.html", sets=service.catalogue_of_sets(date.today()))


@bp.route("/<ref>")
@page(*ANY_USER)
def show(ref: str) -> str:
    """Show every criterion of one set version."""
    today = date.today()
    criteria_set = service.find_set(ref, today)
    registry = load_registry()
    data = criteria_set.to_dict()
    versions = [cs for cs in registry.all() if cs.id == criteria_set.id]
    return render_template("criteria/show.html", cs=data,
                           status=registry.status(criteria_set, today), versions=versions,
                           catalogue=registry.catalogue,
                           unconfirmed=sum(1 for c in data["criteria"] if not c["confirmed"]))
