"""`labcert seed-demo`."""

from __future__ import annotations

from datetime import date

import click
from flask.cli import with_appcontext

from labcert.cli.output import emit, json_option
from labcert.pki import SigningKeyError
from labcert.runtime import service_settings
from labcert.services.demo import seed_demo as seed
from labcert.services.demo_workflow import seed_applications


@click.command("seed-demo")
@json_option
@with_appcontext
def seed_demo(as_json: bool) -> None:
    """Create the demo lab (idempotent) and print its logins."""
    logins = seed(date.today())
    settings = service_settings()
    try:
        settings.signer()
        signing = True
    except SigningKeyError:
        signing = False
    created = seed_applications(date.today(), settings=settings if signing else None)
    lines = [f"Created {created} demo applications." if created else
             "Demo applications already present."]
    if created and not signing:
        lines.append("No signing key yet: run `labcert pki init` for issued certificates.")
    lines.append("Demo lab ready. Sign in at http://127.0.0.1:5000 with:")
    lines += [f"  {x.role:<13} {x.email:<24} {x.password:<18} {x.organization}" for x in logins]
    emit([x.__dict__ for x in logins], "\n".join(lines), as_json)
