"""PAdES baseline levels: what each adds to the signature, and which one a configuration means.

- B-B: the signature and the signer's chain. Checked against the signing certificate's validity
  *today*: it stops verifying the day that certificate expires.
- B-T: plus a signature time-stamp from an RFC 3161 authority, proving when it was signed.
- B-LT: plus the revocation data (OCSP responses or CRLs) of the chain and the time-stamp, in the
  document security store (DSS), so the signature can be checked at its proven time.
- B-LTA: plus a document time-stamp over all of that, renewable before its authority expires.
"""

from __future__ import annotations

import enum

from labcert.pki.material import SigningKeyError


class SignatureLevel(enum.StrEnum):
    """A PAdES baseline level, ordered from least to most durable."""

    B_B = "B-B"
    B_T = "B-T"
    B_LT = "B-LT"
    B_LTA = "B-LTA"

    @property
    def rank(self) -> int:
        """Return the level's position, B-B being 0."""
        return list(SignatureLevel).index(self)

    @property
    def needs_tsa(self) -> bool:
        """Tell whether the level needs a time-stamping authority."""
        return self is not SignatureLevel.B_B

    @property
    def embeds_revocation_data(self) -> bool:
        """Tell whether the level embeds the chain's revocation data (B-LT and B-LTA)."""
        return self.rank >= SignatureLevel.B_LT.rank


class SignatureLevelError(SigningKeyError):
    """The configured signature level is unknown or cannot be produced (a start-up error)."""


def resolve_level(configured: str | None, tsa_url: str | None) -> SignatureLevel:
    """Return the level to sign at: the configured one, else B-LTA with a TSA and B-B without."""
    if configured is None or not str(configured).strip():
        return SignatureLevel.B_LTA if tsa_url else SignatureLevel.B_B
    text = str(configured).strip().upper().replace("_", "-").removeprefix("PADES-")
    if not text.startswith("B-"):
        text = "B-" + text  # "LTA" is read as "B-LTA"
    try:
        level = SignatureLevel(text)
    except ValueError:
        choices = ", ".join(level.value for level in SignatureLevel)
        raise SignatureLevelError(
            f"LABCERT_SIGNATURE_LEVEL={configured!r} is not a PAdES level: use one of {choices}"
        ) from None
    if level.needs_tsa and not tsa_url:
        raise SignatureLevelError(
            f"LABCERT_SIGNATURE_LEVEL={level} needs a time-stamping authority: set"
            " LABCERT_TSA_URL, or choose B-B"
        )
    return level
