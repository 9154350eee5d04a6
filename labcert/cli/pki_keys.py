"""`labcert pki rotate`, `compromised` and `refresh-archive`: keys and archives over time."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import click
from flask import current_app
from flask.cli import with_appcontext

from labcert.cli.output import emit, fail, json_option
from labcert.errors import DomainError
from labcert.pki import ArchiveError, SigningKeyError
from labcert.services.archive import DEFAULT_WITHIN_DAYS, refresh_archive, stamping_for
from labcert.services.key_changes import report_compromised, rotate
from labcert.signing import signer_source

_FILE = click.Path(exists=True, dir_okay=False, path_type=Path)


def _source(p12: Path | None, password_file: Path | None, key: Path | None, cert: Path | None,
            pkcs11_key: str | None, pkcs11_cert: str | None,
            chain: tuple[Path, ...]) -> dict[str, Any]:
    """Describe the new key by paths or labels, as the key history records it (no secrets)."""
    chosen = [bool(p12), bool(key or cert), bool(pkcs11_key)]
    if sum(chosen) != 1:
        fail("name the new key once: --p12 FILE, or --key FILE --cert FILE, or --pkcs11-key LABEL")
    extra = {"chain": [str(p.resolve()) for p in chain]} if chain else {}
    if p12:
        return {"kind": "p12", "path": str(p12.resolve()), **extra,
                **({"password_file": str(password_file.resolve())} if password_file else {})}
    if key or cert:
        if not (key and cert):
            fail("--key and --cert go together: give both files of the new key")
        return {"kind": "pem", "key": str(key.resolve()), "cert": str(cert.resolve()), **extra}
    return {"kind": "pkcs11", "key_label": pkcs11_key, "cert_label": pkcs11_cert, **extra}


@click.command("rotate")
@click.option("--p12", type=_FILE, help="PKCS#12 file of the new key.")
@click.option("--password-file", type=_FILE,
              help="File holding the PKCS#12 password (default: LABCERT_SIGNING_P12_PASSWORD).")
@click.option("--key", type=_FILE, help="PEM private key of the new key.")
@click.option("--cert", type=_FILE, help="PEM certificate of the new key.")
@click.option("--chain", multiple=True, type=_FILE, help="Certificates above the new key.")
@click.option("--pkcs11-key", help="Label of the new key in the configured PKCS#11 token.")
@click.option("--pkcs11-cert", help="Label of its certificate (default: the key's label).")
@json_option
@with_appcontext
def rotate_command(p12: Path | None, password_file: Path | None, key: Path | None,
                   cert: Path | None, chain: tuple[Path, ...], pkcs11_key: str | None,
                   pkcs11_cert: str | None, as_json: bool) -> None:
    """Switch signing to a new key; running processes pick it up before their next signature."""
    source = _source(p12, password_file, key, cert, pkcs11_key, pkcs11_cert, chain)
    try:
        row = rotate(signer_source(current_app), source, None, datetime.now(UTC))
    except (SigningKeyError, DomainError) as error:
        fail(error if isinstance(error, DomainError) else f"the new key cannot sign: {error}")
    data = {"fingerprint": row.fingerprint, "subject": row.subject, "location": row.location,
            "not_after": row.not_after}
    emit(data, f"Now signing with {row.subject}\n  fingerprint {row.fingerprint}\n"
               f"  valid until {row.not_after:%Y-%m-%d}, from {row.location}\n"
               "The previous key is retired: what it signed stays authentic.", as_json)


@click.command("compromised")
@click.argument("fingerprint")
@click.option("--since", required=True,
              type=click.DateTime(["%Y-%m-%d", "%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"]),
              help="Date (UTC) from which the key may have been misused.")
@click.option("--reason", default="", help="What happened, for the audit trail.")
@json_option
@with_appcontext
def compromised_command(fingerprint: str, since: datetime, reason: str, as_json: bool) -> None:
    """Report a key compromised: what it signed after --since no longer verifies as authentic."""
    try:
        report = report_compromised(fingerprint, since.replace(tzinfo=UTC), reason, None,
                                    datetime.now(UTC))
    except DomainError as error:
        fail(error)
    emit(report, f"Key {report['fingerprint']} ({report['subject']}) reported compromised since"
                 f" {since:%Y-%m-%d %H:%M} UTC.\n"
                 f"{report['certificates_issued_since']} certificates were issued with it since"
                 " then: they verify as not authentic. Earlier ones whose time-stamp proves"
                 " their signing time stay authentic.", as_json)


@click.command("refresh-archive")
@click.option("--within-days", type=click.IntRange(0, 36500), default=DEFAULT_WITHIN_DAYS,
              show_default=True, help="Renew time-stamps whose authority expires this soon.")
@json_option
@with_appcontext
def refresh_archive_command(within_days: int, as_json: bool) -> None:
    """Add an archival time-stamp to every certificate whose TSA expires within N days."""
    bar: Any = None

    def progress(done: int, total: int) -> None:
        nonlocal bar
        if as_json:
            return
        if bar is None:
            bar = click.progressbar(length=total, label="Renewing archives").__enter__()
        bar.update(1)

    try:
        report = refresh_archive(stamping_for(signer_source(current_app)),
                                 now=datetime.now(UTC), within_days=within_days,
                                 progress=progress)
    except ArchiveError as error:
        fail(str(error))
    finally:
        if bar is not None:
            bar.__exit__(None, None, None)
    data = {"examined": report.examined, "renewed": report.renewed,
            "skipped": [{"number": n, "reason": r} for n, r in report.skipped if r != "not due"],
            "failed": [{"number": n, "reason": r} for n, r in report.failed]}
    lines = [f"Examined {report.examined}, renewed {len(report.renewed)}, failed"
             f" {len(report.failed)}."]
    lines += [f"  {n}: not renewed: {r}" for n, r in report.skipped if r != "not due"]
    lines += [f"  {n}: FAILED: {r}" for n, r in report.failed]
    emit(data, "\n".join(lines), as_json)
    if report.failed:
        raise SystemExit(1)
