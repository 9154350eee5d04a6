"""`labcert pki init [--pkcs11]` (joined to the `pki` group) and `labcert verify`."""

from __future__ import annotations

import json
from pathlib import Path

import click
from cryptography import x509
from flask import current_app
from flask.cli import with_appcontext

from labcert.cli.credential import verify_credential_file
from labcert.cli.output import emit, fail, json_option
from labcert.pki import (
    InvalidQrToken,
    KeyRecord,
    KeysDocument,
    SigningKeyError,
    init_dev_pki,
    load_signer,
    read_keys_document,
    read_qr_token,
    verify_pdf,
)
from labcert.services.signing_keys import verification_keys
from labcert.signing import signer_source


@click.command("init")
@click.option("--pkcs11", is_flag=True,
              help="Also create a development key inside a SoftHSM2 token (non-extractable).")
@with_appcontext
def init(pkcs11: bool) -> None:
    """Create a development CA and signing certificate in the instance folder if none exist."""
    directory = Path(current_app.instance_path) / "pki"
    try:
        created = init_dev_pki(directory, current_app.config["LAB_NAME"])
    except SigningKeyError as error:
        fail(str(error))
    if created:
        click.echo(f"Created a DEVELOPMENT signing key in {directory} (not for production).")
    else:
        click.echo(f"Development signing key already present in {directory}.")
    if pkcs11:
        _init_token(directory)


def _init_token(dev_dir: Path) -> None:
    from labcert.pki.softhsm import init_dev_token

    try:
        token = init_dev_token(Path(current_app.instance_path) / "softhsm", dev_dir,
                               current_app.config["LAB_NAME"])
    except SigningKeyError as error:
        fail(str(error))
    settings = token.settings
    made = "Created" if token.created else "Found"
    click.echo(f"{made} SoftHSM2 token {settings.token_label!r} with a non-extractable"
               f" DEVELOPMENT key {settings.key_label!r}. To sign with it:")
    for name, value in (("SOFTHSM2_CONF", token.config_path),
                        ("LABCERT_SIGNING_PKCS11_MODULE", settings.module),
                        ("LABCERT_SIGNING_PKCS11_TOKEN_LABEL", settings.token_label),
                        ("LABCERT_SIGNING_PKCS11_PIN_FILE", settings.pin_file),
                        ("LABCERT_SIGNING_PKCS11_KEY_LABEL", settings.key_label)):
        click.echo(f"  export {name}={value}")


def _trust(keys_file: Path | None, roots: tuple[Path, ...],
           signers: tuple[Path, ...]) -> KeysDocument:
    """Return what to trust: a keys.json, PEM files, else this installation's key history."""
    if keys_file is not None:
        try:
            return read_keys_document(json.loads(keys_file.read_text(encoding="utf-8")))
        except (ValueError, OSError) as error:
            fail(f"{keys_file}: {error}")
    if roots:
        return KeysDocument(
            tuple(KeyRecord(x509.load_pem_x509_certificate(p.read_bytes())) for p in signers),
            tuple(x509.load_pem_x509_certificate(p.read_bytes()) for p in roots), ())
    source = signer_source(current_app)
    try:
        keys = verification_keys(source, lambda: load_signer(source.configured))
    except SigningKeyError as error:
        fail(f"no trust anchor: {error} (or pass --keys keys.json)")
    return KeysDocument(tuple(keys.records), tuple(keys.anchors), tuple(keys.timestamp_anchors))


def _check_token(token: str, trust: KeysDocument, as_json: bool) -> None:
    sound = [r.certificate for r in trust.keys if r.compromised_since is None]
    try:
        facts = read_qr_token(token, [*sound, *trust.trust_anchors])
    except InvalidQrToken as error:
        reason = str(error)
        stolen = [r for r in trust.keys if r.compromised_since is not None]
        try:
            read_qr_token(token, [r.certificate for r in stolen])
            reason = ("sealed with a key reported compromised: a QR token carries no time-stamp,"
                      " so nothing proves it was sealed before the compromise")
        except InvalidQrToken:
            pass
        emit({"authentic": False, "reason": reason}, f"QR token NOT AUTHENTIC: {reason}", as_json)
        raise SystemExit(1) from None
    emit({"authentic": True, "facts": facts}, "QR token AUTHENTIC, sealed by the lab:\n"
         + "\n".join(f"  {k}: {v}" for k, v in facts.items()), as_json)


@click.command("verify")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
                required=False)
@click.option("--keys", "keys_file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="The lab's keys.json (/.well-known/labcert/keys.json): every key it has "
                   "used, with its trust anchors (default: this installation's key history).")
@click.option("--root", "roots", multiple=True, type=click.Path(exists=True, path_type=Path),
              help="Trust anchor PEM, e.g. from /.well-known/labcert/root.pem.")
@click.option("--signer", "signers", multiple=True,
              type=click.Path(exists=True, path_type=Path),
              help="The lab's signing certificate (/.well-known/labcert/signer.pem).")
@click.option("--qr", "token", default=None, help="Check a QR token (the t= of the QR URL).")
@click.option("--offline", is_flag=True,
              help="Fetch no revocation data: use only what the PDF carries.")
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
def verify(file: Path | None, keys_file: Path | None, roots: tuple[Path, ...],
           signers: tuple[Path, ...], token: str | None, offline: bool, credential: Path | None,
           did_path: Path | None, list_paths: tuple[Path, ...], lab: str | None, fetch: bool,
           as_json: bool) -> None:
    """Check a certificate PDF, a QR token or a credential offline; exit 0 only if good."""
    if sum(x is not None for x in (file, token, credential)) != 1:
        fail("give a PDF file, --qr TOKEN or --credential FILE")
    if credential is not None:
        verify_credential_file(credential, did_path=did_path, list_paths=list_paths,
                               lab=lab or current_app.config["PUBLIC_URL"], fetch=fetch,
                               as_json=as_json)
    trust = _trust(keys_file, roots, signers)
    if token is not None:
        _check_token(token, trust, as_json)
        return
    assert file is not None
    result = verify_pdf(file.read_bytes(), list(trust.trust_anchors),
                        list(trust.keys) if trust.keys else None,
                        tsa_roots=list(trust.timestamp_anchors), fetch=not offline)
    data = {"authentic": result.authentic, "number": result.number, "sha256": result.sha256,
            "signature_level": result.pades_level, "validated_at": result.validated_at,
            "validated_by": result.validated_by, "signer_fingerprint": result.signer_fingerprint,
            "checks": [{"name": c.name, "ok": c.ok, "message": c.message} for c in result.checks]}
    lines = [f"{'OK  ' if c.ok else 'FAIL'} {c.name}: {c.message}" for c in result.checks]
    verdict = "AUTHENTIC" if result.authentic else "NOT AUTHENTIC"
    emit(data, "\n".join([f"{file}: {verdict}" + (f" ({result.number})" if result.number else ""),
                          *lines]), as_json)
    raise SystemExit(0 if result.authentic else 1)
