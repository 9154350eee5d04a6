"""Let a CDN or browser keep public status answers for a minute, and revalidate by ETag."""

from __future__ import annotations

from flask import Response, request

MAX_AGE = 60  # a status change is visible everywhere within this many seconds


def public_for_a_minute(response: Response) -> Response:
    """Mark a successful public answer cacheable, with an ETag; answer 304 when it matches."""
    if response.status_code != 200 or response.direct_passthrough:
        return response
    response.add_etag()
    response.cache_control.public = True
    response.cache_control.max_age = MAX_AGE
    return response.make_conditional(request)
