"""The lab's signer: PAdES signatures on certificate PDFs and raw signatures on QR tokens.

The key lives in memory (parsed once, ``filekey``) or in a PKCS#11 token (``hsm``). The
signature is a certification signature (DocMDP "no changes") in an invisible field; the visible
signature block is drawn by the certificate template. The level decides what is added after it:
a signature time-stamp (B-T), the chain's revocation data in the DSS (B-LT) and a document
time-stamp (B-LTA), each an incremental update that DocMDP "no changes" permits.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from io import BytesIO
from typing import Any

from asn1crypto import crl as asn1_crl
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from pyhanko.keys.internal import translate_pyca_cryptography_cert_to_asn1
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import fields, signers, timestamps
from pyhanko.sign.signers import constants
from pyhanko_certvalidator import ValidationContext

from labcert.pki.devpki import DEVELOPMENT_MARK, revocation_lists
from labcert.pki.filekey import FileKey, KeyBackend
from labcert.pki.http import share_tls_context
from labcert.pki.keys import fingerprint
from labcert.pki.levels import SignatureLevel, resolve_level
from labcert.pki.material import KeyMaterial, check_validity, read_chain, read_key_material
from labcert.pki.settings import SigningSettings
from labcert.pki.tsa import make_timestamper

SIGNATURE_FIELD = "LabCertSignature"
SIGNATURE_REASON = "Certificate of conformity issued by the testing laboratory"
# Room for the CMS blob beyond the embedded certificates: signed attributes and the signature
# itself; a time-stamp token brings its own TSA certificates, hence the larger reserve.
_CMS_OVERHEAD = 4096
_TIMESTAMP_OVERHEAD = 16384


class _PdfA3Signer(signers.PdfSigner):
    """A PdfSigner that keeps the document at PDF 1.7, the base of PDF/A-3.

    For ECDSA and EdDSA keys pyHanko declares the ISO/TS 32002 extension, which raises the
    catalog /Version to 2.0; a PDF/A-3 file must stay PDF 1.7. Validators (pyHanko, poppler)
    verify the signature without the extension; the PAdES (ESIC) extension is still declared.
    """

    def register_extensions(self, pdf_out: Any, *, md_algorithm: str) -> None:
        """Declare only the ESIC extension for PAdES signatures."""
        if self.signature_meta.subfilter == fields.SigSeedSubFilter.PADES:
            pdf_out.register_extension(constants.ESIC_EXTENSION_1)


class LabSigner:
    """The lab's signing key with its certificates and level, ready to sign PDFs and QR tokens."""

    def __init__(
        self,
        key: KeyBackend | KeyMaterial,
        *,
        timestamper: timestamps.TimeStamper | None = None,
        level: SignatureLevel | None = None,
        tsa_roots: tuple[x509.Certificate, ...] = (),
        revocation_lists: Callable[[], list[x509.CertificateRevocationList]] | None = None,
    ):
        self.key: KeyBackend = FileKey(key) if isinstance(key, KeyMaterial) else key
        self.certificate: x509.Certificate = self.key.certificate
        self.chain: list[x509.Certificate] = list(self.key.chain)
        self.trust_roots: list[x509.Certificate] = list(self.key.trust_roots)
        self.tsa_roots: list[x509.Certificate] = list(tsa_roots)
        self._revocation_lists = revocation_lists  # CRLs to embed beyond what can be fetched
        self.level = level or (SignatureLevel.B_T if timestamper else SignatureLevel.B_B)
        if self.level.needs_tsa and timestamper is None:
            raise ValueError(f"a {self.level} signature needs a time-stamper")
        self._timestamper = timestamper if self.level.needs_tsa else None
        certs_size = sum(
            len(c.public_bytes(serialization.Encoding.DER)) for c in [self.certificate, *self.chain]
        )
        reserved = certs_size + _CMS_OVERHEAD + (_TIMESTAMP_OVERHEAD if self._timestamper else 0)
        self._bytes_reserved = reserved + reserved % 2  # pyHanko wants an even size

    def with_timestamper(
        self, timestamper: timestamps.TimeStamper | None, level: SignatureLevel | None = None
    ) -> LabSigner:
        """Return a signer with the same key that time-stamps with timestamper (B-T by default)."""
        return LabSigner(self.key, timestamper=timestamper, level=level,
                         tsa_roots=tuple(self.tsa_roots),
                         revocation_lists=self._revocation_lists)

    @property
    def pades_level(self) -> str:
        """Name the PAdES baseline level this signer produces."""
        return str(self.level)

    @property
    def fingerprint(self) -> str:
        """Return the SHA-256 fingerprint of the signing certificate (64 hex digits)."""
        return fingerprint(self.certificate)

    def validation_context(self) -> ValidationContext:
        """Return a fresh context that trusts the lab's and the TSA's roots and may fetch."""
        share_tls_context()
        return ValidationContext(
            trust_roots=[
                translate_pyca_cryptography_cert_to_asn1(c)
                for c in [*self.trust_roots, *self.tsa_roots]
            ],
            other_certs=[translate_pyca_cryptography_cert_to_asn1(c) for c in self.chain],
            crls=[
                asn1_crl.CertificateList.load(c.public_bytes(serialization.Encoding.DER))
                for c in (self._revocation_lists() if self._revocation_lists else [])
            ],
            allow_fetching=True,
        )

    def check(self, now: dt.datetime | None = None) -> None:
        """Refuse to sign with a certificate that has expired (a cheap check per issuance)."""
        check_validity(self.certificate, self.key.location, now or dt.datetime.now(dt.UTC))

    def sign_pdf(self, pdf: bytes) -> bytes:
        """Return pdf with a PAdES certification signature at this signer's level appended."""
        level = self.level
        long_term = level.embeds_revocation_data
        metadata = signers.PdfSignatureMetadata(
            field_name=SIGNATURE_FIELD,
            subfilter=fields.SigSeedSubFilter.PADES,
            reason=SIGNATURE_REASON,
            certify=True,  # DocMDP "no changes": an issued certificate is final
            docmdp_permissions=fields.MDPPerm.NO_CHANGES,
            embed_validation_info=long_term,
            use_pades_lta=level is SignatureLevel.B_LTA,
            # a fresh context per document: revocation data must be as of this signature
            validation_context=self.validation_context() if long_term else None,
        )
        pdf_signer = _PdfA3Signer(
            metadata,
            signer=self.key.pyhanko_signer(),
            timestamper=self._timestamper,
            new_field_spec=fields.SigFieldSpec(SIGNATURE_FIELD),  # no box: an invisible field
        )
        writer = IncrementalPdfFileWriter(BytesIO(pdf))
        with self.key.lock:  # a PKCS#11 session serves one thread at a time
            out = pdf_signer.sign_pdf(writer, bytes_reserved=self._bytes_reserved)
        return out.getvalue()

    def sign_token(self, data: bytes) -> bytes:
        """Return a compact raw signature of data (ECDSA as r||s, as in JWS)."""
        return self.key.sign_token(data)

    def info(self, now: dt.datetime | None = None) -> dict[str, Any]:
        """Describe the signing certificate for the admin page and start-up log."""
        cert = self.certificate
        now = now or dt.datetime.now(dt.UTC)
        return {
            "subject": cert.subject.rfc4514_string(),
            "issuer": cert.issuer.rfc4514_string(),
            "serial": format(cert.serial_number, "X"),
            "not_before": cert.not_valid_before_utc.isoformat(),
            "not_after": cert.not_valid_after_utc.isoformat(),
            "days_until_expiry": (cert.not_valid_after_utc - now).days,
            "is_development": DEVELOPMENT_MARK in cert.subject.rfc4514_string(),
            "key_type": self.key.key_type,
            "key_location": self.key.location,
            "fingerprint": self.fingerprint,
            "fingerprint_sha256": bytes.fromhex(self.fingerprint).hex(":").upper(),
            "signature_level": self.pades_level,
        }

    def public_pem(self) -> str:
        """Return the signing certificate in PEM form, for publishing."""
        return self.certificate.public_bytes(serialization.Encoding.PEM).decode("ascii")

    def root_pem(self) -> str:
        """Return the trust anchor certificate(s) in PEM form, for publishing."""
        return "".join(
            c.public_bytes(serialization.Encoding.PEM).decode("ascii") for c in self.trust_roots
        )


def open_key(settings: SigningSettings) -> KeyBackend:
    """Open the key that settings name: in a PKCS#11 token, or read from files."""
    if settings.pkcs11 is not None:
        from labcert.pki.hsm import HsmKey  # python-pkcs11 is loaded only for a token

        return HsmKey(settings.pkcs11, tuple(read_chain(settings.chain_paths)))
    where = settings.p12_path or settings.cert_path or settings.dev_dir or "key file"
    return FileKey(read_key_material(settings), location=str(where))


@functools.lru_cache(maxsize=4)
def load_signer(settings: SigningSettings) -> LabSigner:
    """Return the lab signer for settings, opening the key once per process."""
    level = resolve_level(settings.signature_level, settings.tsa_url)
    key = open_key(settings)
    timestamper = make_timestamper(settings.tsa_url) if settings.tsa_url else None
    dev_crls = revocation_lists(settings.dev_dir, key.certificate) if settings.dev_dir else None
    return LabSigner(
        key,
        timestamper=timestamper if level.needs_tsa else None,
        level=level,
        tsa_roots=tuple(read_chain(settings.tsa_roots)),
        revocation_lists=dev_crls,
    )
