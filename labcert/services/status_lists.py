"""The lab's Bitstring Status Lists: an index for each certificate, lists re-signed on each change.

Each list row holds 131 072 indexes and publishes them twice, as a suspension list and as a
revocation list (``lifecycles.certificate.STATUS_LIST_PURPOSE`` says which status sets which
bit). A list is signed again inside the transaction that changes a status, so the list served
after a suspension already carries its bit. The list row is locked before any certificate row
is written (allocation and status changes alike), so two changes in one list take turns and
never publish a list that misses the other's bit.
"""

from __future__ import annotations

import hashlib

from sqlalchemy import func, select
from sqlalchemy.dialects import postgresql, sqlite

from labcert.credentials import MIN_ENTRIES, STATUS_PURPOSES, issue_status_list
from labcert.errors import NotFound
from labcert.extensions import db
from labcert.lifecycles.certificate import STATUS_LIST_PURPOSE
from labcert.models import Certificate, StatusList
from labcert.pki import LabSigner
from labcert.services.credential_keys import credential_signer
from labcert.services.settings import ServiceSettings

SIZE = MIN_ENTRIES
PATH = "/api/v1/status-lists"


def list_id(purpose: str, number: int) -> str:
    """Return the public id of a list: its purpose and number, e.g. ``revocation-1``."""
    return f"{purpose}-{number}"


def list_url(public_url: str, purpose: str, number: int) -> str:
    """Return the URL at which the lab serves a status list credential."""
    return f"{public_url.rstrip('/')}{PATH}/{list_id(purpose, number)}"


def _ensure(number: int) -> None:
    """Create the list row if missing, without racing another transaction."""
    dialect = postgresql if db.engine.dialect.name == "postgresql" else sqlite
    db.session.execute(
        dialect.insert(StatusList).values(number=number, allocated=0).on_conflict_do_nothing()
    )


def lock(number: int) -> StatusList:
    """Return the list row locked until the transaction ends."""
    _ensure(number)
    return db.session.execute(
        select(StatusList).where(StatusList.number == number)
        .with_for_update().execution_options(populate_existing=True)
    ).scalar_one()


def allocate_index(settings: ServiceSettings, signer: LabSigner) -> tuple[int, int]:
    """Take the next free index (list number, index) inside the caller's transaction."""
    number = db.session.scalar(select(func.max(StatusList.number))) or 1
    row = lock(number)
    if row.allocated >= SIZE:
        row = lock(number + 1)
    index = row.allocated
    row.allocated += 1
    if row.suspension_credential is None:  # a new list: publish it before anyone asks
        publish(row, settings, signer)
    db.session.flush()
    return row.number, index


def publish(row: StatusList, settings: ServiceSettings, signer: LabSigner) -> None:
    """Sign the list's suspension and revocation credentials from the certificates' statuses."""
    bits: dict[str, list[int]] = {purpose: [] for purpose in STATUS_PURPOSES}
    db.session.flush()  # the status the caller just set must be among the rows read below
    placed = db.session.execute(
        select(Certificate.status_index, Certificate.status)
        .where(Certificate.status_list == row.number)
    ).all()
    for index, status in placed:
        purpose = STATUS_LIST_PURPOSE[status]
        if purpose is not None and index is not None:
            bits[purpose].append(index)
    jws = credential_signer(signer)
    now = settings.now()
    for purpose in STATUS_PURPOSES:
        token = issue_status_list(
            public_url=settings.public_url, list_url=list_url(settings.public_url, purpose,
                                                              row.number),
            purpose=purpose, set_indexes=bits[purpose], valid_from=now, signer=jws, size=SIZE,
        ).token
        setattr(row, f"{purpose}_credential", token)
    row.updated_at = now


def hold(number: int | None) -> StatusList | None:
    """Lock a certificate's list before its status changes (None: issued before lists existed)."""
    return lock(number) if number is not None else None


def publish_held(row: StatusList | None, settings: ServiceSettings,
                 signer: LabSigner | None = None) -> None:
    """Re-sign a held list after the status change (nothing for a certificate without one)."""
    if row is not None:
        publish(row, settings, signer or settings.signer())


def status_list_credential(identifier: str) -> tuple[str, str]:
    """Return a published list credential (vc+jwt) and its ETag, or 404 for an unknown list."""
    purpose, _, number = identifier.rpartition("-")
    row = None
    if purpose in STATUS_PURPOSES and number.isdigit() and len(number) < 10:
        row = db.session.get(StatusList, int(number))
    token = row.credential(purpose) if row is not None else None
    if token is None:
        raise NotFound(f"No status list {identifier!r}: the lab publishes "
                       "suspension-N and revocation-N lists, named in each credential.")
    return token, hashlib.sha256(token.encode("ascii")).hexdigest()[:32]
