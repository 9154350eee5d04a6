"""Run one approval in this process and SIGKILL it right after the certificate number is taken.

Started by test_kill_during_approval.py as `python -m tests.faults.kill_after_allocation
REVIEWER_ID APPLICATION_ID`, with the LABCERT_* environment of the test database. It prints
the number it took (never committed) and dies the way a killed server worker dies: no
rollback, no exception handler, no atexit.
"""

from __future__ import annotations

import os
import signal
import sys

import labcert.services.issuance as issuance
from labcert import create_app
from labcert.extensions import db
from labcert.models import User
from tests.factories import approve


def allocate_then_die(year: int) -> tuple[str, int]:
    """Take the number as the approval does, flush it to the database, then die."""
    taken = allocate_number(year)
    db.session.flush()
    print(taken[0], flush=True)
    os.kill(os.getpid(), signal.SIGKILL)
    raise AssertionError("unreachable: the process was killed")


allocate_number = issuance.allocate_number


def main(reviewer_id: int, application_id: int) -> None:
    """Approve the application with the hook in place."""
    issuance.allocate_number = allocate_then_die
    with create_app().app_context():
        approve(db.session.get(User, reviewer_id), application_id)


if __name__ == "__main__":
    main(int(sys.argv[1]), int(sys.argv[2]))
