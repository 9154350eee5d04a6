"""The lab's keys and signatures: development PKI, PDF signing and verification, QR tokens."""

from labcert.pki.devpki import init_dev_pki
from labcert.pki.material import SigningKeyError, SigningSettings
from labcert.pki.qr_token import InvalidQrToken, make_qr_token, read_qr_token
from labcert.pki.signer import LabSigner, load_signer
from labcert.pki.verify import Check, PdfCheck, verify_pdf

__all__ = [
    "Check",
    "InvalidQrToken",
    "LabSigner",
    "PdfCheck",
    "SigningKeyError",
    "SigningSettings",
    "init_dev_pki",
    "load_signer",
    "make_qr_token",
    "read_qr_token",
    "verify_pdf",
]
