"""The fixture world of the security suite: two manufacturers, staff, and the first one's objects.

Built once per package through the real services (an issued certificate costs seconds). Tests
keep ids, numbers and bearer tokens, never ORM objects, so any app context can use them.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import func, select

from labcert.extensions import db
from labcert.models import Certificate, Instrument, Organization, TestResult, User
from labcert.rules.checks import luhn_check_digit
from labcert.services.applications import submit_application
from labcert.services.organizations import set_logo
from labcert.services.results import add_results
from labcert.services.samples import add_sample
from labcert.services.tokens import issue_token
from labcert.services.watches import watch
from tests.factories import approve, make_instrument, make_organization, make_user
from tests.workflow.conftest import Lab, example, result_items

LOGO = (b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
        b'<rect width="10" height="10" fill="#0b5d4b"/></svg>')


@dataclass(frozen=True)
class World:
    """Who is who, and the ids of the first manufacturer's objects."""

    user_ids: dict[str, int]
    emails: dict[str, str]
    bearer: dict[str, str]
    spare_token_ids: dict[str, int]
    maker_org_id: int
    lab_org_id: int
    application_id: int
    certificate: str
    result_id: int
    instrument_id: int

    def user(self, key: str) -> User:
        """Return the user row of `key` in the current session."""
        return db.session.get(User, self.user_ids[key])

    def lab(self) -> Lab:
        """Return the workflow tests' Lab helper on this world's rows (current session)."""
        return Lab(manufacturer=db.session.get(Organization, self.maker_org_id),
                   instrument=db.session.get(Instrument, self.instrument_id),
                   **{key: self.user(key) for key in ("technician", "reviewer",
                                                      "other_reviewer", "maker", "other_maker")})


# Who signs in for each role; the manufacturer is the owner of the world's objects.
ROLE_USER = {"admin": "admin", "technician": "technician", "reviewer": "reviewer",
             "manufacturer": "maker", "exporter": "exporter"}


def build_world() -> World:
    """Create the people and issue one certificate for the first manufacturer."""
    maker_org = make_organization(name="Air Link Communication Ltd", kind="manufacturer")
    other_org = make_organization(name="Indus Mobile (Pvt) Ltd", kind="manufacturer")
    lab_org = make_organization(name="LabCert Test Laboratory", kind="lab", address="Lahore",
                                accreditation_number="PNAC-TL-TEST")
    people = {"admin": make_user("admin"), "technician": make_user("technician"),
              "reviewer": make_user("reviewer"), "other_reviewer": make_user("reviewer"),
              "maker": make_user("manufacturer", organization=maker_org),
              "spare": make_user("manufacturer", organization=maker_org),
              "other_maker": make_user("manufacturer", organization=other_org),
              "exporter": make_user("exporter"),
              "retired": make_user("technician", is_active_account=False)}
    instrument = make_instrument()
    lab = Lab(technician=people["technician"], reviewer=people["reviewer"],
              other_reviewer=people["other_reviewer"], manufacturer=maker_org,
              maker=people["maker"], other_maker=people["other_maker"], instrument=instrument)
    approval = approve(people["reviewer"], lab.submitted().id)
    result_id = db.session.scalar(select(func.min(TestResult.id)).where(
        TestResult.application_id == approval.application.id))
    set_logo(people["admin"], lab_org.id, LOGO)  # after issuing: the logo form needs one
    watch(people["exporter"], approval.certificates[0].number)  # the watch list shows a form
    bearer = {key: issue_token(None, user, days=30)[0] for key, user in people.items()}
    spare = {key: issue_token(None, user, days=30, name="spare")[1].id
             for key, user in people.items()}
    return World(user_ids={k: u.id for k, u in people.items()},
                 emails={k: u.email for k, u in people.items()}, bearer=bearer,
                 spare_token_ids=spare, maker_org_id=maker_org.id, lab_org_id=lab_org.id,
                 application_id=approval.application.id,
                 certificate=approval.certificates[0].number, result_id=result_id,
                 instrument_id=instrument.id)


_serial = itertools.count(900001)


def new_imei(tac: str) -> str:
    """Return an IMEI never used before in this run, with a valid check digit."""
    body = f"{tac}{next(_serial):06d}"
    return body + str(luhn_check_digit(body))


def clone_certificate(number: str) -> str:
    """Register a copy of a certificate's row under a new number, valid, without its PDF.

    Lifecycle probes use certificates up; issuing a real one takes seconds (render and sign),
    while status changes and amendments need only the row and its snapshot.
    """
    original = db.session.scalar(select(Certificate).where(Certificate.number == number))
    copy = {c.key: getattr(original, c.key) for c in Certificate.__mapper__.column_attrs
            if c.key not in ("id", "number", "base_number", "revision", "status", "pdf",
                             "status_reason", "status_changed_at", "superseded_by_id",
                             "status_list", "status_index")}  # one status bit per certificate
    clone_number = f"LC-{original.year}-9{next(_serial):05d}"
    db.session.add(Certificate(number=clone_number, base_number=clone_number, revision=0,
                               status="valid", pdf=b"%PDF-1.7 copy without content", **copy))
    db.session.commit()
    return clone_number


def application_in_testing(world: World, *, submit: bool = False) -> int:
    """Open an application with a sample and results (in testing, or submitted)."""
    lab = world.lab()
    application = lab.open()
    sample = add_sample(lab.technician, application.id, imei=new_imei(example().product.tacs[0]),
                        received_at=date.today() - timedelta(days=3))
    # a fresh instrument: probes of the instrument pages may change the world's declared tests
    add_results(lab.technician, application.id,
                result_items(example(), make_instrument(), sample.imei)[:2])
    if submit:
        submit_application(lab.technician, application.id)
    return application.id


def fresh_objects(world: World) -> dict[str, dict[str, object]]:
    """Create objects a probe may use up, and return URL values for each state of them.

    Keyed by what differs: the application's state (`draft`, `testing` with a sample and the
    results, `submitted`, `approved`: the world's, with its certificate), the lab's own
    organisation (`lab`, which has a logo form) and a deactivated account (`retired`).
    `number` is a fresh valid copy of the certificate, `result_id` a result under test.
    """
    from tests.security.routes import world_values

    testing = application_in_testing(world)
    base = {**world_values(world), "number": clone_certificate(world.certificate),
            "instrument_id": make_instrument().id,
            "token_id": issue_token(None, world.user("maker"), days=30, name="probe")[1].id,
            "result_id": db.session.scalar(select(func.min(TestResult.id)).where(
                TestResult.application_id == testing))}
    return {"draft": {**base, "application_id": world.lab().open().id},
            "testing": {**base, "application_id": testing},
            "submitted": {**base, "application_id": application_in_testing(world, submit=True)},
            "approved": base,
            "lab": {**base, "organization_id": world.lab_org_id},
            "retired": {**base, "user_id": world.user_ids["retired"]}}
