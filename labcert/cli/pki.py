"""`labcert pki init` (joined to the `pki` group of cli/admin.py) and `labcert verify`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click
from cryptography import x509
from flask import current_app
from flask.cli import with_appcontext

from labcert.cli.credential import verify_credential_file
from labcert.cli.output import emit, fail, json_option
from labcert.pki import (
    InvalidQrToken,
    SigningKeyError,
    init_dev_pki,
    load_signer,
    read_qr_token,
    verify_pdf,
)
from labcert.signing import signing_settings


@click.command("init")
@with_appcontext
def init() -> None:
    """Create a development CA and signing certificate in the instance folder if none exist."""
    directory = Path(current_app.instance_path) / "pki"
    created = init_dev_pki(directory, current_app.config["LAB_NAME"])
    if created:
        click.echo(f"Created a DEVELOPMENT signing key in {directory} (not for production).")
    else:
        click.echo(f"Development signing key already present in {directory}.")


def _anchors(roots: tuple[Path, ...], signers: tuple[Path, ...]) -> tuple[list[Any], Any]:
    """Return the trust anchors and the lab's signing certificate (files, else configuration)."""
    if roots:
        anchors = [x509.load_pem_x509_certificate(p.read_bytes()) for p in roots]
        signer_cert = x509.load_pem_x509_certificate(signers[0].read_bytes()) if signers else None
        return anchors, signer_cert
    try:
        signer = load_signer(signing_settings(current_app))
    except SigningKeyError as error:
        fail(f"no trust anchor: {error} (or pass --root ROOT.pem)")
    return list(signer.trust_roots), signer.certificate


@click.command("verify")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
                required=False)
@click.option("--root", "roots", multiple=True, type=click.Path(exists=True, path_type=Path),
              help="Trust anchor PEM, e.g. from /.well-known/labcert/root.pem "
                   "(default: the lab's configured root).")
@click.option("--signer", "signers", multiple=True,
              type=click.Path(exists=True, path_type=Path),
              help="The lab's signing certificate (/.well-known/labcert/signer.pem).")
@click.option("--qr", "token", default=None, help="Check a QR token (the t= of the QR URL).")
@click.option("--credential", "credential", default=None,
              type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Check a credential (vc+jwt) file instead; exit 0 only if it is in force.")
@click.option("--did", "did_path", default=None,
              type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="The lab's DID document (/.well-known/did.json) for --credential.")
@click.option("--status-list", "list_paths", multiple=True,
              type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="A status list credential (/api/v1/status-lists/...) for --credential.")
@click.option("--lab", default=None,
              help="The lab's public URL to fetch what is not given (default: this lab's).")
@click.option("--fetch/--no-fetch", default=True,
              help="Fetch the DID document and status lists not given as files.")
@json_option
@with_appcontext
def verify(file: Path | None, roots: tuple[Path, ...], signers: tuple[Path, ...],
           token: str | None, credential: Path | None, did_path: Path | None,
           list_paths: tuple[Path, ...], lab: str | None, fetch: bool, as_json: bool) -> None:
    """Check a certificate PDF, a QR token or a credential offline; exit 0 only if good."""
    if sum(x is not None for x in (file, token, credential)) != 1:
        fail("give a PDF file, --qr TOKEN or --credential FILE")
    if credential is not None:
        verify_credential_file(credential, did_path=did_path, list_paths=list_paths,
                               lab=lab or current_app.config["PUBLIC_URL"], fetch=fetch,
                               as_json=as_json)
    anchors, signer_cert = _anchors(roots, signers)
    if token is not None:
        keys = [c for c in (signer_cert, *anchors) if c is not None]
        try:
            facts = read_qr_token(token, keys)
        except InvalidQrToken as error:
            emit({"authentic": False, "reason": str(error)},
                 f"QR token NOT AUTHENTIC: {error}", as_json)
            raise SystemExit(1) from None
        emit({"authentic": True, "facts": facts}, "QR token AUTHENTIC, sealed by the lab:\n"
             + "\n".join(f"  {k}: {v}" for k, v in facts.items()), as_json)
        return
    assert file is not None
    result = verify_pdf(file.read_bytes(), anchors, signer_cert)
    data = {"authentic": result.authentic, "number": result.number, "sha256": result.sha256,
            "checks": [{"name": c.name, "ok": c.ok, "message": c.message} for c in result.checks]}
    lines = [f"{'OK  ' if c.ok else 'FAIL'} {c.name}: {c.message}" for c in result.checks]
    verdict = "AUTHENTIC" if result.authentic else "NOT AUTHENTIC"
    emit(data, "\n".join([f"{file}: {verdict}" + (f" ({result.number})" if result.number else ""),
                          *lines]), as_json)
    raise SystemExit(0 if result.authentic else 1)
