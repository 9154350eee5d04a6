"""/.well-known/labcert/: the trust anchors, the signing certificate and the key history."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import Blueprint, Response, current_app, jsonify, render_template

from labcert.access import public
from labcert.services.signing_keys import keys_json, published_pems
from labcert.signing import current_signer, signer_source

bp = Blueprint("wellknown", __name__, url_prefix="/.well-known/labcert")


def _pem(text: str, name: str) -> Response:
    return Response(text, mimetype="application/x-pem-file",
                    headers={"Content-Disposition": f'inline; filename="{name}"'})


@bp.route("/")
@public
def index() -> str:
    """Describe the published certificates and how to use them."""
    return render_template("verify/wellknown.html", signer=current_signer().info())


@bp.route("/root.pem")
@public
def root() -> Response:
    """Publish the lab's trust anchors (root certificates of every key it has used)."""
    return _pem(published_pems(signer_source(current_app))[1], "labcert-root.pem")


@bp.route("/signer.pem")
@public
def signer() -> Response:
    """Publish the certificate of the key that signs certificates now."""
    return _pem(published_pems(signer_source(current_app))[0], "labcert-signer.pem")


@bp.route("/keys.json")
@public
def keys() -> Response:
    """Publish every signing key the lab has used, with its status and validity."""
    return jsonify(keys_json(signer_source(current_app), datetime.now(UTC)))
