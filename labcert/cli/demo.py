"""`labcert seed-demo`."""

from __future__ import annotations

from datetime import date

import click
from flask.cli import with_appcontext

from labcert.cli.output import emit, json_option
from labcert.services.demo import seed_demo as seed


@click.command("seed-demo")
@json_option
@with_appcontext
def seed_demo(as_json: bool) -> None:
    """Create the demo lab (idempotent) and print its logins."""
    logins = seed(date.today())
    lines = ["Demo lab ready. Sign in at the address above with:"]
    lines += [f"  {x.role:<13} {x.email:<24} {x.password:<18} {x.organization}" for x in logins]
    emit([x.__dict__ for x in logins], "\n".join(lines), as_json)
