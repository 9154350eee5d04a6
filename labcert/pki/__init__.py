"""The lab's keys and signatures: development PKI, PDF signing and verification, QR tokens."""

from labcert.pki.archive import (
    ArchiveError,
    add_archival_timestamp,
    archival_context,
    archive_due,
    latest_timestamp,
)
from labcert.pki.devpki import init_dev_pki
from labcert.pki.keys import (
    KeyRecord,
    KeysDocument,
    fingerprint,
    keys_document,
    normalise_fingerprint,
    read_keys_document,
)
from labcert.pki.levels import SignatureLevel, SignatureLevelError, resolve_level
from labcert.pki.material import SigningKeyError, SigningSettings
from labcert.pki.proven import signature_level_of
from labcert.pki.qr_token import InvalidQrToken, make_qr_token, read_qr_token
from labcert.pki.settings import Pkcs11Settings
from labcert.pki.signer import LabSigner, load_signer, open_key
from labcert.pki.tsa import TsaProbe, make_timestamper, probe_tsa
from labcert.pki.verify import Check, PdfCheck, verify_pdf

__all__ = [
    "ArchiveError",
    "Check",
    "InvalidQrToken",
    "KeyRecord",
    "KeysDocument",
    "LabSigner",
    "PdfCheck",
    "Pkcs11Settings",
    "SignatureLevel",
    "SignatureLevelError",
    "SigningKeyError",
    "SigningSettings",
    "TsaProbe",
    "add_archival_timestamp",
    "archival_context",
    "archive_due",
    "fingerprint",
    "init_dev_pki",
    "keys_document",
    "latest_timestamp",
    "load_signer",
    "make_qr_token",
    "make_timestamper",
    "normalise_fingerprint",
    "open_key",
    "probe_tsa",
    "read_keys_document",
    "read_qr_token",
    "resolve_level",
    "signature_level_of",
    "verify_pdf",
]
