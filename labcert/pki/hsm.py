"""A signing key inside a PKCS#11 token (an HSM, or SoftHSM2 for tests and demos).

The private key never leaves the token: the PDF signature goes through pyHanko's
``PKCS11Signer`` and the QR seal through the token's ECDSA (or RSA) mechanism. SoftHSM 2.6 has
no CKM_ECDSA_SHA256, so the hash is computed here and the token signs it raw
(``use_raw_mechanism=True``). Tokens are found by label, because initialising a token
reassigns slot numbers.

A PKCS#11 session does not survive ``fork()`` (gunicorn and Celery fork their workers after the
app was created), so each process opens its own; calls are serialised with a lock because
sessions are not shared safely between threads.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import threading
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature
from pyhanko.keys.internal import translate_pyca_cryptography_cert_to_asn1
from pyhanko.sign import signers

from labcert.pki.filekey import key_type
from labcert.pki.material import check_validity, trust_anchors
from labcert.pki.settings import Pkcs11Settings, SigningKeyError

_VAR = "LABCERT_SIGNING_PKCS11"
_generation = 0  # bumped whenever the library is re-initialised: every session is then void


def reinitialize(module: str) -> None:
    """Re-initialise the PKCS#11 library (after a fork, or to see new tokens)."""
    global _generation  # one library state per process is exactly what PKCS#11 has
    _library(module).reinitialize()
    _generation += 1


def _library(module: str) -> Any:
    if not Path(module).is_file():
        raise SigningKeyError(
            f"{module}: PKCS#11 module not found ({_VAR}_MODULE); install it (SoftHSM2:"
            " apt-get install softhsm2) or correct the path"
        )
    try:
        import pkcs11
    except ImportError as exc:  # pragma: no cover - declared as a dependency
        raise SigningKeyError("python-pkcs11 is missing: pip install 'pyHanko[pkcs11]'") from exc
    try:
        return pkcs11.lib(module)
    except Exception as exc:  # a wrong file raises from deep inside the loader
        raise SigningKeyError(
            f"{module}: cannot load it as a PKCS#11 module ({exc}; {_VAR}_MODULE)"
        ) from exc


def open_session(settings: Pkcs11Settings, *, rw: bool = False) -> Any:
    """Open a logged-in session on the token labelled in settings; fail with one clear line."""
    import pkcs11
    from pkcs11 import exceptions as p11

    for value, name in ((settings.token_label, "TOKEN_LABEL"), (settings.key_label, "KEY_LABEL")):
        if not value:
            raise SigningKeyError(f"{_VAR}_MODULE is set: also set {_VAR}_{name}")
    pin = settings.read_pin()
    lib = _library(settings.module)
    try:
        token = lib.get_token(token_label=settings.token_label)
    except (p11.NoSuchToken, p11.MultipleTokensReturned):
        labels = sorted({t.label for t in lib.get_tokens()})
        raise SigningKeyError(
            f"no token labelled {settings.token_label!r} in {settings.module}"
            f" ({_VAR}_TOKEN_LABEL); tokens present: {', '.join(labels) or 'none'}"
        ) from None
    try:
        return token.open(user_pin=pin, rw=rw)
    except p11.UserAlreadyLoggedIn:  # login is per process: another session of ours holds it
        return token.open(rw=rw)
    except (p11.PinIncorrect, p11.PinInvalid, p11.PinLenRange):
        raise SigningKeyError(
            f"wrong PIN for token {settings.token_label!r} ({_VAR}_PIN or _PIN_FILE);"
            " correct it before the token locks"
        ) from None
    except p11.PinLocked:
        raise SigningKeyError(
            f"the user PIN of token {settings.token_label!r} is locked: reset it with the"
            " security officer PIN"
        ) from None
    except pkcs11.PKCS11Error as exc:
        raise SigningKeyError(
            f"cannot open token {settings.token_label!r}: {type(exc).__name__}"
        ) from exc


def _find(session: Any, object_class: Any, label: str) -> Any | None:
    from pkcs11 import Attribute

    found = list(session.get_objects({Attribute.CLASS: object_class, Attribute.LABEL: label}))
    return found[0] if len(found) == 1 else None


