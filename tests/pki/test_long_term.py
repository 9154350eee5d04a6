"""Years later: signatures validated at their proven time, across expiry, rotation and renewal."""

from __future__ import annotations

import datetime as dt
from io import BytesIO

import pytest
import time_machine
from pyhanko.pdf_utils.reader import PdfFileReader

from labcert.pki import (
    ArchiveError,
    KeyRecord,
    add_archival_timestamp,
    archive_due,
    latest_timestamp,
    make_timestamper,
    verify_pdf,
)
from labcert.pki.verify import PdfCheck
from tests.pki.conftest import check, make_signer
from tests.pki.loopback import LoopbackPki

YEAR = dt.timedelta(days=365)


def _verify(pdf: bytes, pki: LoopbackPki, keys: object = None) -> PdfCheck:
    return verify_pdf(pdf, [pki.root], keys if keys is not None else pki.cert("lab"))


def _signing_time(pdf: bytes) -> dt.datetime:
    stamp = latest_timestamp(pdf)
    assert stamp is not None
    reader = PdfFileReader(BytesIO(pdf))
    return reader.embedded_regular_signatures[0].self_reported_timestamp or stamp.at


@pytest.mark.parametrize("level", ["B-T", "B-LT", "B-LTA"])
def test_a_time_stamped_certificate_verifies_after_its_signing_certificate_expires(
    signed: dict[str, bytes], loopback: LoopbackPki, level: str
) -> None:
    signed_at = _signing_time(signed[level])
    with time_machine.travel(loopback.expires("lab") + dt.timedelta(days=30), tick=True):
        result = _verify(signed[level], loopback)

    assert result.authentic, result.checks
    assert result.validated_at is not None
    assert abs(result.validated_at - signed_at) < dt.timedelta(minutes=1)
    assert result.validated_at < loopback.expires("lab")
    assert "Test TSA 1" in (result.validated_by or "")
    assert "has since expired" in check(result, "signer").message


def test_b_b_is_checked_against_todays_validity_and_fails_once_the_certificate_expires(
    signed: dict[str, bytes], loopback: LoopbackPki
) -> None:
    today = _verify(signed["B-B"], loopback)
    with time_machine.travel(loopback.expires("lab") + dt.timedelta(days=30), tick=True):
        later = _verify(signed["B-B"], loopback)

    assert today.authentic and today.validated_by is None
    assert "checked against the signing certificate's validity today" in check(
        today, "signature").message
    assert not later.authentic
    assert not check(later, "signer").ok
    assert "outside its validity period today" in check(later, "signer").message
    assert "B-B signature has no time-stamp" in check(later, "signer").message


def test_after_a_rotation_certificates_of_the_old_key_still_verify(
    signed: dict[str, bytes], loopback: LoopbackPki, unsigned: bytes
) -> None:
    rotated_at = loopback.built_at + dt.timedelta(days=100)
    history = [KeyRecord(loopback.cert("lab"), retired_at=rotated_at),
               KeyRecord(loopback.cert("lab-next"), first_used_at=rotated_at)]
    with time_machine.travel(rotated_at + dt.timedelta(hours=1), tick=True):
        after_rotation = make_signer(loopback, "B-LTA", key="lab-next").sign_pdf(unsigned)
    with time_machine.travel(loopback.expires("lab") + dt.timedelta(days=30), tick=True):
        old = _verify(signed["B-LTA"], loopback, history)
        new = _verify(after_rotation, loopback, history)
        pinned_to_current = _verify(signed["B-LTA"], loopback, loopback.cert("lab-next"))

    assert old.authentic, old.checks
    assert "The key has since been retired" in check(old, "signer").message
    assert new.authentic, new.checks
    assert new.signer_fingerprint == history[1].fingerprint != old.signer_fingerprint
    assert not pinned_to_current.authentic  # the key history is what keeps old ones authentic


def test_archival_renewal_keeps_b_lta_provable_after_the_first_tsa_expires(
    signed: dict[str, bytes], loopback: LoopbackPki
) -> None:
    original = signed["B-LTA"]
    tsa_expiry = loopback.expires("tsa")
    assert not archive_due(original, YEAR, dt.datetime.now(dt.UTC))
    renewal_day = tsa_expiry - dt.timedelta(days=200)
    with time_machine.travel(renewal_day, tick=True):
        assert archive_due(original, YEAR, dt.datetime.now(dt.UTC))
        renewer = make_signer(loopback, "B-LTA", key="lab", tsa="tsa2")
        renewed = add_archival_timestamp(
            original, make_timestamper(loopback.tsa_url("tsa2")), renewer.validation_context()
        )
        assert not archive_due(renewed, YEAR, dt.datetime.now(dt.UTC))
    with time_machine.travel(tsa_expiry + dt.timedelta(days=30), tick=True):
        unrenewed = _verify(original, loopback)
        kept = _verify(renewed, loopback)

    assert renewed.startswith(original)  # an earlier download is a prefix of the renewed file
    assert len(PdfFileReader(BytesIO(renewed)).embedded_timestamp_signatures) == 2
    assert kept.authentic, kept.checks
    assert kept.validated_at is not None and kept.validated_at < loopback.expires("lab")
    assert kept.attached_json == unrenewed.attached_json is not None
    assert not unrenewed.authentic
    assert "not renewed with an archival time-stamp" in check(unrenewed, "signer").message
    assert "/Version" not in PdfFileReader(BytesIO(renewed)).root


def test_a_b_b_certificate_has_nothing_to_renew(signed: dict[str, bytes]) -> None:
    assert latest_timestamp(signed["B-B"]) is None
    assert not archive_due(signed["B-B"], 100 * YEAR, dt.datetime.now(dt.UTC))
    with pytest.raises(ArchiveError, match="no time-stamp"):
        add_archival_timestamp(signed["B-B"], make_timestamper("http://127.0.0.1:9/"), None)


def test_a_compromised_key_flips_exactly_the_certificates_signed_after_the_date(
    signed: dict[str, bytes], loopback: LoopbackPki, unsigned: bytes
) -> None:
    since = loopback.built_at + dt.timedelta(days=30)
    compromised = [KeyRecord(loopback.cert("lab"), compromised_since=since)]
    with time_machine.travel(since + dt.timedelta(days=30), tick=True):
        after = make_signer(loopback, "B-LTA").sign_pdf(unsigned)  # with the stolen key
        before_ok = _verify(signed["B-LTA"], loopback, compromised)
        after_bad = _verify(after, loopback, compromised)
        unproven = _verify(signed["B-B"], loopback, compromised)
        clean = _verify(after, loopback, [KeyRecord(loopback.cert("lab"))])

    assert before_ok.authentic, before_ok.checks
    assert not after_bad.authentic
    assert check(after_bad, "signature").ok and check(after_bad, "integrity").ok
    assert "signed with a key reported compromised" in check(after_bad, "signer").message
    assert "after that" in check(after_bad, "signer").message
    assert not unproven.authentic  # B-B: nothing proves it was signed before the compromise
    assert "no time-stamp proves" in check(unproven, "signer").message
    assert clean.authentic
