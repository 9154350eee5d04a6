"""The audit trail: find events by actor, object and date; verify the hash chain on request."""

from __future__ import annotations

from flask import render_template, request
from wtforms.fields.choices import SelectChoice

from labcert.services.audit import verify_chain
from labcert.services.audit_search import AuditFilter, entity_types, search_events
from labcert.web.admin.blueprint import bp
from labcert.web.admin_forms import AuditFilterForm
from labcert.web.guard import page


@bp.route("/audit")
@page("admin")
def audit() -> str:
    """List audit events, newest first, filtered and paginated; `verify=1` checks the chain."""
    form = AuditFilterForm(request.args)
    form.entity_type.choices = [SelectChoice("", "any"), *map(SelectChoice, entity_types())]
    form.validate()  # a date that cannot be read is told beside its field and left out
    wanted = AuditFilter(actor=form.actor.data or "", entity_type=form.entity_type.data or "",
                         entity_id=form.entity_id.data or "", date_from=form.date_from.data,
                         date_to=form.date_to.data)
    events = search_events(wanted, page=request.args.get("page", 1, type=int))
    # Verifying walks the whole chain, so it runs when asked for, not on every page.
    chain = verify_chain() if request.args.get("verify") else None
    query = {k: v for k, v in request.args.items() if k not in ("page", "verify")}
    return render_template("admin/audit.html", form=form, events=events, chain=chain,
                           query=query)
