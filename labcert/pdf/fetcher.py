"""A WeasyPrint URL fetcher that serves only the project's own static files (and data: URLs).

A certificate template must never reach the network or read arbitrary files: a stray ``<img
src="http://...">`` would leak the certificate to a third party and make rendering depend on it,
and ``file:///etc/...`` would print server files into a signed document.
"""

from __future__ import annotations

import mimetypes
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname

from weasyprint.urls import URLFetcher, URLFetcherResponse


class RefusedURL(ValueError):
    """The certificate renderer refuses to load this URL."""


class StaticFileFetcher(URLFetcher):
    """Fetch file: URLs inside static_dir and data: URLs; refuse everything else."""

    def __init__(self, static_dir: Path):
        super().__init__(allowed_protocols={"file", "data"})
        self.static_dir = Path(static_dir).resolve()

    def fetch(self, url: str, headers: dict[str, str] | None = None) -> URLFetcherResponse:
        """Return the static file or data: payload url names, or raise RefusedURL."""
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        if scheme == "data":
            return super().fetch(url, headers)
        if scheme != "file" or parts.netloc not in ("", "localhost"):
            raise RefusedURL(
                f"refused {url!r}: certificates may load only the project's static files"
            )
        path = Path(url2pathname(parts.path)).resolve()
        if not path.is_relative_to(self.static_dir):
            raise RefusedURL(f"refused {url!r}: outside the static folder {self.static_dir}")
        if not path.is_file():
            raise RefusedURL(f"refused {url!r}: no such static file")
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(path.as_uri(), path.read_bytes(), {"Content-Type": content_type})
