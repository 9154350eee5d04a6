"""One TLS context per process for pyHanko's HTTP clients (TSA, OCSP, CRL).

pyHanko 0.38 opens an aiohttp session per time-stamp request and per validation run, and each
new session builds a fresh TLS context from certifi's CA bundle: ~55 ms of CPU each, three times
per B-LTA signature (measured with cProfile; more than the signature itself). The same context
serves every session, so it is built once here and handed to the sessions pyHanko creates.
"""

from __future__ import annotations

import functools
import ssl

import aiohttp
import certifi
from pyhanko_certvalidator.fetchers.aiohttp_fetchers import util


@functools.cache
def tls_context() -> ssl.SSLContext:
    """Return the process's TLS context, trusting certifi's CA bundle as pyHanko does."""
    return ssl.create_default_context(cafile=certifi.where())


def _session() -> aiohttp.ClientSession:
    """Open a session like pyHanko's default one, on the shared TLS context."""
    return aiohttp.ClientSession(connector=aiohttp.TCPConnector(ssl=tls_context()))


def share_tls_context() -> None:
    """Make pyHanko's lazily opened HTTP sessions use the shared TLS context (idempotent)."""
    util._default_session = _session  # the factory LazySession calls for each new session
