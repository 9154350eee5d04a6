"""`labcert import-results APPLICATION CSVFILE`."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import with_appcontext

from labcert.cli.output import fail
from labcert.errors import DomainError
from labcert.services.accounts import find_user
from labcert.services.applications import find_application
from labcert.services.csv_import import import_results


def _application_id(ref: str) -> int:
    application = find_application(ref)
    if application is None:
        fail(f"no application {ref}")
    return application.id


@click.command("import-results")
@click.argument("application")
@click.argument("csvfile", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--as", "email", required=True, help="E-mail of the technician entering them.")
@with_appcontext
def import_results_command(application: str, csvfile: Path, email: str) -> None:
    """Import results from a CSV file, all or nothing, with a progress bar."""
    user = find_user(email)
    if user is None or not user.is_active or user.role != "technician":
        fail(f"{email} is not an active technician")
    data = csvfile.read_bytes()
    total = max(data.count(b"\n") - 1, 1)
    with click.progressbar(length=total, label=f"Importing {csvfile.name}") as bar:
        try:
            ids = import_results(user, _application_id(application), data, progress=bar.update)
        except DomainError as error:
            click.echo("")
            for where, messages in list(error.details.items())[:50]:
                click.echo(f"{where}: {'; '.join(messages)}", err=True)
            fail(error)
    click.echo(f"Imported {len(ids)} results into application {application}.")
