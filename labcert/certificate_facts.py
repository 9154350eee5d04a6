"""What a certificate states, as one typed value: built at issuance, serialised once.

The PDF, the attached JSON, the QR seal, the public status and the API are all made from a
`CertificateFacts`. Its JSON form is exactly the snapshot the registry stores, so a certificate
re-rendered from its stored facts is byte-identical. This module is a leaf: it knows nothing of
the database, the services or Flask.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import threading
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from labcert.rules.frozen import FrozenDict, freeze, thaw

SIGNATORY_ROLE = "Authorized signatory (reviewer)"


@dataclass(frozen=True)
class Identity:
    """The certificate's number, revision, dates and predecessor."""

    number: str
    display_number: str
    revision: int
    issued_at: dt.datetime
    valid_until: dt.date
    supersedes: str | None = None
    amendment_reason: str | None = None

    @property
    def issued_on(self) -> dt.date:
        """Return the UTC day of issue (the day the certificate prints)."""
        return self.issued_at.astimezone(dt.UTC).date()


@dataclass(frozen=True)
class Lab:
    """The issuing lab as it was when the certificate was issued."""

    name: str
    address: str
    country: str
    accreditation_number: str
    logo_sha256: str | None


@dataclass(frozen=True)
class Signatory:
    """The reviewer who approved and signed."""

    name: str
    role: str = SIGNATORY_ROLE


@dataclass(frozen=True)
class Holder:
    """The manufacturer that holds the certificate."""

    name: str
    address: str
    country: str
    factory_sites: tuple[str, ...]


@dataclass(frozen=True)
class Product:
    """The certified model."""

    brand: str
    model: str
    marketing_name: str
    category: str
    hardware_version: str
    software_version: str
    technologies: tuple[str, ...]
    bands: tuple[str, ...]
    tacs: tuple[str, ...]


@dataclass(frozen=True)
class SampleFact:
    """One device that was tested."""

    imei: str
    serial: str
    received_at: dt.date
    condition: str


@dataclass(frozen=True)
class Market:
    """The target market and the criteria set the product was judged against."""

    id: str
    title: str
    criteria_set: str
    standards: tuple[str, ...]
    decision_rule_text: str
    # The certificate's languages, English first; only a bilingual one records them, so the
    # snapshots of English certificates are what they always were.
    languages: tuple[str, ...] = ("en",)

    def to_json(self) -> dict[str, Any]:
        """Return the market as the snapshot stores it."""
        data = {**dataclasses.asdict(self), "standards": list(self.standards),
                "languages": list(self.languages)}
        if self.languages == ("en",):
            del data["languages"]
        return data


# Fields a reviewer may change in an amendment, and the part of the facts each belongs to.
AMENDABLE: Mapping[str, str] = {
    "marketing_name": "product", "software_version": "product", "hardware_version": "product",
    "address": "holder", "factory_sites": "holder",
}


