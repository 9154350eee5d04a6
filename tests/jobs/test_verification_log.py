"""Public lookups counted and logged through Redis, flushed in batches; cacheable answers."""

from __future__ import annotations

from datetime import date

import pytest
import redis
from sqlalchemy import func, select

from labcert.extensions import db
from labcert.jobs import schedule
from labcert.jobs.verification_sink import sink_of
from labcert.models import VerificationLog, utcnow
from labcert.runtime import service_settings
from labcert.services import certificates
from labcert.services.verification_stream import RedisSink, SinkDown
from tests.factories import approve
from tests.jobs.conftest import REDIS_URL
from tests.jobs.mailbox import free_port


def _rows() -> list[tuple[str | None, str, str]]:
    db.session.expire_all()
    return [(r.certificate_number, r.channel, r.outcome) for r in db.session.scalars(
        select(VerificationLog).order_by(VerificationLog.id))]


@pytest.fixture
def number(lab) -> str:
    """Return the number of a valid certificate."""
    return approve(lab.reviewer, lab.submitted().id).certificates[0].number


def test_lookups_write_nothing_to_the_database_until_the_flush_moves_them_once(
        app, client, number) -> None:
    for _ in range(3):
        assert client.get(f"/api/v1/verify/{number}").status_code == 200
    assert client.get(f"/verify/{number}").status_code == 200
    assert client.get("/api/v1/verify/LC-1999-999999").status_code == 404
    assert _rows() == []
    sink = sink_of(app)
    sink.push()  # what the process's timer does every second
    assert sink.count(utcnow().date().isoformat()) == 5 and sink.backlog() == 5

    outcome = schedule.run_frequent("verification_log.flush").outcome
    assert outcome == "5 checks moved to the verification log"
    expected = [(number, "api", "valid")] * 3 + [(number, "page", "valid"),
                                                 (None, "api", "unknown_number")]
    assert _rows() == expected
    assert schedule.run_frequent("verification_log.flush").outcome.startswith("0 checks")
    assert _rows() == expected and sink.backlog() == 0
    columns = {c.name for c in VerificationLog.__table__.columns}
    assert columns == {"id", "at", "certificate_number", "channel", "outcome", "source_id",
                       "user_id", "market"}
    assert db.session.scalar(select(func.count()).select_from(VerificationLog).where(
        VerificationLog.user_id.is_not(None))) == 0  # public checks name nobody


def test_an_exporters_checks_reach_the_table_through_redis_with_their_name(
        app, client, auth, number) -> None:
    exporter = auth.login_as("exporter")
    assert client.get(f"/verify/{number}").status_code == 200
    assert client.post("/verify/shipment", data={"market": "pk-pta",
                                                 "imeis": "352099001761481\n"}).status_code == 200
    auth.logout()
    assert client.get(f"/verify/{number}").status_code == 200  # anonymous, same thread
    assert _rows() == []  # still in Redis
    assert schedule.run_frequent("verification_log.flush").outcome.startswith("3 checks")
    db.session.expire_all()
    rows = db.session.scalars(select(VerificationLog).order_by(VerificationLog.id)).all()
    assert [(r.channel, r.user_id, r.market) for r in rows] == [
        ("page", exporter.id, None), ("page_shipment", exporter.id, "pk-pta"),
        ("page", None, None)]


def test_a_flush_cut_short_after_its_insert_adds_nothing_twice(app, client, number,
                                                                monkeypatch) -> None:
    for _ in range(4):
        client.get(f"/api/v1/verify/{number}")
    sink = sink_of(app)

    def lost(*args):
        raise ConnectionError("Redis went away after the insert")

    sink.push()
    monkeypatch.setattr(sink.client, "xdel", lost)
    with pytest.raises(ConnectionError):
        sink.flush()
    assert len(_rows()) == 4 and sink.backlog() == 4  # inserted, still in the stream
    monkeypatch.undo()
    assert sink.flush() == 0
    assert len(_rows()) == 4 and sink.backlog() == 0


