"""Create a development signing key inside a SoftHSM2 token (``labcert pki init --pkcs11``).

For tests and demos of the HSM set-up: the token lives in the instance folder (its own
``softhsm2.conf``), the key is an EC P-256 pair generated *inside* the token as sensitive and
non-extractable, and its certificate is issued by the development root CA and stored in the
token beside it. Idempotent: an existing token, key or certificate is reused.
"""

from __future__ import annotations

import datetime as dt
import os
import secrets
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from asn1crypto import core
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from labcert.pki.devpki import ROOT_CERT, ROOT_KEY, make_signer_certificate, read_root
from labcert.pki.hsm import reinitialize
from labcert.pki.settings import Pkcs11Settings, SigningKeyError

MODULES = (
    "/usr/lib/softhsm/libsofthsm2.so",
    "/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so",
    "/usr/local/lib/softhsm/libsofthsm2.so",
)
TOKEN_LABEL = "LabCert"  # noqa: S105 - a token's name, not its PIN
KEY_LABEL = "labcert-signing"
ROOT_LABEL = "labcert-dev-root"
_HSM_SUFFIX = "DEVELOPMENT HSM signing key"


@dataclass(frozen=True)
class DevToken:
    """The development token: how to reach its key, and the SOFTHSM2_CONF that finds it."""

    settings: Pkcs11Settings
    config_path: Path
    created: bool


def find_module() -> str:
    """Return the SoftHSM2 PKCS#11 module's path, or say how to install it."""
    found = next((m for m in MODULES if Path(m).is_file()), None)
    if found is None:
        raise SigningKeyError("SoftHSM2 is not installed: apt-get install softhsm2")
    return found


def _secret_file(path: Path) -> str:
    """Read a PIN file, creating it with a random PIN (0600) the first time."""
    if not path.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(secrets.token_hex(8) + "\n")
    return path.read_text(encoding="utf-8").strip()


def _config(directory: Path) -> Path:
    """Point SoftHSM2 at a token folder inside directory, for this process and for the app."""
    tokens = directory / "tokens"
    tokens.mkdir(mode=0o700, parents=True, exist_ok=True)
    config = directory / "softhsm2.conf"
    if not config.exists():
        config.write_text(
            f"directories.tokendir = {tokens}\nobjectstore.backend = file\nlog.level = ERROR\n",
            encoding="utf-8",
        )
    # The library reads SOFTHSM2_CONF when it initialises; an operator's own setting wins.
    os.environ.setdefault("SOFTHSM2_CONF", str(config))
    return Path(os.environ["SOFTHSM2_CONF"])


def init_dev_token(
    directory: Path,
    dev_pki_dir: Path,
    lab_name: str,
    *,
    token_label: str = TOKEN_LABEL,
    key_label: str = KEY_LABEL,
) -> DevToken:
    """Create (or reuse) a SoftHSM2 token holding a non-extractable development signing key."""
    import pkcs11

    module = find_module()
    directory = Path(directory)
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    config = _config(directory)
    pin, so_pin = _secret_file(directory / "user-pin"), _secret_file(directory / "so-pin")
    lib = pkcs11.lib(module)
    reinitialize(module)  # see tokens made since the library was loaded
    created = not any(t.label == token_label for t in lib.get_tokens())
    if created:
        _init_token(token_label, pin, so_pin, config)
        reinitialize(module)
    with lib.get_token(token_label=token_label).open(user_pin=pin, rw=True) as session:
        public = _public_key(session, key_label) or _generate(session, key_label)
        if _find(session, pkcs11.ObjectClass.CERTIFICATE, key_label) is None:
            root = read_root(Path(dev_pki_dir) / ROOT_CERT, Path(dev_pki_dir) / ROOT_KEY)
            now = dt.datetime.now(dt.UTC).replace(microsecond=0)
            cert = make_signer_certificate(lab_name, public, root, now, suffix=_HSM_SUFFIX)
            _store_certificate(session, key_label, cert)
            if _find(session, pkcs11.ObjectClass.CERTIFICATE, ROOT_LABEL) is None:
                _store_certificate(session, ROOT_LABEL, root.cert)
    settings = Pkcs11Settings(module=module, token_label=token_label, key_label=key_label,
                              pin_file=directory / "user-pin", cert_label=key_label)
    return DevToken(settings, config, created)


def _init_token(label: str, pin: str, so_pin: str, config: Path) -> None:
    util = shutil.which("softhsm2-util")
    if util is None:
        raise SigningKeyError("softhsm2-util is missing: apt-get install softhsm2")
    result = subprocess.run(  # noqa: S603 - a fixed tool, arguments without a shell
        [util, "--init-token", "--free", "--label", label, "--pin", pin, "--so-pin", so_pin],
        capture_output=True, text=True, env={**os.environ, "SOFTHSM2_CONF": str(config)},
        check=False,
    )
    if result.returncode != 0:
        raise SigningKeyError(f"softhsm2-util could not create the token: {result.stderr.strip()}")


def _find(session: Any, object_class: Any, label: str) -> Any | None:
    from pkcs11 import Attribute

    found = list(session.get_objects({Attribute.CLASS: object_class, Attribute.LABEL: label}))
    return found[0] if found else None


def _public_key(session: Any, label: str) -> ec.EllipticCurvePublicKey | None:
    from pkcs11 import Attribute, ObjectClass

    if _find(session, ObjectClass.PRIVATE_KEY, label) is None:
        return None
    public = _find(session, ObjectClass.PUBLIC_KEY, label)
    if public is None:
        raise SigningKeyError(f"the token holds key {label!r} without its public half")
    point = core.OctetString.load(public[Attribute.EC_POINT]).native
    return ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), point)


def _generate(session: Any, label: str) -> ec.EllipticCurvePublicKey:
    """Generate a P-256 pair inside the token; the private half is sensitive, never extractable."""
    from pkcs11 import Attribute, KeyType
    from pkcs11.util.ec import encode_named_curve_parameters

    params = session.create_domain_parameters(
        KeyType.EC, {Attribute.EC_PARAMS: encode_named_curve_parameters("secp256r1")}, local=True
    )
    key_id = secrets.token_bytes(8)
    params.generate_keypair(
        store=True, label=label, id=key_id,
        private_template={Attribute.EXTRACTABLE: False, Attribute.SENSITIVE: True,
                          Attribute.SIGN: True},
    )
    public = _public_key(session, label)
    assert public is not None
    return public


def _store_certificate(session: Any, label: str, cert: Any) -> None:
    from pkcs11 import Attribute, CertificateType, ObjectClass

    session.create_object({
        Attribute.CLASS: ObjectClass.CERTIFICATE,
        Attribute.CERTIFICATE_TYPE: CertificateType.X_509,
        Attribute.TOKEN: True,
        Attribute.LABEL: label,
        Attribute.SUBJECT: cert.subject.public_bytes(),
        Attribute.VALUE: cert.public_bytes(serialization.Encoding.DER),
    })
