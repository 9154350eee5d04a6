"""The plain values a certificate's credential is built from; callers fill them in."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

SUSPENSION, REVOCATION = "suspension", "revocation"
STATUS_PURPOSES = (SUSPENSION, REVOCATION)


@dataclass(frozen=True)
class ProductFacts:
    """The assessed product as the certificate names it."""

    brand: str
    model: str
    marketing_name: str | None = None
    category: str | None = None
    hardware_version: str | None = None
    software_version: str | None = None
    tacs: tuple[str, ...] = ()


@dataclass(frozen=True)
class CriterionOutcome:
    """One criterion's verdict; ``conforms`` says whether the market accepts that verdict."""

    criterion: str
    title: str
    verdict: str
    conforms: bool
    standard: str | None = None


@dataclass(frozen=True)
class StatusRef:
    """Where one of the certificate's status bits lives: a list URL, its purpose and an index."""

    purpose: str
    list_url: str
    index: int

    def __post_init__(self) -> None:
        """Refuse a purpose or index the Bitstring Status List cannot express."""
        if self.purpose not in STATUS_PURPOSES:
            raise ValueError(
                f"status purpose must be one of {STATUS_PURPOSES}, not {self.purpose!r}"
            )
        if not isinstance(self.index, int) or self.index < 0:
            raise ValueError(f"status index must be a non-negative integer, not {self.index!r}")


@dataclass(frozen=True)
class CertificateLink:
    """The human-readable certificate the credential points at: its URL and the SHA-256 of it."""

    url: str
    sha256: str
    media_type: str = "application/pdf"


@dataclass(frozen=True)
class ConformityFacts:
    """Everything one certificate's Digital Conformity Credential states."""

    public_url: str
    number: str
    revision: int
    issued_at: dt.datetime
    valid_until: dt.date
    lab_name: str
    lab_accreditation: str
    holder_name: str
    holder_country: str
    product: ProductFacts
    market: str
    market_title: str
    criteria_set: str  # id@version
    standards: tuple[str, ...]
    decision_rule: str
    outcomes: tuple[CriterionOutcome, ...]
    status: tuple[StatusRef, ...] = ()
    certificate: CertificateLink | None = None
    holder_address: str | None = None
    supersedes: str | None = None

    def __post_init__(self) -> None:
        """Refuse facts that would make a credential without a time zone or without outcomes."""
        if self.issued_at.tzinfo is None:
            raise ValueError("issued_at must carry a time zone (UTC)")
        if not self.outcomes:
            raise ValueError("a conformity credential needs at least one criterion outcome")