def test_without_redis_each_lookup_is_a_row_at_once(make_app) -> None:
    plain = make_app()
    with plain.app_context():
        assert sink_of(plain) is None
        plain.test_client().get("/api/v1/verify/LC-1999-999999")
        assert _rows() == [(None, "api", "unknown_number")]


def test_an_unreachable_redis_falls_back_to_the_database(make_app) -> None:
    away = make_app(REDIS_URL=f"redis://127.0.0.1:{free_port()}/0")
    with away.app_context():
        visitor = away.test_client()
        assert visitor.get("/api/v1/verify/LC-1999-999999").status_code == 404  # held
        with pytest.raises(redis.ConnectionError):
            sink_of(away).push()  # the timer's push fails: the lookup is handed back
        assert visitor.get("/api/v1/verify/LC-1999-999998").status_code == 404
        assert _rows() == [(None, "api", "unknown_number")] * 2  # both, once each


def test_status_answers_carry_an_etag_and_a_minute_of_public_caching(
        app, client, lab, number) -> None:
    first = client.get(f"/api/v1/verify/{number}")
    assert first.headers["Cache-Control"] == "public, max-age=60"
    etag = first.headers["ETag"]
    again = client.get(f"/api/v1/verify/{number}", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""
    assert again.headers["ETag"] == etag
    sink_of(app).push()
    assert sink_of(app).count(date.today().isoformat()) == 2  # a revalidation still counts

    certificates.change_status(lab.reviewer, number, "suspend", "re-test failed",
                                 settings=service_settings())
    changed = client.get(f"/api/v1/verify/{number}", headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["ETag"] != etag
    assert changed.get_json()["status"] == "suspended"
    unknown = client.get("/api/v1/verify/LC-1999-999999")
    assert "public" not in unknown.headers.get("Cache-Control", "")


def test_the_status_page_is_public_for_visitors_and_private_for_signed_in_users(
        client, auth, number) -> None:
    visitor = client.get(f"/verify/{number}")
    # A CDN may keep it a minute; a browser asks again (and gets 304 while nothing changed).
    assert visitor.headers["Cache-Control"] == "public, max-age=0, s-maxage=60"
    again = client.get(f"/verify/{number}", headers={"If-None-Match": visitor.headers["ETag"]})
    assert again.status_code == 304
    auth.login_as("exporter")
    signed_in = client.get(f"/verify/{number}")
    assert "public" not in signed_in.headers.get("Cache-Control", "")
    assert "Watch this certificate" in signed_in.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(VerificationLog)) == 0


def test_a_process_sends_its_lookups_a_batch_at_a_time_in_one_round_trip(
        app, redis_prefix) -> None:
    sink = RedisSink(redis.Redis.from_url(REDIS_URL, decode_responses=True), redis_prefix,
                     maxlen=1000, batch=3, seconds=3600)
    at = utcnow()
    sink.add("LC-2026-000001", "api", "valid", at)
    sink.add(None, "api", "unknown_number", at)
    assert sink.backlog() == 0 and sink.count(at.date().isoformat()) == 0  # held
    sink.add("LC-2026-000001", "page", "valid", at)  # the third fills the batch
    assert sink.backlog() == 3 and sink.count(at.date().isoformat()) == 3
    sink.add("LC-2026-000001", "qr", "valid", at)
    assert sink.flush() == 4  # a flush sends what its own process holds first
    assert [r[1] for r in _rows()] == ["api", "api", "page", "qr"]


def test_a_batch_redis_refused_is_handed_back_and_redis_is_left_alone_a_moment(
        app, redis_prefix) -> None:
    away = RedisSink(redis.Redis(port=free_port(), socket_connect_timeout=0.5), redis_prefix,
                     maxlen=1000, batch=2, seconds=3600)
    away.add("LC-2026-000001", "api", "valid", utcnow())
    away.add("LC-2026-000001", "page", "valid", utcnow())  # fills the batch; the push fails
    with pytest.raises(SinkDown):
        away.add("LC-2026-000001", "qr", "valid", utcnow())
    assert [r[2] for r in away.take_returned()] == ["api", "page"]
    assert away.take_returned() == []
