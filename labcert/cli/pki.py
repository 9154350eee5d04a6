"""`labcert pki init` (joined to the `pki` group of cli/admin.py) and `labcert verify FILE.pdf`."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from labcert.cli.output import emit, fail, json_option
from labcert.pki import SigningKeyError, init_dev_pki, load_signer, verify_pdf
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


@click.command("verify")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--root", "roots", multiple=True, type=click.Path(exists=True, path_type=Path),
              help="Trust anchor PEM (default: the lab's configured root).")
@json_option
@with_appcontext
def verify(file: Path, roots: tuple[Path, ...], as_json: bool) -> None:
    """Check a certificate PDF offline against the lab's trust anchor; exit 0 only if authentic."""
    from cryptography import x509

    if roots:
        anchors = [x509.load_pem_x509_certificate(p.read_bytes()) for p in roots]
        signer_cert = None
    else:
        try:
            signer = load_signer(signing_settings(current_app))
        except SigningKeyError as error:
            fail(f"no trust anchor: {error} (or pass --root ROOT.pem)")
        anchors, signer_cert = list(signer.trust_roots), signer.certificate
    result = verify_pdf(file.read_bytes(), anchors, signer_cert)
    data = {"authentic": result.authentic, "number": result.number, "sha256": result.sha256,
            "checks": [{"name": c.name, "ok": c.ok, "message": c.message} for c in result.checks]}
    lines = [f"{'OK  ' if c.ok else 'FAIL'} {c.name}: {c.message}" for c in result.checks]
    verdict = "AUTHENTIC" if result.authentic else "NOT AUTHENTIC"
    emit(data, "\n".join([f"{file}: {verdict}" + (f" ({result.number})" if result.number else ""),
                          *lines]), as_json)
    raise SystemExit(0 if result.authentic else 1)
