"""Fixtures of the browser tests: one real LabCert server and one chromium per test module.

The server is the `labcert` console script in a subprocess, on a fresh SQLite database in a
temporary instance folder, prepared as `make run` prepares it (migrations, development PKI,
demo lab). Playwright drives Debian's chromium; Playwright's own browser download is never used.
Playwright is imported inside the fixtures so that this file loads even where it is missing.

Every fixture here lives for one module, not the session: while Playwright's sync API runs, it
holds an asyncio event loop in this thread, and the tests after this folder that sign PDFs
(pyHanko calls asyncio.run) would fail with "cannot be called from a running event loop".
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Locator, Page

ROOT = Path(__file__).resolve().parents[2]
LABCERT = Path(sys.executable).with_name("labcert")
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run",
                 "--disable-quic"]
ARTIFACTS = ROOT / "artifacts" / "e2e"
GUIDE_IMAGES = ROOT / "docs" / "guides" / "img"
VIEWPORT = {"width": 1280, "height": 900}
ACTION_TIMEOUT_MS = 20_000  # the machine is shared: two cores, other test runs beside this one
NAVIGATION_TIMEOUT_MS = 45_000
SETUP_TIMEOUT_S = 180
PIXEL_TOLERANCE = 24  # of 255: palette rounding, not a change
SAME_PICTURE_SHARE = 0.01  # fewer changed pixels than this: the page looks the same
START_TIMEOUT_S = 60


@dataclass(frozen=True)
class LabServer:
    """The running server: its base URL and where its instance and log live."""

    url: str
    instance: Path
    log: Path

    def log_tail(self, lines: int = 40) -> str:
        """Return the end of the server's log, to explain a failure."""
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _server_environment(instance: Path, url: str) -> dict[str, str]:
    """Return this process's environment without the developer's LABCERT_* settings."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("LABCERT_")}
    env.update(LABCERT_INSTANCE_PATH=str(instance), LABCERT_PUBLIC_URL=url,
               LABCERT_RATELIMIT_ENABLED="false", LABCERT_LOG_LEVEL="WARNING",
               PYTHONUNBUFFERED="1")
    return env


def _labcert(env: dict[str, str], *args: str) -> None:
    done = subprocess.run([str(LABCERT), *args], env=env, cwd=ROOT, capture_output=True,
                          text=True, timeout=SETUP_TIMEOUT_S, check=False)
    if done.returncode != 0:
        pytest.fail(f"labcert {' '.join(args)} failed ({done.returncode}):\n"
                    f"{done.stdout}\n{done.stderr}")


def _wait_for_port(process: subprocess.Popen[bytes], port: int, server: LabServer) -> None:
    """Return once the server accepts connections; fail early if it exits."""
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"The server exited with {process.returncode}:\n{server.log_tail()}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            _wait_briefly(process, 0.1)
    pytest.fail(f"The server did not listen on port {port} within {START_TIMEOUT_S} s:\n"
                f"{server.log_tail()}")


def _wait_briefly(process: subprocess.Popen[bytes], seconds: float) -> None:
    """Wait at most `seconds` for the process to exit: the pause between two port probes."""
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(timeout=seconds)


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LabServer]:
    """Start a real LabCert server with the demo lab on a fresh database; stop it at the end."""
    instance = tmp_path_factory.mktemp("e2e-instance")
    port = _free_port()
    server = LabServer(f"http://127.0.0.1:{port}", instance, instance / "server.log")
    env = _server_environment(instance, server.url)
    for command in (("db", "upgrade"), ("pki", "init"), ("seed-demo",)):
        _labcert(env, *command)
    with server.log.open("wb") as log:
        process = subprocess.Popen(
            [str(LABCERT), "run", "--host", "127.0.0.1", "--port", str(port)],
            env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
    try:
        _wait_for_port(process, port, server)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=15)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Launch Debian's chromium, headless, once for the module."""
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=ACTION_TIMEOUT_MS)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True,
                                              args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()
    # The tests that run after this module need the thread free of Playwright's event loop.
    asyncio.run(asyncio.sleep(0))


