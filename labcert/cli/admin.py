"""`labcert pki status`: the health of the key that signs certificates."""

from __future__ import annotations

from typing import Any

import click
from flask import current_app
from flask.cli import with_appcontext

from labcert.cli.output import emit, fail, json_option
from labcert.services.signing_key import key_health
from labcert.signing import signing_settings


@click.group()
def pki() -> None:
    """Set up and inspect the lab's signing key."""


def _describe(health: dict[str, Any]) -> str:
    info = health["info"]
    lines = [f"Signing key: {health['source']}",
             f"  subject      {info['subject']}",
             f"  issuer       {info['issuer']}",
             f"  serial       {info['serial']}",
             f"  valid        {info['not_before']} to {info['not_after']}",
             f"  expires in   {info['days_until_expiry']} days",
             f"  key          {info['key_type']}"
             + (" (DEVELOPMENT key)" if info["is_development"] else ""),
             f"  fingerprint  {info['fingerprint_sha256']}"]
    return "\n".join(lines + [f"WARNING: {w}" for w in health["warnings"]])


@pki.command("status")
@json_option
@with_appcontext
def status(as_json: bool) -> None:
    """Show which key signs now, its certificate and days until expiry; exit 1 if unusable."""
    health = key_health(signing_settings(current_app))
    if health["error"] and not as_json:
        fail(f"no usable signing key: {health['error']}")
    emit(health, "" if health["error"] else _describe(health), as_json)
    if not health["ok"]:
        raise SystemExit(1)
