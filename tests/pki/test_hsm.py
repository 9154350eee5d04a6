"""A signing key inside a SoftHSM2 token: signs PDFs and QR seals, never leaves the token."""

from __future__ import annotations

import dataclasses
import multiprocessing
from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization

from labcert.certificate_facts import CertificateFacts
from labcert.pki import (
    LabSigner,
    Pkcs11Settings,
    SignatureLevel,
    SigningKeyError,
    SigningSettings,
    init_dev_pki,
    load_signer,
    make_qr_token,
    read_qr_token,
    verify_pdf,
)
from labcert.pki.hsm import open_session, reinitialize
from labcert.pki.softhsm import DevToken, init_dev_token
from labcert.specimen import LAB_NAME, specimen_snapshot
from tests.pdf.conftest import require_tool
from tests.pki.conftest import check, render
from tests.pki.loopback import LoopbackPki


@pytest.fixture(scope="session")
def token(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DevToken]:
    """Create a SoftHSM2 token with a development key, its folder named by SOFTHSM2_CONF."""
    require_tool("softhsm2-util")
    folder = tmp_path_factory.mktemp("hsm")
    init_dev_pki(folder / "pki", LAB_NAME)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOFTHSM2_CONF", str(folder / "softhsm" / "softhsm2.conf"))
        yield init_dev_token(folder / "softhsm", folder / "pki", LAB_NAME)


def _dev_dir(token: DevToken) -> Path:
    assert token.settings.pin_file is not None
    return token.settings.pin_file.parent.parent / "pki"


@pytest.fixture(scope="session")
def hsm_signer(token: DevToken) -> LabSigner:
    """Load the lab signer from the token, as LABCERT_SIGNING_PKCS11_* would."""
    return load_signer(SigningSettings(pkcs11=token.settings))


def test_init_makes_a_token_key_and_certificate_once(token: DevToken, tmp_path: Path) -> None:
    folder = token.settings.pin_file.parent if token.settings.pin_file else tmp_path
    again = init_dev_token(folder, folder.parent / "pki", LAB_NAME)

    assert token.created and not again.created
    assert again.settings == token.settings
    assert token.config_path.read_text().startswith("directories.tokendir")
    assert (folder / "user-pin").stat().st_mode & 0o777 == 0o600


def test_a_certificate_signed_inside_the_token_validates(hsm_signer: LabSigner) -> None:
    signed = hsm_signer.sign_pdf(render(specimen_snapshot(), hsm_signer))

    result = verify_pdf(signed, hsm_signer.trust_roots, hsm_signer.certificate)

    assert result.authentic, result.checks
    assert "DEVELOPMENT HSM signing key" in (result.signer_subject or "")
    assert hsm_signer.info()["key_location"].startswith("PKCS#11 token 'LabCert'")
    assert hsm_signer.info()["key_type"] == "EC P-256"


def test_a_b_lta_signature_from_the_token_validates_with_a_foreign_tsa(
    token: DevToken, loopback: LoopbackPki, tmp_path: Path
) -> None:
    tsa_root = tmp_path / "tsa-root.pem"
    tsa_root.write_bytes(loopback.root.public_bytes(serialization.Encoding.PEM))
    signer = load_signer(SigningSettings(
        pkcs11=token.settings, dev_dir=_dev_dir(token), tsa_url=loopback.tsa_url(),
        tsa_roots=(tsa_root,),
    ))

    signed = signer.sign_pdf(render(specimen_snapshot(), signer))
    result = verify_pdf(signed, signer.trust_roots, signer.certificate, tsa_roots=[loopback.root])
    untrusted_tsa = verify_pdf(signed, signer.trust_roots, signer.certificate)

    assert signer.level is SignatureLevel.B_LTA
    assert result.authentic, result.checks
    assert result.pades_level == "B-LTA" and "Test TSA 1" in (result.validated_by or "")
    assert not untrusted_tsa.authentic  # the TSA's root must be trusted for its time to count
    assert "from an authority this check does not trust" in check(untrusted_tsa, "signer").message


def test_the_qr_seal_is_made_inside_the_token(hsm_signer: LabSigner) -> None:
    facts = CertificateFacts.from_json(specimen_snapshot()).qr_facts()

    token = make_qr_token(hsm_signer, facts)

    assert read_qr_token(token, [hsm_signer.certificate]) == facts


def test_the_private_key_cannot_be_exported_from_the_token(token: DevToken) -> None:
    from pkcs11 import Attribute, KeyType, ObjectClass
    from pkcs11.exceptions import AttributeSensitive, KeyUnextractable

    with open_session(token.settings, rw=True) as session:
        key = session.get_key(object_class=ObjectClass.PRIVATE_KEY, label=token.settings.key_label)
        wrapper = session.generate_key(KeyType.AES, 256, label="export-attempt",
                                       template={Attribute.WRAP: True})

        assert key[Attribute.EXTRACTABLE] is False
        assert key[Attribute.SENSITIVE] is True
        assert key[Attribute.NEVER_EXTRACTABLE] is True
        with pytest.raises(AttributeSensitive):
            key[Attribute.VALUE]  # the private scalar
        with pytest.raises(KeyUnextractable):
            wrapper.wrap_key(key)


def _sign_in_child(data: bytes) -> bytes:
    return load_signer(_CHILD_SETTINGS[0]).sign_token(data)


_CHILD_SETTINGS: list[SigningSettings] = []


def test_a_forked_worker_opens_its_own_session(hsm_signer: LabSigner, token: DevToken) -> None:
    _CHILD_SETTINGS[:] = [SigningSettings(pkcs11=token.settings)]  # cached: the parent's signer
    with multiprocessing.get_context("fork").Pool(1) as pool:
        seal = pool.apply(_sign_in_child, (b"LabCert-QR-v1\x00payload",))

    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

    der = encode_dss_signature(int.from_bytes(seal[:32], "big"), int.from_bytes(seal[32:], "big"))
    hsm_signer.certificate.public_key().verify(  # type: ignore[call-arg]
        der, b"LabCert-QR-v1\x00payload", ec.ECDSA(hashes.SHA256()))
    assert hsm_signer.sign_token(b"still works in the parent")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"module": "/nonexistent/libpkcs11.so"}, "PKCS#11 module not found"),
        ({"token_label": "Nope"}, "no token labelled 'Nope'.*tokens present: .*LabCert"),
        ({"pin": "0000", "pin_file": None}, "wrong PIN for token 'LabCert'"),
        ({"pin": None, "pin_file": None}, "set LABCERT_SIGNING_PKCS11_PIN or .*_PIN_FILE"),
        ({"pin_file": Path("/nonexistent/pin")}, "cannot read the PIN file"),
        ({"key_label": "missing"}, "no private key labelled 'missing'.*_KEY_LABEL"),
        ({"cert_label": "missing"}, "no certificate labelled 'missing'.*_CERT_LABEL"),
    ],
)
def test_a_misconfigured_token_is_refused_with_one_clear_line(
    token: DevToken, change: dict[str, object], message: str
) -> None:
    settings: Pkcs11Settings = dataclasses.replace(token.settings, **change)
    reinitialize(token.settings.module)  # log out: PKCS#11 keeps one login per process

    with pytest.raises(SigningKeyError, match=message) as error:
        load_signer(SigningSettings(pkcs11=settings))

    assert "\n" not in str(error.value)
