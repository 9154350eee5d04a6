"""The `labcert` console script: Flask's CLI group on a LabCert app, commands from labcert.cli."""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import FlaskGroup, ScriptInfo, run_command

from labcert.factory import create_app


def _create_app() -> Flask:
    return create_app()


@click.group(cls=FlaskGroup, create_app=_create_app, add_version_option=False)
def main() -> None:
    """LabCert: testing and certification of mobile phones for export."""


def _run_with_key_check(*args: object, **kwargs: object) -> object:
    """Start the development server only if the signing key can be used.

    Its public URL defaults to the address it serves (LABCERT_PUBLIC_URL overrides it).
    """
    from labcert.public_url import use_served_url
    from labcert.signing import check_signing_key

    app = click.get_current_context().ensure_object(ScriptInfo).load_app()
    check_signing_key(app)
    use_served_url(app, str(kwargs["host"]), int(kwargs["port"]),  # type: ignore[call-overload]
                   https=kwargs.get("cert") is not None)
    return run_command.callback(*args, **kwargs)  # type: ignore[misc]


main.add_command(click.Command("run", params=run_command.params, callback=_run_with_key_check,
                               help=run_command.help, short_help=run_command.short_help))
