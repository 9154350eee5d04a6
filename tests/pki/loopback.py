"""A complete test PKI on loopback: root, issuing CA, OCSP responder, CRLs and two TSAs.

certomancer describes the PKI and its ``Animator`` serves OCSP, CRLs and RFC 3161 time-stamps
over HTTP. pyHanko 0.37+ fetches with aiohttp, so the services must really listen: a werkzeug
server on 127.0.0.1, port 0, in a daemon thread. Dates are relative to the moment the PKI is
built, so tests can move the clock past each certificate's expiry with time-machine; the
services answer at the (moved) current time because certomancer reads ``datetime.now``.

Validity, counted from the build time:
- root 40 years, issuing CA 30 years, OCSP responder 30 years;
- ``lab`` (the lab's signing certificate) 1 year, ``lab-next`` (after a rotation) 3 years;
- ``tsa`` 5 years (the first TSA certificate), ``tsa2`` 30 years (the renewed TSA).
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from certomancer.integrations.animator import Animator, AnimatorArchStore
from certomancer.registry import ArchLabel, CertLabel, CertomancerConfig
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from werkzeug.serving import WSGIRequestHandler, make_server

from labcert.pki.material import KeyMaterial

ARCH = "labcert-test"
KEYS = ("root", "interm", "ocsp", "lab", "lab-next", "tsa", "tsa2")
LAB_EKU = ["email_protection", "1.3.6.1.5.5.7.3.36"]  # poppler wants more than documentSigning
LIFETIMES = {"root": 40, "interm": 30, "ocsp": 30, "lab": 1, "lab-next": 3, "tsa": 5, "tsa2": 30}
_YEAR = dt.timedelta(days=365)


@dataclass(frozen=True)
class LoopbackPki:
    """The running PKI: its base URL, when it was built, its keys and certificates."""

    base_url: str
    built_at: dt.datetime
    keys: dict[str, ec.EllipticCurvePrivateKey]
    certs: dict[str, x509.Certificate]

    def tsa_url(self, label: str = "tsa") -> str:
        """Return the RFC 3161 endpoint of a TSA (``tsa`` or ``tsa2``)."""
        return f"{self.base_url}/{ARCH}/tsa/{label}"

    def cert(self, label: str) -> x509.Certificate:
        """Return a certificate of the PKI as a cryptography object."""
        return self.certs[label]

    def export(self) -> tuple[str, dt.datetime, dict[str, bytes], dict[str, bytes]]:
        """Return the PKI as plain bytes, to hand to another process."""
        return (
            self.base_url,
            self.built_at,
            {k: v.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption()) for k, v in self.keys.items()},
            {k: v.public_bytes(serialization.Encoding.DER) for k, v in self.certs.items()},
        )

    @classmethod
    def imported(cls, data: tuple[str, dt.datetime, dict[str, bytes], dict[str, bytes]]
                 ) -> LoopbackPki:
        """Rebuild a PKI description exported by another process."""
        base_url, built_at, keys, certs = data
        return cls(
            base_url,
            built_at,
            {k: _ec_key(serialization.load_der_private_key(v, None)) for k, v in keys.items()},
            {k: x509.load_der_x509_certificate(v) for k, v in certs.items()},
        )

    @property
    def root(self) -> x509.Certificate:
        """Return the trust anchor."""
        return self.cert("root")

    def expires(self, label: str) -> dt.datetime:
        """Return when a certificate of the PKI expires."""
        return self.cert(label).not_valid_after_utc

    def material(self, label: str = "lab") -> KeyMaterial:
        """Return a lab signing key (``lab`` or ``lab-next``) with its chain, as LabSigner wants."""
        chain = (self.cert("interm"), self.root)
        return KeyMaterial(self.keys[label], self.cert(label), chain, (self.root,))


def _validity(start: dt.datetime, years: int) -> dict[str, str]:
    return {"valid-from": start.isoformat(), "valid-to": (start + years * _YEAR).isoformat()}


def _config(start: dt.datetime, base_url: str) -> dict[str, Any]:
    """Describe the PKI in certomancer's configuration language."""

    def issued(issuer: str, label: str, **extra: Any) -> dict[str, Any]:
        return {"issuer": issuer, "validity": _validity(start, LIFETIMES[label]), **extra}

    tsa_extensions = [
        {"id": "key_usage", "critical": True,
         "smart-value": {"schema": "key-usage", "params": ["digital_signature"]}},
        {"id": "extended_key_usage", "critical": True, "value": ["time_stamping"]},
    ]
    lab = {"profiles": ["digsig-commitment"],
           "extensions": [{"id": "extended_key_usage", "value": LAB_EKU}]}
    certs = {
        "root": {"subject": "root", "issuer": "root", "validity": _validity(start, 40),
                 "profiles": [{"id": "simple-ca", "params": {"crl-repo": "root"}}]},
        "interm": issued("root", "interm", profiles=[{"id": "simple-ca", "params": {
            "max-path-len": 0, "crl-repo": "interm", "ocsp-service": "interm"}}]),
        "ocsp": issued("interm", "ocsp", profiles=["ocsp-responder"]),
        "lab": issued("interm", "lab", **lab),
        "lab-next": issued("interm", "lab-next", **lab),
        "tsa": issued("root", "tsa", extensions=tsa_extensions),
        "tsa2": issued("root", "tsa2", extensions=tsa_extensions),
    }
    names = {"root": "Test Root CA", "interm": "Test Issuing CA", "ocsp": "Test OCSP Responder",
             "lab": "Test Lab Signing Key 1", "lab-next": "Test Lab Signing Key 2",
             "tsa": "Test TSA 1", "tsa2": "Test TSA 2"}
    return {
        "external-url-prefix": base_url,
        "keysets": {ARCH: {"keys": {k: {"path": f"{k}.key.pem"} for k in KEYS}}},
        "pki-architectures": {ARCH: {
            "keyset": ARCH,
            "entity-defaults": {"country-name": "BE", "organization-name": "LabCert Test PKI"},
            "entities": {k: {"common-name": v} for k, v in names.items()},
            "certs": certs,
            "services": {
                "ocsp": {"interm": {"for-issuer": "interm", "responder-cert": "ocsp",
                                    "signing-key": "ocsp"}},
                "crl-repo": {
                    "root": {"for-issuer": "root", "signing-key": "root",
                             "simulated-update-schedule": "P90D"},
                    "interm": {"for-issuer": "interm", "signing-key": "interm",
                               "simulated-update-schedule": "P7D"},
                },
                "time-stamping": {
                    "tsa": {"signing-key": "tsa", "signing-cert": "tsa"},
                    "tsa2": {"signing-key": "tsa2", "signing-cert": "tsa2"},
                },
            },
        }},
    }


