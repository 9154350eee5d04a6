"""The RFC 3161 time-stamping authority: a client for it, and a probe for the health page."""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import time
from dataclasses import dataclass

from asn1crypto import cms
from cryptography import x509
from pyhanko.sign import timestamps
from pyhanko.sign.general import extract_certificate_info

from labcert.pki.http import share_tls_context

TIMEOUT_SECONDS = 10


def signer_certificate(signed_data: cms.SignedData) -> x509.Certificate | None:
    """Return the certificate that signed a CMS structure (a time-stamp token), if included."""
    try:
        certificate = extract_certificate_info(signed_data).signer_cert
    except (ValueError, KeyError):
        return None
    return x509.load_der_x509_certificate(certificate.dump())


def make_timestamper(url: str, timeout: int = TIMEOUT_SECONDS) -> timestamps.TimeStamper:
    """Return a pyHanko client for the TSA at url."""
    share_tls_context()
    return timestamps.HTTPTimeStamper(url, timeout=timeout)


@dataclass(frozen=True)
class TsaProbe:
    """Whether the TSA answered, how fast, and its certificate's subject and expiry."""

    url: str
    ok: bool
    message: str
    seconds: float | None = None
    subject: str | None = None
    not_after: dt.datetime | None = None


def probe_tsa(url: str, timeout: int = 5) -> TsaProbe:
    """Ask the TSA to time-stamp a throw-away digest; report what happened in one sentence."""
    stamper = make_timestamper(url, timeout=timeout)
    digest = hashlib.sha256(b"LabCert TSA probe").digest()
    start = time.perf_counter()
    try:
        token = asyncio.run(stamper.async_timestamp(digest, "sha256"))
    except Exception as exc:  # any network or protocol failure is the answer, not a crash
        text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        return TsaProbe(url, False, f"The time-stamping authority did not answer: {text[:160]}")
    seconds = time.perf_counter() - start
    parsed = signer_certificate(token["content"])
    if parsed is None:
        return TsaProbe(url, True, f"Answered in {seconds:.2f} s (certificate not included).",
                        seconds)
    return TsaProbe(
        url,
        True,
        f"Answered in {seconds:.2f} s; its certificate is valid until"
        f" {parsed.not_valid_after_utc:%Y-%m-%d}.",
        seconds,
        parsed.subject.rfc4514_string(),
        parsed.not_valid_after_utc,
    )
