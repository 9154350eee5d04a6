"""Hostile files for the upload tests: compression bombs, built small and in memory."""

from __future__ import annotations

import gzip
import io
import struct
import zipfile
import zlib
from collections.abc import Callable
from functools import cache

MB = 1 << 20
BOMB_BYTES = 32 * MB
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 64


@cache
def object_stream_bomb() -> bytes:
    """Return a 33 KB PDF whose catalog sits in an object stream that inflates to 32 MB.

    Any PDF reader must inflate an object stream to find the objects in it, so this reaches
    the decompressor before any signature is looked at.
    """
    head, catalog = b"2 0 ", b"<< /Type /Catalog /Pages 3 0 R >> "
    compressor = zlib.compressobj(9)
    packed = compressor.compress(head + catalog) + b"".join(
        compressor.compress(b"x" * MB) for _ in range(BOMB_BYTES // MB)) + compressor.flush()
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = [len(out)]
    out += (b"1 0 obj\n<< /Type /ObjStm /N 1 /First %d /Length %d /Filter /FlateDecode >>\n"
            b"stream\n" % (len(head), len(packed))) + packed + b"\nendstream\nendobj\n"
    offsets.append(len(out))
    out += b"3 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\n"
    offsets.append(len(out))
    entries = [(0, 0, 65535), (1, offsets[0], 0), (2, 1, 0), (1, offsets[1], 0),
               (1, offsets[2], 0)]
    rows = b"".join(struct.pack(">BIH", *entry) for entry in entries)
    out += (b"4 0 obj\n<< /Type /XRef /Size 5 /W [1 4 2] /Root 2 0 R /Length %d >>\nstream\n"
            % len(rows)) + rows + b"\nendstream\nendobj\n"
    return bytes(out + b"startxref\n%d\n%%%%EOF\n" % offsets[2])


def _deflated(size: int) -> bytes:
    compressor = zlib.compressobj(9)
    return b"".join(compressor.compress(b"x" * MB) for _ in range(size // MB)) + \
        compressor.flush()


_attachment_bombs: dict[int, bytes] = {}


def attachment_bomb(sign: Callable[[bytes], bytes]) -> bytes:
    """Return a signed 40 KB PDF whose attached certificate.json inflates to 32 MB.

    The verifier reads the attachment before it checks the signature, so any key would do;
    the test signs with the one at hand.
    """
    if not _attachment_bombs:
        packed = _deflated(BOMB_BYTES)
        objects = [b"<< /Type /Catalog /Pages 2 0 R /Names << /EmbeddedFiles 4 0 R >> >>",
                   b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                   b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 100 100] >>",
                   b"<< /Names [(certificate.json) 5 0 R] >>",
                   b"<< /Type /Filespec /F (certificate.json) /EF << /F 6 0 R >> >>",
                   b"<< /Type /EmbeddedFile /Length %d /Filter /FlateDecode >>\nstream\n"
                   % len(packed) + packed + b"\nendstream"]
        out, offsets = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"), []
        for number, body in enumerate(objects, 1):
            offsets.append(len(out))
            out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
        xref = len(out)
        out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
        out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
        out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
            len(objects) + 1, xref)
        _attachment_bombs[0] = sign(bytes(out))
    return _attachment_bombs[0]


@cache
def gzip_bomb() -> bytes:
    """Return a gzip file of 32 MB of zeros (about 32 KB)."""
    out = io.BytesIO()
    with gzip.GzipFile(fileobj=out, mode="wb", compresslevel=9) as packed:
        for _ in range(BOMB_BYTES // MB):
            packed.write(b"\0" * MB)
    return out.getvalue()


@cache
def zip_bomb() -> bytes:
    """Return a zip holding one 32 MB file of zeros."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive, \
            archive.open("results.csv", "w") as member:
        for _ in range(BOMB_BYTES // MB):
            member.write(b"\0" * MB)
    return out.getvalue()
