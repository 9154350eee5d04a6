"""The lab's signer: PAdES signatures on certificate PDFs and raw signatures on QR tokens.

The private key is parsed once per process (``load_signer`` is cached): pyHanko's
``SimpleSigner`` re-parses its key on every raw signature, which costs ~110 ms per call for
RSA-3072. The signature is a certification signature (DocMDP "no changes") in an invisible field;
the visible signature block is drawn by the certificate template.
"""

from __future__ import annotations

import datetime as dt
import functools
from io import BytesIO
from typing import Any

from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa
from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature
from pyhanko.keys.internal import (
    translate_pyca_cryptography_cert_to_asn1,
    translate_pyca_cryptography_key_to_asn1,
)
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import fields, signers, timestamps
from pyhanko.sign.general import get_pyca_cryptography_hash
from pyhanko.sign.signers import constants
from pyhanko_certvalidator.registry import SimpleCertificateStore

from labcert.pki.devpki import DEVELOPMENT_MARK
from labcert.pki.material import KeyMaterial, PrivateKey, SigningSettings, read_key_material

SIGNATURE_FIELD = "LabCertSignature"
SIGNATURE_REASON = "Certificate of conformity issued by the testing laboratory"
# Room for the CMS blob beyond the embedded certificates: signed attributes and the signature
# itself; a time-stamp token brings its own TSA certificates, hence the larger reserve.
_CMS_OVERHEAD = 4096
_TIMESTAMP_OVERHEAD = 16384


class _ParsedKeySigner(signers.SimpleSigner):
    """A pyHanko SimpleSigner that signs with an already parsed key instead of re-parsing it."""

    def __init__(
        self, key: PrivateKey, cert: asn1_x509.Certificate, registry: SimpleCertificateStore
    ):
        super().__init__(
            signing_cert=cert,
            signing_key=translate_pyca_cryptography_key_to_asn1(key),
            cert_registry=registry,
        )
        self._parsed_key = key

    def sign_raw(self, data: bytes, digest_algorithm: str) -> bytes:
        """Sign data with the cached key using the mechanism pyHanko selected."""
        mechanism = self.get_signature_mechanism_for_digest(digest_algorithm).signature_algo
        key = self._parsed_key
        if mechanism == "ecdsa" and isinstance(key, ec.EllipticCurvePrivateKey):
            return key.sign(data, ec.ECDSA(get_pyca_cryptography_hash(digest_algorithm)))
        if mechanism == "rsassa_pkcs1v15" and isinstance(key, rsa.RSAPrivateKey):
            return key.sign(data, PKCS1v15(), get_pyca_cryptography_hash(digest_algorithm))
        if mechanism == "ed25519" and isinstance(key, ed25519.Ed25519PrivateKey):
            return key.sign(data)
        return super().sign_raw(data, digest_algorithm)  # rarer mechanisms (PSS): parse per call


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
    """The lab's signing key with its certificates, ready to sign PDFs and QR tokens."""

    def __init__(
        self,
        material: KeyMaterial,
        *,
        timestamper: timestamps.TimeStamper | None = None,
    ):
        self._key = material.key
        self.certificate: x509.Certificate = material.certificate
        self.chain: list[x509.Certificate] = list(material.chain)
        self.trust_roots: list[x509.Certificate] = list(material.trust_roots)
        self._material = material
        self._timestamper = timestamper
        registry = SimpleCertificateStore()
        registry.register_multiple(
            [translate_pyca_cryptography_cert_to_asn1(c) for c in self.chain]
        )
        self._pyhanko_signer = _ParsedKeySigner(
            self._key, translate_pyca_cryptography_cert_to_asn1(self.certificate), registry
        )
        self._pdf_signer = _PdfA3Signer(
            signers.PdfSignatureMetadata(
                field_name=SIGNATURE_FIELD,
                subfilter=fields.SigSeedSubFilter.PADES,
                reason=SIGNATURE_REASON,
                certify=True,  # DocMDP "no changes": an issued certificate is final
                docmdp_permissions=fields.MDPPerm.NO_CHANGES,
            ),
            signer=self._pyhanko_signer,
            timestamper=timestamper,
            new_field_spec=fields.SigFieldSpec(SIGNATURE_FIELD),  # no box: an invisible field
        )
        certs_size = sum(
            len(c.public_bytes(serialization.Encoding.DER)) for c in [self.certificate, *self.chain]
        )
        reserved = certs_size + _CMS_OVERHEAD + (_TIMESTAMP_OVERHEAD if timestamper else 0)
        self._bytes_reserved = reserved + reserved % 2  # pyHanko wants an even size

    def with_timestamper(self, timestamper: timestamps.TimeStamper | None) -> LabSigner:
        """Return a signer with the same key that time-stamps its signatures with timestamper."""
        return LabSigner(self._material, timestamper=timestamper)

    @property
    def pades_level(self) -> str:
        """Name the PAdES baseline level this signer produces."""
        return "B-T" if self._timestamper else "B-B"

    def sign_pdf(self, pdf: bytes) -> bytes:
        """Return pdf with a PAdES certification signature appended as an incremental update."""
        writer = IncrementalPdfFileWriter(BytesIO(pdf))
        out = self._pdf_signer.sign_pdf(writer, bytes_reserved=self._bytes_reserved)
        return out.getvalue()

    def sign_token(self, data: bytes) -> bytes:
        """Return a compact, deterministic raw signature of data (ECDSA as r||s, as in JWS)."""
        key = self._key
        if isinstance(key, ec.EllipticCurvePrivateKey):
            # RFC 6979 nonces make the token, and so the rendered PDF, reproducible for a reprint.
            r, s = decode_dss_signature(
                key.sign(data, ec.ECDSA(hashes.SHA256(), deterministic_signing=True))
            )
            size = (key.curve.key_size + 7) // 8
            return r.to_bytes(size, "big") + s.to_bytes(size, "big")
        if isinstance(key, ed25519.Ed25519PrivateKey):
            return key.sign(data)
        return key.sign(data, PKCS1v15(), hashes.SHA256())

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
            "key_type": _key_type(self._key),
            "fingerprint_sha256": cert.fingerprint(hashes.SHA256()).hex(":").upper(),
        }

    def public_pem(self) -> str:
        """Return the signing certificate in PEM form, for publishing."""
        return self.certificate.public_bytes(serialization.Encoding.PEM).decode("ascii")

    def root_pem(self) -> str:
        """Return the trust anchor certificate(s) in PEM form, for publishing."""
        return "".join(
            c.public_bytes(serialization.Encoding.PEM).decode("ascii") for c in self.trust_roots
        )


def _key_type(key: PrivateKey) -> str:
    if isinstance(key, ec.EllipticCurvePrivateKey):
        return {"secp256r1": "EC P-256", "secp384r1": "EC P-384"}.get(
            key.curve.name, f"EC {key.curve.name}"
        )
    if isinstance(key, ed25519.Ed25519PrivateKey):
        return "Ed25519"
    return f"RSA-{key.key_size}"


@functools.lru_cache(maxsize=4)
def load_signer(settings: SigningSettings) -> LabSigner:
    """Return the lab signer for settings, parsing the key once per process."""
    material = read_key_material(settings)
    timestamper = timestamps.HTTPTimeStamper(settings.tsa_url) if settings.tsa_url else None
    return LabSigner(material, timestamper=timestamper)
