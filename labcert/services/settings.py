"""What use cases need from the installation, handed to them by their caller.

A service never reads `current_app`: the page, API endpoint, CLI command or background job that
calls it passes a `ServiceSettings` (see `labcert.runtime.service_settings`), so the same use case
runs in a request, a command or a worker, and a test can hand it a fixed clock or signer.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Protocol

from labcert.models import utcnow
from labcert.pki import LabSigner


class SignerSource(Protocol):
    """A port that hands out the key that signs now (it may change while a process runs)."""

    def current(self) -> LabSigner:
        """Return the signer to use for the next signature."""


@dataclass(frozen=True)
class ServiceSettings:
    """The public base URL, the lab's fallback name, the signer and the clock."""

    public_url: str
    lab_name: str
    signers: SignerSource
    clock: Callable[[], datetime] = field(default=utcnow)

    def signer(self) -> LabSigner:
        """Return the lab's signer (an unusable key raises SigningKeyError here)."""
        return self.signers.current()

    def now(self) -> datetime:
        """Return the current time, aware, in UTC."""
        return self.clock()

    def today(self) -> date:
        """Return today's date in UTC."""
        return self.clock().date()

    def verification_url(self, number: str) -> str:
        """Return the public status page of a certificate."""
        return f"{self.public_url}/verify/{number}"
