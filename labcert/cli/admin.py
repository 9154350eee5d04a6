"""`labcert pki status`: the health of signing, for people and (--json) for scripts."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import click
from flask import current_app
from flask.cli import with_appcontext

from labcert.cli.output import emit, fail, json_option
from labcert.public_url import public_url_warnings
from labcert.services.signing_key import key_health
from labcert.signing import signer_source


@click.group()
def pki() -> None:
    """Set up and inspect the lab's signing keys."""


def _day(value: Any) -> str:
    return f"{value:%Y-%m-%d}" if value else "-"


def _describe(health: dict[str, Any]) -> str:
    info = health["info"]
    lines = [f"Public URL: {health['public_url']}",
             f"Signing key: {health['source']}",
             f"  subject      {info['subject']}",
             f"  issuer       {info['issuer']}",
             f"  serial       {info['serial']}",
             f"  valid        {info['not_before']} to {info['not_after']}",
             f"  expires in   {info['days_until_expiry']} days",
             f"  key          {info['key_type']}"
             + (" (DEVELOPMENT key)" if info["is_development"] else ""),
             f"  fingerprint  {info['fingerprint_sha256']}",
             f"Signature level: PAdES {health['level']}"]
    tsa = health["tsa"]
    if tsa:
        lines.append(f"Time-stamping authority: {tsa['url']} - "
                     + ("reachable. " if tsa["ok"] else "NOT REACHABLE. ") + tsa["message"])
    lines.append(f"Archival renewal due within {health['within_days']} days: "
                 f"{health['renewal_due']} certificates")
    lines.append("Key history:")
    for key in health["keys"]:
        lines.append(f"  {key['fingerprint'][:16]}…  {key['status']:<11} valid"
                     f" {_day(key['not_before'])} to {_day(key['not_after'])}, used"
                     f" {_day(key['first_used_at'])} to {_day(key['last_used_at'])}"
                     + (f", compromised since {_day(key['compromised_since'])}"
                        if key["compromised_since"] else "") + f"  {key['subject']}")
    if not health["keys"]:
        lines.append("  (no certificate signed yet)")
    return "\n".join(lines + [f"WARNING: {w}" for w in health["warnings"]])


@pki.command("status")
@click.option("--no-probe", is_flag=True, help="Do not contact the time-stamping authority.")
@json_option
@with_appcontext
def status(no_probe: bool, as_json: bool) -> None:
    """Show the signing key, level, TSA, key history and renewals due; exit 1 if unusable."""
    health = key_health(signer_source(current_app), datetime.now(UTC), probe=not no_probe)
    health["public_url"] = current_app.config["PUBLIC_URL"]
    health["warnings"] = [*public_url_warnings(current_app), *health["warnings"]]
    if health["error"] and not as_json:
        fail(f"no usable signing key: {health['error']}")
    emit(health, "" if health["error"] else _describe(health), as_json)
    if not health["ok"]:
        raise SystemExit(1)
