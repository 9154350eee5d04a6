"""The WSGI entry point: `gunicorn wsgi:app` (refuses to start without a usable signing key;
logs a warning when the public URL is unset or not HTTPS)."""

from labcert import create_app
from labcert.public_url import log_public_url
from labcert.signing import check_signing_key

app = create_app()
check_signing_key(app)
log_public_url(app)
