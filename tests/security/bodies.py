"""A valid request for every API endpoint that reads a body, on objects it may use up."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from labcert.runtime import service_settings
from labcert.services.certificates import change_status
from labcert.services.credentials import registered_credential
from tests.factories import PASSWORD
from tests.security.world import World, application_in_testing, clone_certificate, new_imei
from tests.workflow.conftest import example, result_items

# (who, path, body); `who` None is anonymous. Called anew for each probe: an endpoint whose
# success uses its object up (a decision, a status change) gets a new object each time.
Request = tuple[str | None, str, Any]
_unique = itertools.count(1)


def _product() -> dict[str, Any]:
    ex = example()
    return {"brand": "Probe", "model": f"PR-{next(_unique)}", "category": "smartphone",
            "technologies": sorted(ex.product.technologies), "bands": ["GSM900"],
            "tacs": [ex.product.tacs[0]], "facts": {"foldable": False}}


def _result(world: World, application_id: int | None = None) -> dict[str, Any]:
    """Return a valid result, naming a sample of the application when one is given."""
    from sqlalchemy import select

    from labcert.extensions import db
    from labcert.models import Sample
    from tests.factories import make_instrument

    instrument = make_instrument()  # probes of the instrument pages change the world's one
    imei = db.session.scalar(select(Sample.imei).where(Sample.application_id == application_id)
                             .order_by(Sample.id)) if application_id else None
    return result_items(example(), instrument, imei)[0]


def _suspended(world: World) -> str:
    number = clone_certificate(world.certificate)
    change_status(world.user("reviewer"), number, "suspend", "set up for a probe",
                  settings=service_settings())
    return number


def _certificate_action(action: str) -> Callable[[World, dict[str, Any]], Request]:
    def build(world: World, scene: dict[str, Any]) -> Request:
        number = _suspended(world) if action == "reinstate" else clone_certificate(
            world.certificate)
        body: dict[str, Any] = {"reason": "probe reason"}
        if action == "amend":
            body["changes"] = {"marketing_name": "Probe"}
        return "reviewer", f"/api/v1/certificates/{number}/{action}", body

    return build


JSON_REQUESTS: dict[str, Callable[[World, dict[str, Any]], Request]] = {
    "api_tokens.create_token": lambda w, s: (None, "/api/v1/tokens", {
        "email": w.emails["maker"], "password": PASSWORD, "name": "probe"}),
    "api_criteria.evaluate": lambda w, s: ("maker", "/api/v1/evaluate", {
        "criteria_set": "pk-pta", "product": _product(), "results": [_result(w)]}),
    "api_applications.create": lambda w, s: ("technician", "/api/v1/applications", {
        "manufacturer_id": w.maker_org_id, "product": _product(), "markets": ["pk-pta"]}),
    "api_applications.change_markets": lambda w, s: (
        "technician", f"/api/v1/applications/{w.lab().open().id}/markets",
        {"markets": ["pk-pta", "eu-red"]}),
    "api_applications.cancel": lambda w, s: (
        "technician", f"/api/v1/applications/{w.lab().open().id}/cancel", {"reason": "probe"}),
    "api_lab_inputs.create_sample": lambda w, s: (
        "technician", f"/api/v1/applications/{s['testing']['application_id']}/samples", {
            "imei": new_imei(example().product.tacs[0]), "serial": "SN1",
            "received_at": (date.today() - timedelta(days=1)).isoformat(),
            "condition": "sealed"}),
    "api_lab_inputs.create_results": lambda w, s: (
        "technician", f"/api/v1/applications/{s['testing']['application_id']}/results",
        {"results": [_result(w, s["testing"]["application_id"])]}),
    "api_lab_inputs.create_instrument_endpoint": lambda w, s: (
        "technician", "/api/v1/instruments", {
            "asset_tag": f"PRB-API-{next(_unique)}", "name": "Probe meter",
            "calibrated_at": (date.today() - timedelta(days=10)).isoformat(),
            "calibration_due": (date.today() + timedelta(days=300)).isoformat()}),
    # Approving issues certificates (seconds each): the approved application answers 409, and
    # the only field, an integer version, is refused with 422 for every probe before that.
    "api_review.approve": lambda w, s: (
        "reviewer", f"/api/v1/applications/{w.application_id}/approve", {"version": None}),
    "api_applications.submit": lambda w, s: (
        "technician", f"/api/v1/applications/{application_in_testing(w)}/submit",
        {"acknowledged": [0]}),
    "api_review.reject": lambda w, s: (
        "reviewer", f"/api/v1/applications/{application_in_testing(w, submit=True)}/reject",
        {"reasons": ["probe reason"], "version": None}),
    "api_certificates.suspend": _certificate_action("suspend"),
    "api_certificates.reinstate": _certificate_action("reinstate"),
    "api_certificates.withdraw": _certificate_action("withdraw"),
    "api_certificates.amend": _certificate_action("amend"),
    "api_verify.shipment": lambda w, s: (None, "/api/v1/verify/shipment", {
        "market": "pk-pta", "imeis": [new_imei(example().product.tacs[0])]}),
    "api_credentials.verify_credential": lambda w, s: (None, "/api/v1/verify/credential", {
        "credential": registered_credential(w.certificate)}),
    "api_watches.add": lambda w, s: ("exporter", "/api/v1/watches", {"number": w.certificate}),
    "api_certificates.open_follow_up": lambda w, s: (
        "technician", f"/api/v1/certificates/{clone_certificate(w.certificate)}/follow-up",
        {"criteria_set": "pk-pta"}),
}
# Approving for real would issue certificates: its base request is not expected to pass. A
# follow-up needs a certificate that a criteria revision affects; the world's pk-pta certificate
# is judged by the version that issued it, so it answers 409 "nothing to re-test".
NOT_ACCEPTED = frozenset({"api_review.approve", "api_certificates.open_follow_up"})


def results_csv(world: World, application_id: int | None = None) -> tuple[list[str], list[str]]:
    """Return the header and the one row of a valid results CSV (for that application)."""
    item = _result(world, application_id)
    header = [k for k in item if k != "conditions"] + [f"cond.{k}" for k in item["conditions"]]
    row = [str(item[k]) for k in header if not k.startswith("cond.")]
    return header, row + [str(v) for v in item["conditions"].values()]
