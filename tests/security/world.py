"""The fixture world of the security suite: two manufacturers, staff, and the first one's objects.

Built once per package through the real services (an issued certificate costs seconds). Tests
keep ids, numbers and bearer tokens, never ORM objects, so any app context can use them.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select, text

from labcert.extensions import db
from labcert.models import TestResult
from labcert.services.review import approve
from labcert.services.tokens import issue_token
from tests.factories import make_instrument, make_organization, make_user
from tests.workflow.conftest import Lab

# Rows that may change on any request by design: every public verification is logged.
LOGGED_ON_READ = frozenset({"verification_log"})


@dataclass(frozen=True)
class World:
    """Who is who, and the ids of the first manufacturer's objects."""

    user_ids: dict[str, int]
    emails: dict[str, str]
    bearer: dict[str, str]
    spare_token_ids: dict[str, int]
    maker_org_id: int
    other_org_id: int
    application_id: int
    draft_id: int
    certificate: str
    result_id: int
    instrument_id: int

    def user(self, key: str) -> Any:
        """Return the user row of `key` in the current session."""
        from labcert.models import User

        return db.session.get(User, self.user_ids[key])


# Who signs in for each role; the manufacturer is the owner of the world's objects.
ROLE_USER = {"admin": "admin", "technician": "technician", "reviewer": "reviewer",
             "manufacturer": "maker", "exporter": "exporter"}


def build_world() -> World:
    """Create the people and issue one certificate for the first manufacturer."""
    maker_org = make_organization(name="Air Link Communication Ltd", kind="manufacturer")
    other_org = make_organization(name="Indus Mobile (Pvt) Ltd", kind="manufacturer")
    make_organization(name="LabCert Test Laboratory", kind="lab", address="Lahore",
                      accreditation_number="PNAC-TL-TEST")
    people = {"admin": make_user("admin"), "technician": make_user("technician"),
              "reviewer": make_user("reviewer"), "other_reviewer": make_user("reviewer"),
              "maker": make_user("manufacturer", organization=maker_org),
              "spare": make_user("manufacturer", organization=maker_org),
              "other_maker": make_user("manufacturer", organization=other_org),
              "exporter": make_user("exporter")}
    instrument = make_instrument()
    lab = Lab(technician=people["technician"], reviewer=people["reviewer"],
              other_reviewer=people["other_reviewer"], manufacturer=maker_org,
              maker=people["maker"], other_maker=people["other_maker"], instrument=instrument)
    approval = approve(people["reviewer"], lab.submitted().id)
    draft = lab.open()
    result_id = db.session.scalar(select(func.min(TestResult.id)).where(
        TestResult.application_id == approval.application.id))
    bearer = {key: issue_token(None, user, days=30)[0] for key, user in people.items()}
    spare = {key: issue_token(None, user, days=30, name="spare")[1].id
             for key, user in people.items()}
    return World(user_ids={k: u.id for k, u in people.items()},
                 emails={k: u.email for k, u in people.items()}, bearer=bearer,
                 spare_token_ids=spare, maker_org_id=maker_org.id, other_org_id=other_org.id,
                 application_id=approval.application.id, draft_id=draft.id,
                 certificate=approval.certificates[0].number, result_id=result_id,
                 instrument_id=instrument.id)


def fingerprint(ignore: frozenset[str] = LOGGED_ON_READ) -> dict[str, str]:
    """Return a digest of every table's rows, so any insert, update or delete shows."""
    digests = {}
    for table in db.metadata.sorted_tables:
        if table.name in ignore:
            continue
        order = ", ".join(f'"{c.name}"' for c in table.primary_key.columns)
        rows = db.session.execute(text(f'SELECT * FROM "{table.name}" ORDER BY {order}'))
        digest = hashlib.sha256()
        for row in rows:
            digest.update(repr(tuple(row)).encode())
        digests[table.name] = digest.hexdigest()
    db.session.rollback()
    return digests


def changed_tables(before: dict[str, str]) -> list[str]:
    """Name the tables whose rows differ from `before`."""
    after = fingerprint()
    return sorted(name for name, digest in after.items() if before.get(name) != digest)
