"""The audit trail: find events by actor, object and date; verify the hash chain on request."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator

from flask import Response, render_template, request, stream_with_context
from wtforms.fields.choices import SelectChoice

from labcert.services.audit import verify_chain
from labcert.services.audit_search import (
    AuditFilter,
    entity_types,
    matching_events,
    search_events,
)
from labcert.services.audit_sentences import sentences
from labcert.web.admin.blueprint import bp
from labcert.web.admin_forms import AuditFilterForm
from labcert.web.guard import page


@bp.route("/audit")
@page("admin")
def audit() -> str:
    """List audit events, newest first, filtered and paginated; `verify=1` checks the chain."""
    form, wanted = _filter()
    events = search_events(wanted, page=request.args.get("page", 1, type=int))
    # Verifying walks the whole chain, so it runs when asked for, not on every page.
    chain = verify_chain() if request.args.get("verify") else None
    query = {k: v for k, v in request.args.items() if k not in ("page", "verify")}
    return render_template("admin/audit.html", form=form, events=events, chain=chain,
                           query=query, told=sentences(events.items))


def _filter() -> tuple[AuditFilterForm, AuditFilter]:
    """Read the filter of the page (or of the export) from the query string."""
    form = AuditFilterForm(request.args)
    form.entity_type.choices = [SelectChoice("", "any"), *map(SelectChoice, entity_types())]
    form.validate()  # a date that cannot be read is told beside its field and left out
    return form, AuditFilter(
        actor=form.actor.data or "", entity_type=form.entity_type.data or "",
        entity_id=form.entity_id.data or "",
        date_from=None if form.date_from.errors else form.date_from.data,
        date_to=None if form.date_to.errors else form.date_to.data)


CSV_COLUMNS = ("seq", "at_utc", "actor", "action", "object_type", "object_id", "sentence",
               "data_json", "prev_hash", "hash")


@bp.route("/audit.csv")
@page("admin")
def audit_csv() -> Response:
    """Export the events the filter matches (all pages), newest first, as CSV with hashes."""
    _, wanted = _filter()

    def rows() -> Iterator[str]:
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(CSV_COLUMNS)
        for chunk in matching_events(wanted):
            told = sentences(chunk)
            for e in chunk:
                writer.writerow([e.seq, e.at.isoformat(), e.actor, e.action, e.entity_type,
                                 e.entity_id, told[e.seq],
                                 json.dumps(e.data, sort_keys=True, default=str),
                                 e.prev_hash, e.hash])
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
        if buffer.getvalue():
            yield buffer.getvalue()

    return Response(stream_with_context(rows()), mimetype="text/csv", headers={
        "Content-Disposition": 'attachment; filename="labcert-audit.csv"'})
