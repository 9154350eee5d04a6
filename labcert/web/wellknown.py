"""/.well-known/labcert/: the trust anchor and the signing certificate, for offline checks."""

from __future__ import annotations

from flask import Blueprint, Response, render_template

from labcert.access import public
from labcert.signing import current_signer

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
    """Publish the lab's root certificate (the trust anchor)."""
    return _pem(current_signer().root_pem(), "labcert-root.pem")


@bp.route("/signer.pem")
@public
def signer() -> Response:
    """Publish the certificate of the key that signs certificates."""
    return _pem(current_signer().public_pem(), "labcert-signer.pem")
