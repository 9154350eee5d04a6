"""The WSGI entry point: `gunicorn wsgi:app` (refuses to start without a usable signing key)."""

from labcert import create_app
from labcert.signing import check_signing_key

app = create_app()
check_signing_key(app)