class HsmKey:
    """A signing key held in a PKCS#11 token, with its certificate and chain."""

    def __init__(self, settings: Pkcs11Settings, extra_chain: tuple[x509.Certificate, ...] = ()):
        self.settings = settings
        self.lock = threading.RLock()
        self._extra_chain = extra_chain
        self._open()
        self.trust_roots = trust_anchors(self.certificate, self.chain)
        self.key_type = key_type(self.certificate.public_key())
        self.location = (
            f"PKCS#11 token {settings.token_label!r} key {settings.key_label!r}"
            f" ({settings.module})"
        )
        check_validity(self.certificate, self.location, dt.datetime.now(dt.UTC))

    def _open(self) -> None:
        from pkcs11 import Attribute, ObjectClass

        settings = self.settings
        session = open_session(settings)
        key = _find(session, ObjectClass.PRIVATE_KEY, settings.key_label)
        if key is None:
            session.close()
            raise SigningKeyError(
                f"no private key labelled {settings.key_label!r} on token"
                f" {settings.token_label!r} ({_VAR}_KEY_LABEL)"
            )
        cert_label = settings.cert_label or settings.key_label
        cert_object = _find(session, ObjectClass.CERTIFICATE, cert_label)
        if cert_object is None:
            session.close()
            raise SigningKeyError(
                f"no certificate labelled {cert_label!r} on token {settings.token_label!r}"
                f" ({_VAR}_CERT_LABEL): import the signing certificate into the token"
            )
        certificate = x509.load_der_x509_certificate(cert_object[Attribute.VALUE])
        others = [
            x509.load_der_x509_certificate(obj[Attribute.VALUE])
            for obj in session.get_objects({Attribute.CLASS: ObjectClass.CERTIFICATE})
        ]
        self.certificate = certificate
        self.chain = tuple(
            dict.fromkeys(c for c in [*others, *self._extra_chain] if c != certificate)
        )
        self._session, self._key = session, key
        self._opened = (os.getpid(), _generation)
        self._signer = signers_for(session, certificate, self.chain, settings)
        self._check_pair()

    def _check_pair(self) -> None:
        """Sign a challenge: proves the certificate belongs to the key, and the key can sign."""
        challenge = b"LabCert key check"
        public = self.certificate.public_key()
        try:
            signature = self._raw_sign(challenge)
            if isinstance(public, ec.EllipticCurvePublicKey):
                half = len(signature) // 2
                der = encode_dss_signature(
                    int.from_bytes(signature[:half], "big"), int.from_bytes(signature[half:], "big")
                )
                public.verify(der, challenge, ec.ECDSA(hashes.SHA256()))
            elif isinstance(public, rsa.RSAPublicKey):
                public.verify(signature, challenge, PKCS1v15(), hashes.SHA256())
        except InvalidSignature:
            raise SigningKeyError(
                f"the certificate {self.settings.cert_label or self.settings.key_label!r} on"
                f" token {self.settings.token_label!r} does not belong to the key"
                f" {self.settings.key_label!r}: import the matching certificate"
            ) from None

    def _ensure_process(self) -> None:
        pid, generation = self._opened
        if pid != os.getpid():  # forked: the parent's session is not ours to use
            reinitialize(self.settings.module)
            self._open()
        elif generation != _generation:
            self._open()

    def pyhanko_signer(self) -> signers.Signer:
        """Return the pyHanko signer bound to this process's session."""
        self._ensure_process()
        return self._signer

    def _raw_sign(self, data: bytes) -> bytes:
        from pkcs11 import Mechanism

        if isinstance(self.certificate.public_key(), ec.EllipticCurvePublicKey):
            return self._key.sign(hashlib.sha256(data).digest(), mechanism=Mechanism.ECDSA)
        return self._key.sign(data, mechanism=Mechanism.SHA256_RSA_PKCS)

    def sign_token(self, data: bytes) -> bytes:
        """Return a raw signature of data made inside the token (ECDSA as r||s, as in JWS)."""
        with self.lock:
            self._ensure_process()
            return self._raw_sign(data)


def signers_for(
    session: Any, certificate: x509.Certificate, chain: tuple[x509.Certificate, ...],
    settings: Pkcs11Settings,
) -> signers.Signer:
    """Return pyHanko's PKCS#11 signer for the key, with the certificates already known."""
    from pyhanko.sign.pkcs11 import PKCS11Signer

    return PKCS11Signer(
        session,
        key_label=settings.key_label,
        signing_cert=translate_pyca_cryptography_cert_to_asn1(certificate),
        ca_chain=[translate_pyca_cryptography_cert_to_asn1(c) for c in chain],
        # SoftHSM 2.6 lacks CKM_ECDSA_SHA256: hash here, sign raw (pyHanko does so for ECDSA only)
        use_raw_mechanism=isinstance(certificate.public_key(), ec.EllipticCurvePublicKey),
    )
