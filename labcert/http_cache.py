"""Let a CDN or browser keep public status answers for a minute, and revalidate by ETag.

Each process also keeps the answers it computed for a few seconds (`VERIFY_CACHE_SECONDS`,
services/answer_cache.py); the `Age` header tells HTTP caches how old such an answer is, so no
answer is served as fresh more than a minute after it was read from the database.
"""

from __future__ import annotations

from datetime import date

from flask import Flask, Response, request

from labcert.services import answer_cache

MAX_AGE = 60  # a status change is visible everywhere within this many seconds


def public_page(response: Response, number: str | None = None) -> Response:
    """Let a CDN keep a public status page a minute; browsers revalidate it by its ETag.

    A person who reloads the page after hearing of a change should see it (the browser asks,
    and gets 304 while nothing changed); a shared cache in front may still answer for a minute.
    """
    if response.status_code != 200 or response.direct_passthrough:
        return response
    response.add_etag()
    response.cache_control.public = True
    response.cache_control.max_age = 0
    response.cache_control.s_maxage = MAX_AGE
    age = int(answer_cache.age_of(number, date.today())) if number else 0
    if age:
        response.age = age
    return response.make_conditional(request)


def public_json(body: bytes, etag: str, number: str) -> Response:
    """Answer with a JSON body whose ETag is known: 304 if the client has it, else the body."""
    headers = {"ETag": f'"{etag}"', "Cache-Control": f"public, max-age={MAX_AGE}"}
    age = int(answer_cache.age_of(number, date.today()))
    if age:
        headers["Age"] = str(age)
    if request.if_none_match.contains(etag):
        return Response(status=304, headers=headers)
    return Response(body, mimetype="application/json", headers=headers)


def init_app(app: Flask) -> None:
    """Give the app its cache of public answers and put it in use for each request."""
    seconds = app.config["VERIFY_CACHE_SECONDS"]
    cache = answer_cache.AnswerCache(seconds) if seconds > 0 else None
    app.before_request(lambda: answer_cache.use(cache))
