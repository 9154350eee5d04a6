"""The lab's signing key, from configuration: PKCS#11 token, P12, PEM files, or the dev PKI."""

from __future__ import annotations

import os
from pathlib import Path

from flask import Flask, current_app
from sqlalchemy.exc import SQLAlchemyError

from labcert.pki import LabSigner, Pkcs11Settings, SigningKeyError, SigningSettings, load_signer
from labcert.services.signing_keys import RegisteredSigners


def _path(value: str | None) -> Path | None:
    return Path(value).expanduser() if value else None


def _paths(value: str | None) -> tuple[Path, ...]:
    parts = (value or "").replace(",", os.pathsep).split(os.pathsep)
    return tuple(Path(p.strip()).expanduser() for p in parts if p.strip())


def _pkcs11(config: dict) -> Pkcs11Settings | None:
    """Return the token settings when LABCERT_SIGNING_PKCS11_MODULE is set."""
    if not config.get("SIGNING_PKCS11_MODULE"):
        return None
    return Pkcs11Settings(
        module=config["SIGNING_PKCS11_MODULE"],
        token_label=config.get("SIGNING_PKCS11_TOKEN_LABEL") or "",
        key_label=config.get("SIGNING_PKCS11_KEY_LABEL") or "",
        pin=config.get("SIGNING_PKCS11_PIN") or None,
        pin_file=_path(config.get("SIGNING_PKCS11_PIN_FILE")),
        cert_label=config.get("SIGNING_PKCS11_CERT_LABEL") or None,
    )


def signing_settings(app: Flask) -> SigningSettings:
    """Build the signing settings from LABCERT_SIGNING_*, _SIGNATURE_LEVEL and _TSA_*."""
    config = app.config
    return SigningSettings(
        p12_path=_path(config.get("SIGNING_P12")),
        p12_password=config.get("SIGNING_P12_PASSWORD"),
        key_path=_path(config.get("SIGNING_KEY")),
        cert_path=_path(config.get("SIGNING_CERT")),
        chain_paths=_paths(config.get("SIGNING_CHAIN")),
        dev_dir=Path(app.instance_path) / "pki",
        tsa_url=config.get("TSA_URL") or None,
        signature_level=config.get("SIGNATURE_LEVEL") or None,
        pkcs11=_pkcs11(config),
        tsa_roots=_paths(config.get("TSA_ROOTS")),
    )


def signer_source(app: Flask) -> RegisteredSigners:
    """Return the installation's signer source: the recorded current key, else the configured."""
    return RegisteredSigners(signing_settings(app))


def current_signer() -> LabSigner:
    """Return the lab's signer for the app in the current context (pages, API, CLI)."""
    return signer_source(current_app._get_current_object()).current()  # type: ignore[attr-defined]


def check_signing_key(app: Flask) -> None:
    """Fail start-up with a one-line reason when the signing key cannot be used."""
    try:
        try:
            with app.app_context():
                signer_source(app).current()
        except SQLAlchemyError:  # no database yet: the configured key is the one to check
            load_signer(signing_settings(app))
    except SigningKeyError as error:
        raise SystemExit(f"LabCert cannot start: {error}") from None
