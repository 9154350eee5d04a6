"""Daily: archival time-stamps for certificates whose TSA certificate ends within a year."""

from __future__ import annotations

from labcert.jobs.schedule import daily
from labcert.services.archive import DEFAULT_WITHIN_DAYS, refresh_archive, stamping_for
from labcert.services.settings import ServiceSettings
from labcert.services.signing_keys import RegisteredSigners


@daily("pki.refresh-archive")
def renew_archives(settings: ServiceSettings) -> str:
    """Renew the time-stamps that near their authority's end, as `labcert pki refresh-archive`."""
    signers = settings.signers
    if not isinstance(signers, RegisteredSigners) or not signers.configured.tsa_url:
        return "no time-stamping authority configured: nothing to renew"
    report = refresh_archive(stamping_for(signers), now=settings.now(),
                             within_days=DEFAULT_WITHIN_DAYS)
    failed = "".join(f"; {number}: {reason}" for number, reason in report.failed)
    return (f"examined {report.examined}, renewed {len(report.renewed)},"
            f" failed {len(report.failed)}{failed}")
