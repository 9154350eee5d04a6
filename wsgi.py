"""The WSGI entry point: `gunicorn wsgi:app`."""

from labcert import create_app

app = create_app()
