"""The renderer loads only the project's static files: no network, no other files."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from weasyprint import HTML

from labcert.pdf import CertificateRenderer
from labcert.pdf.fetcher import RefusedURL, StaticFileFetcher
from labcert.pdf.renderer import STATIC_DIR


class SpyFetcher(StaticFileFetcher):
    """Record every URL asked for and every URL actually served."""

    def __init__(self, static_dir: Path):
        super().__init__(static_dir)
        self.asked: list[str] = []
        self.served: list[str] = []

    def fetch(self, url, headers=None):
        self.asked.append(url)
        response = super().fetch(url, headers)
        self.served.append(url)
        return response


@pytest.fixture
def static(tmp_path: Path) -> Path:
    root = tmp_path / "static"
    (root / "img").mkdir(parents=True)
    (root / "img" / "dot.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"/>'
    )
    (tmp_path / "secret.txt").write_text("server secret")
    return root


def test_files_inside_static_are_served(static: Path) -> None:
    response = StaticFileFetcher(static).fetch((static / "img" / "dot.svg").as_uri())

    assert response.read().startswith(b"<svg")
    assert response.content_type == "image/svg+xml"


def test_data_urls_are_served(static: Path) -> None:
    assert StaticFileFetcher(static).fetch("data:text/plain,hello").read() == b"hello"


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "http://127.0.0.1:9/logo.png",
        "https://example.com/font.woff2",
        "ftp://127.0.0.1/x",
        "file://otherhost/etc/passwd",
    ],
)
def test_other_urls_are_refused(static: Path, url: str) -> None:
    with pytest.raises(RefusedURL, match="refused"):
        StaticFileFetcher(static).fetch(url)


def test_path_traversal_out_of_static_is_refused(static: Path) -> None:
    escaping = static.as_uri() + "/img/../../secret.txt"
    encoded = static.as_uri() + "/img/%2e%2e/%2e%2e/secret.txt"

    for url in (escaping, encoded):
        with pytest.raises(RefusedURL, match="outside the static folder"):
            StaticFileFetcher(static).fetch(url)


def test_a_symlink_out_of_static_is_refused(static: Path) -> None:
    (static / "img" / "link.txt").symlink_to(static.parent / "secret.txt")

    with pytest.raises(RefusedURL, match="outside the static folder"):
        StaticFileFetcher(static).fetch((static / "img" / "link.txt").as_uri())


def test_a_template_reaching_outside_gets_nothing_and_weasyprint_says_so(
    static: Path, caplog: pytest.LogCaptureFixture
) -> None:
    fetcher = SpyFetcher(static)
    secret = (static.parent / "secret.txt").as_uri()
    html = f"""
      <link rel="stylesheet" href="{secret}">
      <link rel="stylesheet" href="http://127.0.0.1:9/evil.css">
      <p>Certificate</p>
      <img src="file:///etc/passwd"><img src="http://127.0.0.1:9/track.png">
      <img src="../secret.txt"><img src="img/dot.svg">
    """

    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        pdf = HTML(string=html, base_url=static.as_uri() + "/", url_fetcher=fetcher).write_pdf()

    assert pdf.startswith(b"%PDF")
    assert len(fetcher.asked) == 6
    assert fetcher.served == [(static / "img" / "dot.svg").as_uri()]
    refused = [r.getMessage() for r in caplog.records if "refused" in r.getMessage()]
    assert len(refused) == 5, caplog.text  # WeasyPrint's warnings reach the logs, not swallowed


def test_the_certificate_renderer_uses_the_static_only_fetcher() -> None:
    renderer = CertificateRenderer()

    assert isinstance(renderer.url_fetcher, StaticFileFetcher)
    assert renderer.url_fetcher.static_dir == STATIC_DIR.resolve()
    with pytest.raises(RefusedURL):
        renderer.url_fetcher.fetch("file:///etc/hostname")
