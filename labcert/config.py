"""Settings: defaults that run out of the box, then LABCERT_* environment, then a test mapping."""

from __future__ import annotations

import json
import secrets
from collections.abc import Mapping
from datetime import timedelta
from pathlib import Path
from typing import Any

ENV_PREFIX = "LABCERT_"

DEFAULTS: dict[str, Any] = {
    "DATABASE_URL": None,  # None: SQLite file in the instance folder
    "SECRET_KEY": None,  # None: generated once into the instance folder
    "PUBLIC_URL": "http://127.0.0.1:5000",
    "SIGNING_P12": None,
    "SIGNING_P12_PASSWORD": None,
    "SIGNING_KEY": None,
    "SIGNING_CERT": None,
    "SIGNING_CHAIN": None,
    "TSA_URL": None,
    "TSA_ROOTS": None,  # trust anchors of the TSA when not issued under the lab's root
    "SIGNATURE_LEVEL": None,  # None: B-LTA with a TSA, B-B without
    "SIGNING_PKCS11_MODULE": None,
    "SIGNING_PKCS11_TOKEN_LABEL": None,
    "SIGNING_PKCS11_PIN": None,
    "SIGNING_PKCS11_PIN_FILE": None,
    "SIGNING_PKCS11_KEY_LABEL": None,
    "SIGNING_PKCS11_CERT_LABEL": None,
    "RATELIMIT_STORAGE_URL": "memory://",
    "RATELIMIT_ENABLED": True,
    "RATELIMIT_HEADERS_ENABLED": True,
    "LOGIN_RATE_LIMIT": "10 per minute",
    "TOKEN_RATE_LIMIT": "10 per minute",
    "PUBLIC_RATE_LIMIT": "120 per minute",
    "TOKEN_LIFETIME_DAYS": 90,
    "MAX_CONTENT_LENGTH": 16 * 1024 * 1024,
    "MAX_UPLOAD_BYTES": 10 * 1024 * 1024,
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "SESSION_COOKIE_SECURE": False,
    "REMEMBER_COOKIE_HTTPONLY": True,
    "PERMANENT_SESSION_LIFETIME": timedelta(hours=8),
    "WTF_CSRF_TIME_LIMIT": None,
    "LAB_NAME": "LabCert Demo Testing Laboratory",
    "LOG_LEVEL": "INFO",
    # Background jobs: no broker = in-process right after commit; redis://... = Celery.
    "BROKER_URL": None,
    "REDIS_URL": None,  # verification counters; None: the broker's Redis, if any
    "REDIS_PREFIX": "labcert:",  # every key LabCert writes to Redis starts with this
    "JOBS_VISIBILITY_TIMEOUT": 3600,  # seconds before an unacknowledged job is handed out again
    "JOBS_MAIL_LEASE_SECONDS": 300,  # a mail claimed by a worker that died is retried after this
    "JOBS_TRANSPORT_OPTIONS": {},  # more kombu Redis options (tests shorten the restore sweep)
    # Mail: no server = to the log and the development outbox page.
    "MAIL_SERVER": None,
    "MAIL_PORT": 25,
    "MAIL_USE_TLS": False,
    "MAIL_USE_SSL": False,
    "MAIL_USERNAME": None,
    "MAIL_PASSWORD": None,
    "MAIL_FROM": "LabCert <labcert@localhost>",
    # Whether mail is sent is decided by MAIL_SERVER alone (Flask-Mail would not send in tests).
    "MAIL_SUPPRESS_SEND": False,
    "VERIFICATION_STREAM_MAXLEN": 100_000,
    "VERIFICATION_BATCH": 20,  # lookups a process sends to Redis at once (or after a second)
    # Seconds a process reuses a public status answer it read (0: read every time). Changes
    # made in the process itself show at once; other processes see them within this time.
    "VERIFY_CACHE_SECONDS": 10,
}

_BOOL_TEXT = {"1": True, "true": True, "yes": True, "on": True,
              "0": False, "false": False, "no": False, "off": False}


def _coerce(default: Any, text: str) -> Any:
    """Turn an environment string into the type of the default it overrides."""
    if isinstance(default, bool):
        try:
            return _BOOL_TEXT[text.strip().lower()]
        except KeyError:
            raise ValueError(f"expected true or false, got {text!r}") from None
    if isinstance(default, int):
        return int(text)
    if isinstance(default, dict):
        value = json.loads(text)
        if not isinstance(value, dict):
            raise ValueError(f"expected a JSON object, got {text!r}")
        return value
    return text


def from_environment(environ: Mapping[str, str]) -> dict[str, Any]:
    """Read every LABCERT_* variable that names a known setting."""
    settings: dict[str, Any] = {}
    for key, default in DEFAULTS.items():
        name = ENV_PREFIX + key
        if name in environ:
            try:
                settings[key] = _coerce(default, environ[name])
            except ValueError as exc:
                raise RuntimeError(f"{name}: {exc}") from None
    return settings


def normalise_database_url(url: str) -> str:
    """Use the psycopg 3 driver for a plain postgresql:// URL."""
    for plain in ("postgresql://", "postgres://"):
        if url.startswith(plain):
            return "postgresql+psycopg://" + url[len(plain):]
    return url


def secret_key_from_instance(instance_path: Path) -> str:
    """Read the secret key kept in the instance folder, creating it once."""
    path = instance_path / "secret_key"
    if not path.exists():
        instance_path.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(48))
        path.chmod(0o600)
    return path.read_text().strip()


def resolve(settings: dict[str, Any], instance_path: Path) -> dict[str, Any]:
    """Fill the derived Flask settings from the LabCert ones."""
    url = settings["DATABASE_URL"] or f"sqlite:///{instance_path / 'labcert.sqlite'}"
    settings["SQLALCHEMY_DATABASE_URI"] = normalise_database_url(url)
    settings.setdefault("SQLALCHEMY_ENGINE_OPTIONS", {"pool_pre_ping": True})
    if not settings["SECRET_KEY"]:
        settings["SECRET_KEY"] = secret_key_from_instance(instance_path)
    settings["RATELIMIT_STORAGE_URI"] = settings["RATELIMIT_STORAGE_URL"]
    settings["PUBLIC_URL"] = settings["PUBLIC_URL"].rstrip("/")
    settings["MAIL_DEFAULT_SENDER"] = settings["MAIL_FROM"]
    broker = settings["BROKER_URL"] or ""
    if not settings["REDIS_URL"] and broker.startswith(("redis://", "rediss://")):
        settings["REDIS_URL"] = broker
    return settings
