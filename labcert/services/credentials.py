"""Certificates as UNTP Digital Conformity Credentials: served as registered, and checked.

The credential of each certificate is signed at issuance (``credential_signing``) and stored;
every download returns those bytes. A check answers five questions apart: the JWS signature,
the issuer key in the lab's DID document, the status list bits, the validity period and the
registry record.
"""

from __future__ import annotations

from typing import Any

from labcert.credentials import Check, MalformedCredential, read_unverified, verify_credential
from labcert.credentials.fetch import status_list_urls
from labcert.errors import NotFound, ValidationFailed
from labcert.lifecycles.certificate import WORDS
from labcert.services.certificates import find_certificate
from labcert.services.credential_keys import did_document
from labcert.services.settings import ServiceSettings
from labcert.services.status_lists import PATH, status_list_credential
from labcert.services.verification_log import log_check

REGISTRY = "registry"


def registered_credential(number: str) -> str:
    """Return the credential registered for a certificate, the same bytes on every call."""
    certificate = find_certificate(number)
    if certificate is None:
        raise NotFound(f"No certificate numbered {number.strip()!r} is registered by this lab.")
    if certificate.credential is None:
        raise NotFound(f"Certificate {certificate.number} was issued before this lab issued "
                       "credentials; ask the lab to run `labcert credentials backfill`.")
    return certificate.credential


def _local_lists(credential: dict[str, Any], public_url: str) -> dict[str, str]:
    """Return the lab's own status lists that a credential points at, by URL."""
    prefix = f"{public_url.rstrip('/')}{PATH}/"
    lists = {}
    for url in status_list_urls(credential):
        if url.startswith(prefix):
            try:
                lists[url] = status_list_credential(url[len(prefix):])[0]
            except NotFound:
                continue  # the status check says the list was not available
    return lists


def check_credential(text: str, settings: ServiceSettings, channel: str) -> dict[str, Any]:
    """Check a credential: signature, issuer key, status bits, validity and the registry."""
    try:
        lists = _local_lists(read_unverified(text)[1], settings.public_url)
    except MalformedCredential as error:  # not a credential at all: bad input, not a verdict
        log_check(None, channel, "not_a_credential")
        raise ValidationFailed.of([("credential", str(error))]) from None
    result = verify_credential(text, did_document(settings), lists, now=settings.now())
    number, status = result.number, None
    certificate = find_certificate(number) if result.authentic and number else None
    if certificate is not None:
        status = certificate.effective_status(settings.today())
        registry = _registry_check(certificate, status)
    elif result.authentic:
        registry = Check(REGISTRY, False, f"No certificate numbered {number!r} is registered "
                                          "by this lab.")
    else:
        registry = Check(REGISTRY, False, "Not looked up: the credential is not authentically "
                                          "the lab's.")
    checks = [*result.checks, registry]
    authentic = result.authentic and certificate is not None
    outcome = "authentic" if authentic else "not_authentic"
    log_check(certificate.number if certificate else None, channel,
              f"{outcome}:{status or 'unregistered'}")
    return {"verdict": outcome, "in_force": authentic and all(c.ok for c in checks),
            "number": certificate.number if certificate else number, "status": status,
            "checks": [{"name": c.name, "ok": c.ok, "message": c.message} for c in checks],
            "credential": result.credential if authentic else None}


def _registry_check(certificate: Any, status: str) -> Check:
    words = f"Certificate {certificate.number} is registered. {WORDS[status].sentence}"
    successor = certificate.successor
    if successor is not None:
        words += f" The current revision is {successor.number}."
    if status != "valid" and certificate.status_reason:
        words += f" Reason: {certificate.status_reason}"
    return Check(REGISTRY, status == "valid", words)