@dataclass(frozen=True)
class CertificateFacts:
    """Every fact a certificate states; `evaluation` is the rule engine's answer as approved."""

    certificate: Identity
    lab: Lab
    signatory: Signatory
    holder: Holder
    product: Product
    samples: tuple[SampleFact, ...]
    application_number: str
    market: Market
    evaluation: FrozenDict[Any]
    engine_version: str

    @property
    def number(self) -> str:
        """Return the number as printed (with the revision suffix)."""
        return self.certificate.display_number

    @property
    def verdict(self) -> str:
        """Return the overall verdict of the evaluation behind the certificate."""
        return str(self.evaluation.get("verdict", ""))

    def to_json(self) -> dict[str, Any]:
        """Return the JSON-safe snapshot the registry stores and the PDF attaches."""
        cert = self.certificate
        return {
            "certificate": {"number": cert.number, "revision": cert.revision,
                            "display_number": cert.display_number,
                            "issued_at": cert.issued_at.isoformat(),
                            "valid_until": cert.valid_until.isoformat(),
                            "supersedes": cert.supersedes,
                            "amendment_reason": cert.amendment_reason},
            "lab": dataclasses.asdict(self.lab),
            "signatory": dataclasses.asdict(self.signatory),
            "holder": {**dataclasses.asdict(self.holder),
                       "factory_sites": list(self.holder.factory_sites)},
            "product": {**dataclasses.asdict(self.product),
                        **{k: list(getattr(self.product, k))
                           for k in ("technologies", "bands", "tacs")}},
            "samples": [{**dataclasses.asdict(s), "received_at": s.received_at.isoformat()}
                        for s in self.samples],
            "application": {"number": self.application_number},
            "market": self.market.to_json(),
            "evaluation": thaw(self.evaluation),
            "engine_version": self.engine_version,
        }

    def canonical_json(self) -> bytes:
        """Serialise as canonical JSON: sorted keys, compact separators, UTF-8, no NaN."""
        return canonical_json(self.to_json())

    def sha256(self) -> str:
        """Return the hex SHA-256 of the canonical JSON (the attached file)."""
        return hashlib.sha256(self.canonical_json()).hexdigest()

    def qr_facts(self) -> dict[str, Any]:
        """Return the facts the QR seal states about this certificate."""
        cert = self.certificate
        return {"number": cert.display_number, "revision": cert.revision,
                "holder": self.holder.name, "model": self.product.model,
                "market": self.market.id, "issued_on": cert.issued_on.isoformat(),
                "valid_until": cert.valid_until.isoformat(), "data_sha256": self.sha256()}

    def amended(self, *, number: str, revision: int, issued_at: dt.datetime, supersedes: str,
                reason: str, changes: Mapping[str, Any], signatory: Signatory,
                lab: Lab) -> CertificateFacts:
        """Return the facts of a new revision: the changes applied, a new identity and signer."""
        parts = {"product": {}, "holder": {}}  # type: dict[str, dict[str, Any]]
        for key, value in changes.items():
            parts[AMENDABLE[key]][key] = tuple(value) if key == "factory_sites" else value
        identity = dataclasses.replace(self.certificate, number=number, display_number=number,
                                       revision=revision, issued_at=issued_at,
                                       supersedes=supersedes, amendment_reason=reason)
        return dataclasses.replace(
            self, certificate=identity, signatory=signatory, lab=lab,
            product=dataclasses.replace(self.product, **parts["product"]),
            holder=dataclasses.replace(self.holder, **parts["holder"]))

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> CertificateFacts:
        """Read a stored snapshot back (every key as `to_json` writes it)."""
        cert, product = data["certificate"], data["product"]
        return cls(
            certificate=Identity(
                number=cert["number"], display_number=cert["display_number"],
                revision=int(cert["revision"]),
                issued_at=dt.datetime.fromisoformat(cert["issued_at"]),
                valid_until=dt.date.fromisoformat(cert["valid_until"]),
                supersedes=cert["supersedes"], amendment_reason=cert["amendment_reason"]),
            lab=Lab(**data["lab"]),
            signatory=Signatory(**data["signatory"]),
            holder=Holder(**{**data["holder"],
                             "factory_sites": tuple(data["holder"]["factory_sites"])}),
            product=Product(**{**product, **{k: tuple(product[k])
                                             for k in ("technologies", "bands", "tacs")}}),
            samples=tuple(SampleFact(**{**s, "received_at": dt.date.fromisoformat(
                s["received_at"])}) for s in data["samples"]),
            application_number=data["application"]["number"],
            market=Market(**{**data["market"], "standards": tuple(data["market"]["standards"]),
                             "languages": tuple(data["market"].get("languages", ("en",)))}),
            evaluation=freeze(data["evaluation"]),
            engine_version=data["engine_version"],
        )


_PARSED: OrderedDict[str, CertificateFacts] = OrderedDict()
_PARSED_MAX = 4096
_PARSED_LOCK = threading.Lock()


def cached_facts(data_sha256: str, load: Callable[[], Mapping[str, Any]]) -> CertificateFacts:
    """Return the facts whose canonical JSON has this SHA-256, parsing the snapshot only once.

    Facts never change for a given hash, so every process keeps the last few thousand it read:
    a public status lookup then neither loads nor parses the snapshot again.
    """
    with _PARSED_LOCK:
        facts = _PARSED.get(data_sha256)
        if facts is not None:
            _PARSED.move_to_end(data_sha256)
            return facts
    facts = CertificateFacts.from_json(load())
    with _PARSED_LOCK:
        _PARSED[data_sha256] = facts
        while len(_PARSED) > _PARSED_MAX:
            _PARSED.popitem(last=False)
    return facts


def canonical_json(data: Mapping[str, Any]) -> bytes:
    """Serialise JSON-safe data canonically: sorted keys, compact, UTF-8, no NaN, no floats."""
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                      allow_nan=False, default=_refuse).encode("utf-8")


def _refuse(value: object) -> Any:
    raise TypeError(
        f"{type(value).__name__} {value!r} is not JSON-safe: store Decimals and dates as strings"
    )
