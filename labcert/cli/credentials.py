"""`labcert credentials backfill`: credentials for certificates issued before they existed."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from labcert.cli.output import emit, json_option
from labcert.runtime import service_settings
from labcert.services.credential_backfill import backfill_credentials


@click.group("credentials")
def credentials() -> None:
    """Certificates as UNTP Digital Conformity Credentials."""


@credentials.command("backfill")
@json_option
@with_appcontext
def backfill(as_json: bool) -> None:
    """Sign a credential for every certificate that has none (issued before credentials)."""
    numbers = backfill_credentials(None, service_settings())
    emit({"issued": numbers}, f"Credentials signed for {len(numbers)} certificate(s)"
         + (": " + ", ".join(numbers) if numbers else "."), as_json)
