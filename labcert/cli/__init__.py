"""The `labcert` console script: a Flask CLI group whose commands call services."""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import FlaskGroup


def _create_app() -> Flask:
    from labcert import create_app

    return create_app()


@click.group(cls=FlaskGroup, create_app=_create_app, add_version_option=False)
def main() -> None:
    """LabCert: testing and certification of mobile phones for export."""


def init_app(app: Flask) -> None:
    """Attach the LabCert commands to the app's CLI (`flask --app wsgi ...` works too)."""
    from labcert.cli import admin, audit, criteria, demo, imports, pki, users

    admin.pki.add_command(pki.init)
    for command in (users.users, users.tokens, audit.audit, demo.seed_demo, criteria.criteria,
                    admin.pki, pki.verify, imports.import_results_command):
        app.cli.add_command(command)
