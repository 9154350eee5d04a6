"""Point public lookups at Redis when the app has it, and flush them into the database."""

from __future__ import annotations

import redis
from flask import Flask, current_app

from labcert.services import verification_log
from labcert.services.verification_stream import RedisSink


def sink_of(app: Flask) -> RedisSink | None:
    """Return the app's Redis sink (one client per process), or None without Redis."""
    if not app.config.get("REDIS_URL"):
        return None
    sink = app.extensions.get("verification_sink")
    if sink is None:
        client = redis.Redis.from_url(app.config["REDIS_URL"], decode_responses=True,
                                      socket_timeout=1.0, socket_connect_timeout=1.0)
        sink = RedisSink(client, app.config["REDIS_PREFIX"],
                         app.config["VERIFICATION_STREAM_MAXLEN"],
                         batch=app.config["VERIFICATION_BATCH"])
        app.extensions["verification_sink"] = sink
    return sink


def init_app(app: Flask) -> None:
    """Make every request of this app log its checks through the app's sink, anonymously
    unless a page names the checker (web/verify.py)."""
    sink = sink_of(app)

    def each_request() -> None:
        verification_log.use_sink(sink)
        verification_log.checked_by(None)  # a thread's previous request named nobody here

    app.before_request(each_request)


def flush() -> str:
    """Flush the current app's stream into the verification log; say how many moved."""
    sink = sink_of(current_app)
    if sink is None:
        return "no Redis: checks go straight to the database"
    return f"{sink.flush()} checks moved to the verification log"
