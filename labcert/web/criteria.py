"""Criteria pages: what each market requires, with limits, rules, standards and confirmation."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response as WerkzeugResponse

from labcert.access import ANY_USER, STAFF
from labcert.errors import Conflict, ValidationFailed
from labcert.jobs import dispatch
from labcert.rules import load_registry
from labcert.runtime import service_settings
from labcert.services import criteria as service
from labcert.services import follow_up, impact, impact_notices, impact_runs
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


class ImpactForm(FlaskForm):
    """A button that posts with its CSRF token: analyse again, or publish to holders."""


@bp.route("/<ref>/impact")
@page(*STAFF)
def impact_page(ref: str) -> str:
    """Show the latest impact analysis of a version: progress, counts, filter, reasons."""
    today = service_settings().today()
    criteria_set = impact.find_version(ref, today)
    latest = impact_runs.latest(criteria_set.ref)
    finished = impact_runs.latest(criteria_set.ref, done=True)
    report = impact_runs.report_of(finished) if finished else None
    chosen = request.args.get("impact") or None
    if chosen not in (None, *impact.CLASSES):
        chosen = None
    shown = impact.filtered(report, chosen) if report else []
    return render_template("criteria/impact.html", cs=criteria_set, latest=latest,
                           report=report, shown=shown, chosen=chosen, form=ImpactForm(),
                           classes=impact.CLASSES, labels=impact.LABELS,
                           can_publish=current_user.role in impact_notices.PUBLISHERS,
                           can_follow_up=current_user.role in follow_up.OPENERS,
                           running=impact_runs.is_active(latest))


@bp.route("/<ref>/impact", methods=["POST"])
@page(*STAFF)
def impact_start(ref: str) -> WerkzeugResponse:
    """Queue a new analysis in the background (run here and now without a broker)."""
    form = ImpactForm()
    if not form.validate_on_submit():
        flash(_("The form expired; reload the page and try again."), "error")
        return redirect(url_for("criteria.impact_page", ref=ref))
    run = impact_runs.request_run(current_user, ref, service_settings().today())
    dispatch.submit("labcert.impact_analysis", run.id)
    flash(_("Impact analysis of %(criteria_set)s started.",
            criteria_set=run.criteria_set), "success")
    return redirect(url_for("criteria.impact_page", ref=run.criteria_set))


@bp.route("/<ref>/impact/publish", methods=["POST"])
@page(*impact_notices.PUBLISHERS)
def impact_publish(ref: str) -> WerkzeugResponse:
    """Tell the holders of the affected certificates (one mail per organisation)."""
    form = ImpactForm()
    run = impact_runs.latest(impact.find_version(ref, service_settings().today()).ref,
                             done=True)
    if not form.validate_on_submit() or run is None:
        flash(_("Nothing to publish: run the analysis first."), "error")
        return redirect(url_for("criteria.impact_page", ref=ref))
    try:
        summary = impact_notices.publish(current_user, run.id)
    except Conflict as error:
        flash(error.message, "error")
        return redirect(url_for("criteria.impact_page", ref=ref))
    flash(_("Published: %(certificates)s certificate(s) of %(organisations)s organisation(s) "
            "told.", certificates=summary["certificates"],
            organisations=summary["organisations"]), "success")
    return redirect(url_for("criteria.impact_page", ref=ref))


@bp.route("/<ref>/impact/<number>/follow-up", methods=["POST"])
@page(*follow_up.OPENERS)
def impact_follow_up(ref: str, number: str) -> WerkzeugResponse:
    """Open a follow-up application for an affected certificate, pre-filled with its rows."""
    form = ImpactForm()
    if not form.validate_on_submit():
        flash(_("The form expired; reload the page and try again."), "error")
        return redirect(url_for("criteria.impact_page", ref=ref))
    try:
        application = follow_up.open_follow_up(current_user, number, ref,
                                               service_settings().today())
    except (Conflict, ValidationFailed) as error:
        flash(error.message, "error")
        return redirect(url_for("criteria.impact_page", ref=ref))
    flash(_("Follow-up %(application)s opened for %(number)s.",
            application=application.number, number=number), "success")
    return redirect(url_for("lab.application", application_id=application.id))
