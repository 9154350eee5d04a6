"""What the lab signs with: the key's source (files, dev PKI or a PKCS#11 token), level and TSA.

Plain frozen values, hashable so that a loaded signer can be cached per settings; the app
builds them from its configuration (LABCERT_SIGNING_*, LABCERT_SIGNATURE_LEVEL, LABCERT_TSA_*).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

_PKCS11 = "LABCERT_SIGNING_PKCS11"


class SigningKeyError(Exception):
    """The signing key or its certificates are missing, unreadable, mismatched or expired."""


@dataclass(frozen=True)
class Pkcs11Settings:
    """A key in a PKCS#11 token: the module, the token's label, its PIN and the objects' labels."""

    module: str
    token_label: str
    key_label: str
    pin: str | None = None
    pin_file: Path | None = None
    cert_label: str | None = None  # default: the key's label

    def read_pin(self) -> str:
        """Return the user PIN, from the setting or the PIN file."""
        if self.pin:
            return self.pin
        if self.pin_file:
            try:
                pin = Path(self.pin_file).read_text(encoding="utf-8").strip()
            except OSError as exc:
                raise SigningKeyError(
                    f"{self.pin_file}: cannot read the PIN file ({exc.strerror};"
                    f" {_PKCS11}_PIN_FILE): check the path and its permissions"
                ) from exc
            if pin:
                return pin
            raise SigningKeyError(f"{self.pin_file}: the PIN file is empty ({_PKCS11}_PIN_FILE)")
        raise SigningKeyError(f"no PIN for the token: set {_PKCS11}_PIN or {_PKCS11}_PIN_FILE")


@dataclass(frozen=True)
class SigningSettings:
    """Where the lab's signing key comes from, the PAdES level to sign at and the TSA to use.

    The key comes from the first source set: a PKCS#11 token, a PKCS#12 file, PEM files, or the
    development PKI folder. ``tsa_roots`` are extra trust anchors for the TSA's certificate when
    it is not issued under the lab's own root.
    """

    p12_path: Path | None = None
    p12_password: str | None = None
    key_path: Path | None = None
    cert_path: Path | None = None
    chain_paths: tuple[Path, ...] = ()
    dev_dir: Path | None = None
    tsa_url: str | None = None
    signature_level: str | None = None
    pkcs11: Pkcs11Settings | None = None
    tsa_roots: tuple[Path, ...] = ()
