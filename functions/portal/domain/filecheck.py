"""Upload checks: what an uploaded file really is, judged by its bytes, and whether we accept it."""

from __future__ import annotations

import hashlib
import tempfile
import warnings
from dataclasses import dataclass
from functools import cache
from typing import IO, TYPE_CHECKING, BinaryIO

if TYPE_CHECKING:
    from types import ModuleType

MAX_BYTES = 25 * 1024 * 1024
# A decoded image costs about 4 bytes a pixel in Pillow; 50 megapixels (a full-resolution 48 MP phone
# photo) is 200 MB, which still fits the functions' 512 MB beside everything else.
MAX_PIXELS = 50_000_000
CHUNK = 1024 * 1024
# Up to this much stays in memory while we check; beyond it the copy goes to a temporary file.
SPOOL_IN_MEMORY = 4 * 1024 * 1024
# Like Acrobat, we want a PDF's %%EOF marker within its last 1024 bytes. Checking it first also spares
# pypdf a byte-by-byte search backwards through a file that has none (seconds for 25 MB).
PDF_TAIL = 1024

PDF, JPEG, PNG = "application/pdf", "image/jpeg", "image/png"
ACCEPTED: dict[str, frozenset[str]] = {
    "audit_report": frozenset({PDF}),
    "evidence": frozenset({PDF, JPEG, PNG}),
}
_MAGIC = ((b"%PDF-", PDF), (b"\xff\xd8\xff", JPEG), (b"\x89PNG\r\n\x1a\n", PNG))


@dataclass(frozen=True)
class Verdict:
    """What the check found. `reason` is a message key when the file is refused.

    `size` is the number of bytes read; a file refused as too large was read only just past the
    limit (or not at all when its declared size already exceeded it), so `sha256` is then None.
    """

    ok: bool
    reason: str | None
    media_type: str | None
    sha256: str | None
    size: int
    pages: int | None = None


def media_type_of(head: bytes) -> str | None:
    """The media type the first bytes announce, or None when they announce nothing we accept."""
    return next((media_type for magic, media_type in _MAGIC if head.startswith(magic)), None)


def check(stream: BinaryIO, declared_size: int | None, kind: str) -> Verdict:
    """Read `stream` once (bounded memory), then decide from its bytes whether a `kind` upload is acceptable."""
    if kind not in ACCEPTED:
        raise ValueError(f"unknown upload kind: {kind!r}")
    if declared_size is not None and declared_size > MAX_BYTES:
        return _refused("upload.too_large", size=declared_size)
    with tempfile.SpooledTemporaryFile(max_size=SPOOL_IN_MEMORY) as copy:
        digest, size = hashlib.sha256(), 0
        head = tail = b""
        while chunk := stream.read(CHUNK):
            size += len(chunk)
            if size > MAX_BYTES:
                return _refused("upload.too_large", size=size)
            if len(head) < 8:
                head += chunk[: 8 - len(head)]
            tail = (tail + chunk[-PDF_TAIL:])[-PDF_TAIL:]
            digest.update(chunk)
            copy.write(chunk)
        sha256 = digest.hexdigest()
        if size == 0:
            return _refused("upload.empty", sha256=sha256)
        if declared_size is not None and declared_size != size:
            return _refused("upload.size_mismatch", sha256=sha256, size=size)
        media_type = media_type_of(head)
        if media_type not in ACCEPTED[kind]:
            wrong_type = "upload.not_pdf" if kind == "audit_report" else "upload.not_allowed_type"
            return _refused(wrong_type, media_type=media_type, sha256=sha256, size=size)
        copy.seek(0)
        reason: str | None
        pages: int | None
        if media_type == PDF:
            reason, pages = _read_pdf(copy) if b"%%EOF" in tail else ("upload.pdf_unreadable", None)
        else:
            reason, pages = _decode_image(copy, media_type), None
        return Verdict(
            ok=reason is None, reason=reason, media_type=media_type, sha256=sha256, size=size, pages=pages
        )


def _refused(
    reason: str, *, media_type: str | None = None, sha256: str | None = None, size: int = 0
) -> Verdict:
    return Verdict(ok=False, reason=reason, media_type=media_type, sha256=sha256, size=size)


def _read_pdf(copy: IO[bytes]) -> tuple[str | None, int | None]:
    from pypdf import PdfReader

    try:
        reader = PdfReader(copy)
        if reader.is_encrypted:
            # Refused even when it opens without a password: such a file may still forbid printing or
            # copying, and the producer can always save an unprotected copy.
            return "upload.pdf_encrypted", None
        pages = len(reader.pages)
    except Exception:  # a parser of hostile input fails in any way it likes; each means "unreadable"
        return "upload.pdf_unreadable", None
    return (None, pages) if pages >= 1 else ("upload.pdf_unreadable", None)


@cache
def _pillow() -> ModuleType:
    from PIL import Image

    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    return Image


def _decode_image(copy: IO[bytes], media_type: str) -> str | None:
    image_module = _pillow()
    try:
        with warnings.catch_warnings():
            # Pillow warns from MAX_IMAGE_PIXELS and only raises at twice that: refuse from the warning.
            warnings.simplefilter("error", image_module.DecompressionBombWarning)
            with image_module.open(copy, formats=[media_type.removeprefix("image/").upper()]) as image:
                image.load()
    except Exception:  # truncated, corrupt, a bomb, or not what its magic number said
        return "upload.image_unreadable"
    return None
