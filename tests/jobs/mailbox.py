"""A real SMTP server on loopback (aiosmtpd) that keeps what it receives, and can stall."""

from __future__ import annotations

import asyncio
import email
import socket
import threading
import time
from collections.abc import Callable
from email.message import EmailMessage
from email.policy import default
from typing import Any

from aiosmtpd.controller import Controller


def free_port() -> int:
    """Return a free TCP port on the loopback interface."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Mailbox:
    """An aiosmtpd handler: every accepted message, parsed; `hold()` stalls the next RCPT."""

    def __init__(self) -> None:
        self.port = 0
        self.messages: list[EmailMessage] = []
        self.open = threading.Event()
        self.open.set()
        self.stalled = threading.Event()

    def hold(self) -> None:
        """Stall the next client at RCPT until `release()` (a worker busy mid-job)."""
        self.stalled.clear()
        self.open.clear()

    def release(self) -> None:
        """Let stalled clients go on."""
        self.open.set()

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str,
                          rcpt_options: list[str]) -> str:
        """Accept a recipient, after waiting while the mailbox is held."""
        if not self.open.is_set():
            self.stalled.set()
            while not self.open.is_set():
                await asyncio.sleep(0.05)
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        """Keep the message."""
        message = email.message_from_bytes(envelope.content, policy=default)
        self.messages.append(message)  # type: ignore[arg-type]
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list[EmailMessage]:
        """Return the messages addressed to `address`."""
        return [m for m in self.messages if m["To"] == address]


def text_of(message: EmailMessage) -> str:
    """Return the plain-text body of a message."""
    return message.get_body(preferencelist=("plain",)).get_content()


def html_of(message: EmailMessage) -> str:
    """Return the HTML body of a message."""
    return message.get_body(preferencelist=("html",)).get_content()


def wait_for(condition: Callable[[], bool], timeout: float = 30.0, what: str = "") -> None:
    """Poll until `condition()` holds, or fail after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what or condition}")


def start_smtp() -> tuple[Controller, Mailbox]:
    """Start an SMTP server on a free loopback port."""
    mailbox = Mailbox()
    mailbox.port = free_port()
    controller = Controller(mailbox, hostname="127.0.0.1", port=mailbox.port)
    controller.start()
    return controller, mailbox
