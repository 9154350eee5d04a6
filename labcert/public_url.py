"""The public URL: the address printed on certificates, in QR codes and in did:web.

In development (`labcert run`, `make run`) it defaults to the address the server actually
answers at, so a lab started on another port does not print links to port 5000. In production
(any other way of serving, and the CLI), the signing-key page, `labcert pki status` and the
start-up log warn when LABCERT_PUBLIC_URL is unset or not HTTPS: verifiers would be sent to an
address that is not the lab's, or to one their browsers distrust.
"""

from __future__ import annotations

import logging
import socket
from urllib.parse import urlsplit

from flask import Flask

log = logging.getLogger("labcert.public_url")
WILDCARD_HOSTS = ("0.0.0.0", "::", "")  # noqa: S104 - compared with, never bound
LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1", "[::1]")


def _reachable_host(host: str) -> str:
    """Return the host to print for a bound address; for 0.0.0.0, this machine's address."""
    if host not in WILDCARD_HOSTS:
        return f"[{host}]" if ":" in host and not host.startswith("[") else host
    try:  # the address other machines reach this one at (a UDP "connect" sends nothing)
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            probe.connect(("192.0.2.1", 9))  # TEST-NET-1: never routed anywhere
            return str(probe.getsockname()[0])
    except OSError:
        return "127.0.0.1"


def served_url(host: str, port: int, https: bool = False) -> str:
    """Return the base URL of a server bound to host and port."""
    scheme = "https" if https else "http"
    default = 443 if https else 80
    netloc = _reachable_host(host) + ("" if port == default else f":{port}")
    return f"{scheme}://{netloc}"


def use_served_url(app: Flask, host: str, port: int, https: bool = False) -> None:
    """Development server: default the public URL to the address served; warn on a mismatch."""
    served = served_url(host, port, https)
    app.config["DEVELOPMENT_SERVER"] = True
    app.config["SERVED_URL"] = served
    if not app.config.get("PUBLIC_URL_CONFIGURED"):
        app.config["PUBLIC_URL"] = served
        log.info("Public URL: %s (the address served; set LABCERT_PUBLIC_URL to change it)",
                 served)
    elif app.config["PUBLIC_URL"] != served:
        log.warning("LABCERT_PUBLIC_URL is %s but this server answers at %s: QR codes and "
                    "verification links of certificates issued now point there.",
                    app.config["PUBLIC_URL"], served)


def public_url_warnings(app: Flask) -> list[str]:
    """Return what is wrong with the public URL for production (nothing on a dev server)."""
    if app.config.get("DEVELOPMENT_SERVER"):
        return []
    url = app.config["PUBLIC_URL"]
    if not app.config.get("PUBLIC_URL_CONFIGURED"):
        return [f"LABCERT_PUBLIC_URL is not set: certificates, QR codes and did:web use the "
                f"default {url}, which verifiers cannot reach. Set it to the HTTPS address "
                "verifiers use, e.g. https://certs.lab.example."]
    parts = urlsplit(url)
    warnings = []
    if parts.scheme != "https":
        warnings.append(f"LABCERT_PUBLIC_URL is {url}, not HTTPS: verifiers' browsers warn on "
                        "plain HTTP and did:web needs HTTPS. Use the https:// address.")
    if (parts.hostname or "") in {h.strip("[]") for h in LOCAL_HOSTS}:
        warnings.append(f"LABCERT_PUBLIC_URL is {url}, an address of this machine only: "
                        "nobody else can open its links or QR codes.")
    return warnings


def log_public_url(app: Flask) -> None:
    """Start-up (production): log the public URL and each warning about it."""
    warnings = public_url_warnings(app)
    for warning in warnings:
        log.warning(warning)
    if not warnings:
        log.info("Public URL: %s", app.config["PUBLIC_URL"])
