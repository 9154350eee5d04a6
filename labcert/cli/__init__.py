"""The `labcert` commands: click functions that call services (the group is labcert.console)."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Attach the LabCert commands to the app's CLI (`flask --app wsgi ...` works too)."""
    from labcert.cli import (
        admin,
        audit,
        credentials,
        criteria,
        demo,
        imports,
        jobs,
        pki,
        pki_keys,
        users,
    )

    for command in (pki.init, pki_keys.rotate_command, pki_keys.compromised_command,
                    pki_keys.refresh_archive_command):
        admin.pki.add_command(command)
    for command in (users.users, users.tokens, audit.audit, demo.seed_demo, criteria.criteria,
                    admin.pki, pki.verify, imports.import_results_command,
                    credentials.credentials, jobs.worker, jobs.jobs):
        app.cli.add_command(command)
