"""`labcert audit verify`."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from labcert.cli.output import emit, json_option
from labcert.services.audit import verify_chain


@click.group()
def audit() -> None:
    """Inspect the audit trail."""


@audit.command("verify")
@json_option
@with_appcontext
def verify(as_json: bool) -> None:
    """Recompute the audit hash chain and name the first broken link."""
    report = verify_chain()
    data = {"ok": report.ok, "events": report.events, "broken_at": report.broken_at,
            "problem": report.problem}
    if report.ok:
        emit(data, f"Audit chain intact: {report.events} events verified.", as_json)
        return
    emit(data, f"Audit chain BROKEN at event {report.broken_at}: {report.problem}", as_json)
    raise SystemExit(1)
