"""The lab's did:web document and the JSON-LD contexts its credentials name (public).

The DID document lists every key that signed credentials; the contexts are served by the lab
itself so that a verifier can expand a credential without reaching any other site.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, abort, render_template, request

from labcert.access import public
from labcert.credentials.contexts import (
    CREDENTIALS_V2_PATH,
    LABCERT_DCC_PATH,
    VOCABULARY_PATH,
    context_bytes,
    credentials_v2_context,
    labcert_context,
)
from labcert.credentials.vocabulary import TERMS
from labcert.runtime import service_settings
from labcert.services.credential_keys import did_document

bp = Blueprint("did", __name__)
_CONTEXTS = {CREDENTIALS_V2_PATH.rsplit("/", 1)[1], LABCERT_DCC_PATH.rsplit("/", 1)[1]}


def _json(document: dict[str, Any], mimetype: str, cache: str) -> Response:
    body = context_bytes(document)
    answer = Response(body, mimetype=mimetype, headers={
        "Cache-Control": cache, "Access-Control-Allow-Origin": "*"})
    answer.add_etag()
    return answer.make_conditional(request)


@bp.route("/.well-known/did.json")
@bp.route("/did.json")  # where did:web looks when the lab's public URL has a path
@public
def document() -> Response:
    """Publish the lab's DID document: did:web of its public URL, with its signing keys."""
    return _json(did_document(service_settings()), "application/did+json", "no-cache")


@bp.route("/contexts/<name>")
@public
def context(name: str) -> Response:
    """Serve a JSON-LD context a LabCert credential names (versioned, never edited)."""
    if name not in _CONTEXTS:
        abort(404)
    settings = service_settings()
    document = credentials_v2_context() if CREDENTIALS_V2_PATH.endswith(name) \
        else labcert_context(settings.public_url)
    return _json(document, "application/ld+json", "public, max-age=86400")


@bp.route(VOCABULARY_PATH)
@public
def vocabulary() -> str:
    """Describe the lab's own credential terms, the IRIs its context gives them."""
    namespace = labcert_context(service_settings().public_url)["@context"]["labcert"]
    return render_template("verify/vocabulary.html", terms=TERMS, namespace=namespace)
