"""Plain text for people, JSON for scripts, a one-line reason on error."""

from __future__ import annotations

import json
from typing import Any, NoReturn

import click

from labcert.errors import DomainError

json_option = click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")


def emit(data: Any, text: str, as_json: bool) -> None:
    """Print `data` as JSON or `text` for people."""
    click.echo(json.dumps(data, default=str, indent=2) if as_json else text)


def fail(error: DomainError | str) -> NoReturn:
    """Exit non-zero with a one-line reason."""
    message = error if isinstance(error, str) else error.message
    if isinstance(error, DomainError) and error.details:
        message += " (" + "; ".join(f"{k}: {v[0]}" for k, v in error.details.items()) + ")"
    raise click.ClickException(message)
