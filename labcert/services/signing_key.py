"""The health of signing: the key that signs now, the level, the TSA, the key history, renewals."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from labcert.pki import SigningKeyError, SigningSettings, probe_tsa, resolve_level
from labcert.services.archive import DEFAULT_WITHIN_DAYS, renewal_due_count
from labcert.services.signing_keys import RegisteredSigners, all_keys, as_record, current_key

EXPIRY_WARNING_DAYS = 60


def key_source(settings: SigningSettings) -> str:
    """Say where the signing key is read from, as the configuration names it."""
    if settings.pkcs11:
        token = settings.pkcs11
        return (f"PKCS#11 token {token.token_label!r} key {token.key_label!r} in {token.module} "
                "(LABCERT_SIGNING_PKCS11_*)")
    if settings.p12_path:
        return f"PKCS#12 file {settings.p12_path} (LABCERT_SIGNING_P12)"
    if settings.key_path or settings.cert_path:
        return (f"PEM key {settings.key_path} with certificate {settings.cert_path} "
                "(LABCERT_SIGNING_KEY, LABCERT_SIGNING_CERT)")
    return f"development PKI in {settings.dev_dir} (`labcert pki init`)"


def _history(now: datetime) -> list[dict[str, Any]]:
    current = current_key()
    return [{"fingerprint": row.fingerprint, "subject": row.subject, "location": row.location,
             "not_before": row.not_before, "not_after": row.not_after,
             "first_used_at": row.first_used_at, "last_used_at": row.last_used_at,
             "retired_at": row.retired_at, "compromised_since": row.compromised_since,
             "status": as_record(row).status(now),
             "is_current": current is not None and row.id == current.id}
            for row in all_keys()]


def _level(settings: SigningSettings) -> tuple[str | None, str | None]:
    try:
        return str(resolve_level(settings.signature_level, settings.tsa_url)), None
    except SigningKeyError as error:
        return None, str(error)


def key_health(signers: RegisteredSigners, now: datetime, *, probe: bool = True) -> dict[str, Any]:
    """Describe signing: the key, its level and TSA, the key history and archives to renew.

    The answer has `ok`, `source`, `error` (why no key can be used, else None), `info` (the
    certificate as `LabSigner.info()` describes it, else None), `level`, `tsa`, `keys` (the
    history), `renewal_due` (certificates to renew within `within_days`) and `warnings`.
    """
    settings = signers.configured
    row = current_key()
    source = (f"{row.location} (rotated in, recorded {row.created_at:%Y-%m-%d})"
              if row is not None and row.source else key_source(settings))
    level, level_error = _level(settings)
    health: dict[str, Any] = {
        "ok": False, "source": source, "error": level_error, "info": None, "level": level,
        "tsa": None, "keys": _history(now), "within_days": DEFAULT_WITHIN_DAYS,
        "renewal_due": renewal_due_count(now), "warnings": []}
    warnings = health["warnings"]
    if settings.tsa_url and probe:
        tsa = probe_tsa(settings.tsa_url)
        health["tsa"] = {"url": tsa.url, "ok": tsa.ok, "message": tsa.message,
                         "subject": tsa.subject, "not_after": tsa.not_after}
        if not tsa.ok:
            warnings.append(f"{tsa.message} Issuance at {level} fails until it answers.")
    if health["renewal_due"]:
        warnings.append(f"{health['renewal_due']} certificates need an archival time-stamp within"
                        f" {DEFAULT_WITHIN_DAYS} days: run `labcert pki refresh-archive`.")
    try:
        signer = signers.current()
    except SigningKeyError as error:
        health["error"] = health["error"] or str(error)
        return health
    info = signer.info(now)
    days = info["days_until_expiry"]
    health.update(ok=days >= 0 and level_error is None, info=info)
    if level == "B-B":
        warnings.append(
            "Certificates are signed at PAdES B-B, without a time-stamp: they verify as authentic"
            f" only until the signing certificate expires ({info['not_after'][:10]}) or the key"
            " is rotated. Set LABCERT_TSA_URL to sign at B-LTA.")
    if 0 <= days < EXPIRY_WARNING_DAYS:
        warnings.append(f"The signing certificate expires in {days} days: order a "
                        "renewed one now and rotate to it (`labcert pki rotate`).")
    if info["is_development"]:
        warnings.append("This is the development key: certificates it signs are for "
                        "testing only. Configure the lab's own key for production.")
    return health