def _write_keys(folder: Path) -> dict[str, ec.EllipticCurvePrivateKey]:
    keys = {label: ec.generate_private_key(ec.SECP256R1()) for label in KEYS}
    for label, key in keys.items():
        pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption())
        (folder / f"{label}.key.pem").write_bytes(pem)
    return keys


class _Quiet(WSGIRequestHandler):
    """Serve without logging each request to stderr."""

    def log_request(self, *args: Any, **kwargs: Any) -> None:
        """Log nothing."""


class _Late:
    """A WSGI app filled in once the server's port, and so the PKI's URLs, are known."""

    app: Any = None

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        return self.app(environ, start_response)


@contextmanager
def loopback_pki() -> Iterator[LoopbackPki]:
    """Build a fresh PKI and serve it on 127.0.0.1 until the block ends."""
    late = _Late()
    server = make_server("127.0.0.1", 0, late, threaded=True, request_handler=_Quiet)
    base_url = f"http://127.0.0.1:{server.server_port}"
    start = dt.datetime.now(dt.UTC).replace(microsecond=0) - dt.timedelta(days=1)
    with tempfile.TemporaryDirectory(prefix="labcert-pki-") as tmp:
        keys = _write_keys(Path(tmp))
        config = CertomancerConfig(_config(start, base_url), key_search_dir=tmp)
        late.app = Animator(AnimatorArchStore(config.pki_archs), with_web_ui=False)
        arch = config.get_pki_arch(ArchLabel(ARCH))
        certs = {label: x509.load_der_x509_certificate(arch.get_cert(CertLabel(label)).dump())
                 for label in KEYS}
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            yield LoopbackPki(base_url, start + dt.timedelta(days=1), keys, certs)
        finally:
            server.shutdown()
            server.server_close()
            thread.join(timeout=5)


def _ec_key(key: object) -> ec.EllipticCurvePrivateKey:
    assert isinstance(key, ec.EllipticCurvePrivateKey)
    return key


def _serve(conn: Any) -> None:
    with loopback_pki() as pki:
        conn.send(pki.export())
        conn.recv()  # serve until told to stop


@contextmanager
def loopback_pki_process() -> Iterator[LoopbackPki]:
    """Serve a fresh PKI from a separate process, so its CPU time is not counted as ours."""
    context = multiprocessing.get_context("spawn")
    ours, theirs = context.Pipe()
    process = context.Process(target=_serve, args=(theirs,), daemon=True)
    process.start()
    try:
        yield LoopbackPki.imported(ours.recv())
    finally:
        ours.send("stop")
        process.join(timeout=10)
