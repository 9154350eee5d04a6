"""The lab's signing key, from configuration: P12, PEM files, or the development PKI."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from flask import Flask, current_app

from labcert.pki import LabSigner, SigningKeyError, SigningSettings, load_signer


def _path(value: str | None) -> Path | None:
    return Path(value).expanduser() if value else None


def signing_settings(app: Flask) -> SigningSettings:
    """Build the signing settings from LABCERT_SIGNING_* (default: instance/pki)."""
    config = app.config
    chain = config.get("SIGNING_CHAIN") or ""
    parts = [p for p in chain.replace(",", os.pathsep).split(os.pathsep) if p.strip()]
    return SigningSettings(
        p12_path=_path(config.get("SIGNING_P12")),
        p12_password=config.get("SIGNING_P12_PASSWORD"),
        key_path=_path(config.get("SIGNING_KEY")),
        cert_path=_path(config.get("SIGNING_CERT")),
        chain_paths=tuple(Path(p.strip()) for p in parts),
        dev_dir=Path(app.instance_path) / "pki",
        tsa_url=config.get("TSA_URL") or None,
    )


@dataclass(frozen=True)
class ConfiguredSigners:
    """The signer source of an installation: the key its settings name (parsed once)."""

    settings: SigningSettings

    def current(self) -> LabSigner:
        """Return the signer (cached per process by labcert.pki)."""
        return load_signer(self.settings)


def current_signer() -> LabSigner:
    """Return the lab's signer for the app in the current context (pages, API, CLI)."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    return ConfiguredSigners(signing_settings(app)).current()


def check_signing_key(app: Flask) -> None:
    """Fail start-up with a one-line reason when the signing key cannot be used."""
    try:
        load_signer(signing_settings(app))
    except SigningKeyError as error:
        raise SystemExit(f"LabCert cannot start: {error}") from None
