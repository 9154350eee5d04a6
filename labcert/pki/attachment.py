"""The certificate's attached JSON, read from the signed revision with a bound on its size."""

from __future__ import annotations

import json
import zlib
from typing import Any

from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.reader import PdfFileReader

ATTACHMENT_NAME = "certificate.json"
MAX_ATTACHMENT = 1 << 20  # the certificate's JSON is a few KB; 1 MiB is generous


def read_attachment(reader: PdfFileReader, revision: int) -> dict[str, Any] | None:
    """Read the attached certificate JSON as it was in the signed revision, or None."""
    try:
        root = reader.get_historical_root(revision)
        tree = root["/Names"]["/EmbeddedFiles"]
        for name, filespec in _name_tree(tree):
            if name == ATTACHMENT_NAME:
                data = _bounded_data(filespec["/EF"]["/F"])
                if data is None:
                    return None
                value = json.loads(data.decode("utf-8"), parse_constant=_refuse_constant)
                return value if isinstance(value, dict) else None
    except Exception:  # a damaged or absent attachment simply means no data to show
        return None
    return None


def _bounded_data(stream: generic.StreamObject) -> bytes | None:
    """Inflate an attachment stream at most MAX_ATTACHMENT bytes far (a bomb is not read)."""
    raw = stream.encoded_data
    filters = stream.get("/Filter")
    names = [filters] if isinstance(filters, generic.NameObject) else list(filters or [])
    if not names:
        return raw if len(raw) <= MAX_ATTACHMENT else None
    if names != ["/FlateDecode"]:
        return None  # the lab writes Flate only; anything else is not its attachment
    inflater = zlib.decompressobj()
    data = inflater.decompress(raw, MAX_ATTACHMENT + 1)
    if len(data) > MAX_ATTACHMENT or inflater.unconsumed_tail:
        return None
    return data


def _name_tree(node: generic.DictionaryObject, depth: int = 0):
    """Yield (name, value) pairs of a PDF name tree, following /Kids a few levels deep."""
    if depth > 8:
        return
    names = node.get("/Names")
    if names is not None:
        for i in range(0, len(names) - 1, 2):
            yield str(names[i]), names[i + 1]
    for kid in node.get("/Kids") or ():
        yield from _name_tree(kid, depth + 1)


def _refuse_constant(name: str) -> None:
    raise ValueError(f"{name} is not valid JSON")
