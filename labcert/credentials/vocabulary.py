"""The meaning of LabCert's own credential terms, published at ``{public_url}/ns/labcert/v1``."""

from __future__ import annotations

TERMS: dict[str, str] = {
    "certificateNumber": "The certificate number as printed, with its revision suffix.",
    "revision": "The certificate's revision: 0 when first issued, 1 for the first amendment.",
    "supersedes": "The number of the revision this certificate replaces.",
    "accreditationNumber": "The laboratory's accreditation number (ISO/IEC 17025).",
    "market": "The target market, named by its criteria set id (e.g. eu-red).",
    "criteriaSet": "The criteria set and version the product was judged against (id@version).",
    "decisionRule": "The decision rule applied to measurements, in words (ISO/IEC 17025 7.8.6).",
    "marketingName": "The name under which the product is sold.",
    "productCategory": "The kind of device (e.g. smartphone, feature phone).",
    "hardwareVersion": "The hardware version of the tested product.",
    "typeAllocationCode": "A GSMA Type Allocation Code (the first 8 IMEI digits) the certificate"
    " covers.",
    "outcome": "The weakest verdict among a group's criteria (pass, conditional_pass,"
    " indeterminate, conditional_fail, fail).",
    "verdict": "A criterion's verdict under the decision rule.",
}
