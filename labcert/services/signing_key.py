"""The health of the key that signs certificates now: where it comes from, when it expires."""

from __future__ import annotations

from typing import Any

from labcert.pki import SigningKeyError, SigningSettings, load_signer

EXPIRY_WARNING_DAYS = 60


def key_source(settings: SigningSettings) -> str:
    """Say where the signing key is read from, as the configuration names it."""
    if settings.p12_path:
        return f"PKCS#12 file {settings.p12_path} (LABCERT_SIGNING_P12)"
    if settings.key_path or settings.cert_path:
        return (f"PEM key {settings.key_path} with certificate {settings.cert_path} "
                "(LABCERT_SIGNING_KEY, LABCERT_SIGNING_CERT)")
    return f"development PKI in {settings.dev_dir} (`labcert pki init`)"


def key_health(settings: SigningSettings) -> dict[str, Any]:
    """Describe the signing key: where it comes from, its certificate, and what needs attention.

    The answer has `ok`, `source`, `error` (why no key can be used, else None), `info` (the
    certificate as `LabSigner.info()` describes it, else None) and `warnings` (plain sentences).
    """
    health: dict[str, Any] = {"ok": False, "source": key_source(settings), "error": None,
                              "info": None, "warnings": []}
    try:
        info = load_signer(settings).info()
    except SigningKeyError as error:
        health["error"] = str(error)
        return health
    days = info["days_until_expiry"]
    health.update(ok=days >= 0, info=info)
    if days < 0:  # the signer was loaded while still valid and has expired since
        health["warnings"].append("The signing certificate has expired: certificates cannot be "
                                  "issued until a renewed one is installed.")
    elif days < EXPIRY_WARNING_DAYS:
        health["warnings"].append(f"The signing certificate expires in {days} days: order a "
                                  "renewed one now.")
    if info["is_development"]:
        health["warnings"].append("This is the development key: certificates it signs are for "
                                  "testing only. Configure the lab's own key for production.")
    return health
