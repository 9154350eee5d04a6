"""pyHanko's HTTP sessions share one TLS context instead of loading the CA bundle each time."""

from __future__ import annotations

import asyncio
import ssl

from pyhanko_certvalidator.fetchers.aiohttp_fetchers.util import LazySession

from labcert.pki import make_timestamper
from labcert.pki.http import tls_context


def test_every_session_pyhanko_opens_uses_the_one_tls_context() -> None:
    make_timestamper("http://127.0.0.1:9/tsa")  # any client of ours installs the shared context

    async def contexts() -> list[object]:
        found = []
        for _ in range(2):
            lazy = LazySession()
            found.append(lazy.get_session().connector._ssl)  # type: ignore[union-attr]
            await lazy.close()
        return found

    first, second = asyncio.run(contexts())

    assert first is second is tls_context()
    assert isinstance(first, ssl.SSLContext)
    assert first.verify_mode == ssl.CERT_REQUIRED and first.check_hostname
