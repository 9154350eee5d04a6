"""The JSON-LD contexts a LabCert credential names, kept here so that checking works offline.

Two contexts:

- the W3C Verifiable Credentials 2.0 base context, always named by its W3C URL (the data model
  requires it first). ``jsonld/credentials-v2.jsonld`` is the W3C document as shipped in the
  PyPI wheel ``acapy-agent`` 1.7.0 (Apache-2.0; the context itself is W3C's, under the W3C
  Software and Document License), with the one change the final Bitstring Status List
  Recommendation made (``statusSize``, ``statusMessage`` and ``statusReference`` moved from
  ``BitstringStatusList`` to ``BitstringStatusListEntry``). Its JSON equals the W3C file whose
  SHA-256 the Recommendation publishes; ``CREDENTIALS_V2_JSON_SHA256`` pins the digest of its
  canonical JSON so that a change is noticed.
- LabCert's own context for the UNTP Digital Conformity Credential terms it uses, written for
  LabCert. UNTP terms map to the IRIs of the UNTP vocabulary (``untp-core``/``untp-dcc``, major
  version 0), product terms to schema.org where it has them, and the few LabCert terms (TACs,
  hardware version, criteria set, per-criterion verdict) to the lab's own namespace under its
  public URL. It is versioned in its URL and never edited: a change is a new version.
"""

from __future__ import annotations

import copy
import functools
import hashlib
import json
from collections.abc import Callable
from importlib import resources
from typing import Any

CREDENTIALS_V2_URL = "https://www.w3.org/ns/credentials/v2"
CREDENTIALS_V2_PATH = "/contexts/credentials-v2.jsonld"
LABCERT_DCC_PATH = "/contexts/labcert-dcc-v1.jsonld"
VOCABULARY_PATH = "/ns/labcert/v1"
# SHA-256 of the canonical JSON (sorted keys, compact) of the W3C context; see the docstring.
CREDENTIALS_V2_JSON_SHA256 = "b463c8d6a066214123ddd9827b135e1b50e1fc73322cc52a9b12a4f1fc7d86cf"
_PLACEHOLDER = "{public_url}"

DocumentLoader = Callable[[str, dict[str, Any] | None], dict[str, Any]]


class UnknownContext(LookupError):
    """A context URL that LabCert does not keep locally (verification never fetches one)."""


@functools.cache
def _data(name: str) -> bytes:
    return resources.files("labcert.credentials").joinpath("jsonld", name).read_bytes()


def credentials_v2_context() -> dict[str, Any]:
    """Return the W3C VC 2.0 base context document."""
    return json.loads(_data("credentials-v2.jsonld"))


def labcert_context_url(public_url: str) -> str:
    """Return the URL at which the lab serves its credential context."""
    return public_url.rstrip("/") + LABCERT_DCC_PATH


def labcert_context(public_url: str) -> dict[str, Any]:
    """Return the lab's credential context, its own terms under the lab's public URL."""
    text = _data("labcert-dcc-v1.jsonld").decode("utf-8")
    return json.loads(text.replace(_PLACEHOLDER, public_url.rstrip("/")))


def context_bytes(document: dict[str, Any]) -> bytes:
    """Serialise a context document the way LabCert serves it (stable bytes for an ETag)."""
    return (json.dumps(document, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def canonical_sha256(document: dict[str, Any]) -> str:
    """Return the SHA-256 of a JSON document's canonical form (sorted keys, compact)."""
    text = json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def local_contexts(public_url: str) -> dict[str, dict[str, Any]]:
    """Return every context a LabCert credential of this lab may name, by URL."""
    base = public_url.rstrip("/")
    v2 = credentials_v2_context()
    return {
        CREDENTIALS_V2_URL: v2,
        base + CREDENTIALS_V2_PATH: v2,
        labcert_context_url(base): labcert_context(base),
    }


def document_loader(public_url: str) -> DocumentLoader:
    """Return a pyld-style document loader that serves only the local contexts, never the net."""
    documents = local_contexts(public_url)

    def load(url: str, options: dict[str, Any] | None = None) -> dict[str, Any]:
        if url not in documents:
            raise UnknownContext(f"{url} is not a context LabCert keeps locally")
        return {
            "contentType": "application/ld+json",
            "contextUrl": None,
            "documentUrl": url,
            "document": copy.deepcopy(documents[url]),  # the processor may change what it gets
        }

    return load