@pytest.fixture(scope="module")
def script_errors() -> list[str]:
    """Collect the uncaught script errors of every page the module opens."""
    return []


@pytest.fixture(scope="module")
def new_page(browser: Browser, lab: LabServer,
             script_errors: list[str]) -> Iterator[Callable[[], Page]]:
    """Return a factory of pages, each in its own browser context (its own cookies)."""
    contexts = []

    def make() -> Page:
        context = browser.new_context(base_url=lab.url, viewport=VIEWPORT, accept_downloads=True,
                                      locale="en-GB", timezone_id="UTC")
        context.set_default_timeout(ACTION_TIMEOUT_MS)
        context.set_default_navigation_timeout(NAVIGATION_TIMEOUT_MS)
        contexts.append(context)
        page = context.new_page()
        page.on("pageerror", lambda error: script_errors.append(f"{page.url}: {error}"))
        return page

    yield make
    for context in contexts:
        context.close()


@pytest.fixture(scope="module")
def sign_in(new_page: Callable[[], Page]) -> Callable[[str, str], Page]:
    """Return a function that signs a user in through the form, in a fresh context."""
    from playwright.sync_api import expect

    def login(email: str, password: str) -> Page:
        page = new_page()
        page.goto("/login")
        page.get_by_label("E-mail").fill(email)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Sign in").click()
        expect(page.get_by_role("button", name="Sign out")).to_be_visible()
        return page

    return login


class Screens:
    """Save screenshots as test artifacts, and the guides' pictures beside the guides."""

    def __init__(self, artifacts: Path, guides: Path) -> None:
        self.artifacts, self.guides = artifacts, guides
        self.artifacts.mkdir(parents=True, exist_ok=True)
        for stale in (*artifacts.glob("*.png"), *artifacts.glob("*.pdf")):
            stale.unlink()  # a previous run's files would pass for this run's
        self.guides.mkdir(parents=True, exist_ok=True)
        self.count = 0

    def take(self, page: Page, name: str, *, guide: str | None = None,
             top: Locator | None = None) -> Path:
        """Screenshot the viewport (scrolled so that `top` is at its top); return the file."""
        if top is not None:
            top.evaluate("element => element.scrollIntoView({block: 'start'})")
        self.count += 1
        path = self.artifacts / f"{self.count:02d}-{name}.png"
        data = page.screenshot(path=path, animations="disabled", caret="hide")
        if guide is not None:
            update_picture(self.guides / f"{guide}.png", data)
        return path


def update_picture(path: Path, screenshot: bytes) -> None:
    """Replace a guide's picture when the page looks different, not when only a clock moved.

    The pictures are committed. Times, hashes and temporary paths differ on every run and change
    well under 1 % of the pixels; a changed layout moves far more. To refresh a picture after a
    small change of wording, delete it and run the tests. Pillow comes with WeasyPrint.
    """
    try:
        from PIL import Image, ImageChops
    except ImportError:
        path.write_bytes(screenshot)
        return
    with Image.open(io.BytesIO(screenshot)) as image:
        new = image.convert("RGB")
    if path.exists():
        with Image.open(path) as image:
            old = image.convert("RGB")
        if old.size == new.size:
            changed = ImageChops.difference(old, new).convert("L").point(
                lambda v: 255 if v > PIXEL_TOLERANCE else 0).histogram()[255]
            if changed < SAME_PICTURE_SHARE * new.width * new.height:
                return
    # A 128-colour palette: a third of the size, the same look.
    palette = new.quantize(colors=128, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    palette.save(path, "PNG", optimize=True)


@pytest.fixture(scope="module")
def screens() -> Screens:
    """Return the screenshot writer (artifacts/e2e/ and docs/guides/img/)."""
    return Screens(ARTIFACTS, GUIDE_IMAGES)
