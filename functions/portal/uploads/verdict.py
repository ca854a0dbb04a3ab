"""The verdict on an upload: read once with bounded memory, then judged by its bytes — its size, its
type by content (not by name), a second file hidden before or after it, and what the PDF or image
parsers make of it (each in the sandbox)."""

from __future__ import annotations

import hashlib
import tempfile
from dataclasses import dataclass
from typing import BinaryIO

from portal.uploads import images, pdf, sandbox
from portal.uploads.formats import ACCEPTED, MAX_BYTES, PDF, TRAILING_PADDING, media_type_of

CHUNK = 1024 * 1024
# Up to this much stays in memory while we check; beyond it the copy goes to a temporary file.
SPOOL_IN_MEMORY = 4 * 1024 * 1024
# Like Acrobat, we want a PDF's %%EOF marker within its last 1024 bytes. Checking it first also spares
# pypdf a byte-by-byte search backwards through a file that has none (seconds for 25 MB).
PDF_TAIL = 1024
# Viewers find a PDF whose %PDF- header is anywhere in its first 1024 bytes: that far, a header not
# at the start means another file in front of the PDF (HTML, an image), i.e. a polyglot.
PDF_HEAD = 1024


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


def check(stream: BinaryIO, declared_size: int | None, kind: str) -> Verdict:
    """Read `stream` once (bounded memory), then decide from its bytes whether a `kind` upload is acceptable."""
    if kind not in ACCEPTED:
        raise ValueError(f"unknown upload kind: {kind!r}")
    if declared_size is not None and declared_size > MAX_BYTES:
        return _refused("upload.too_large", size=declared_size)
    with tempfile.SpooledTemporaryFile(max_size=SPOOL_IN_MEMORY) as copy:
        digest, size = hashlib.sha256(), 0
        head = tail = b""
        end = _PdfEnd()
        while chunk := stream.read(CHUNK):
            size += len(chunk)
            if size > MAX_BYTES:
                return _refused("upload.too_large", size=size)
            if len(head) < PDF_HEAD:
                head += chunk[: PDF_HEAD - len(head)]
            tail = (tail + chunk[-PDF_TAIL:])[-PDF_TAIL:]
            end.feed(chunk)
            digest.update(chunk)
            copy.write(chunk)
        sha256 = digest.hexdigest()
        if size == 0:
            return _refused("upload.empty", sha256=sha256)
        if declared_size is not None and declared_size != size:
            return _refused("upload.size_mismatch", sha256=sha256, size=size)
        media_type = media_type_of(head)
        if (media_type != PDF and b"%PDF-" in head) or (media_type == PDF and end.appended):
            # A PDF behind other content, or an image that is also a PDF, or content after the
            # PDF's end: each viewer would show its own file, and only one of them was checked.
            return _refused("upload.polyglot", media_type=media_type, sha256=sha256, size=size)
        if media_type not in ACCEPTED[kind]:
            wrong_type = "upload.not_pdf" if kind == "audit_report" else "upload.not_allowed_type"
            return _refused(wrong_type, media_type=media_type, sha256=sha256, size=size)
        copy.seek(0)
        reason: str | None
        pages: int | None
        if media_type == PDF:
            if b"%%EOF" in tail:
                pdf.load_parser()  # imported here once, not in every child
                reason, pages = sandbox.contained(lambda: pdf.read_pdf(copy), "upload.pdf_unreadable")
            else:
                reason, pages = "upload.pdf_unreadable", None
        else:
            images.load_decoder()
            reason, pages = sandbox.contained(
                lambda: (images.decode_image(copy, media_type), None), "upload.image_unreadable"
            )
        return Verdict(
            ok=reason is None, reason=reason, media_type=media_type, sha256=sha256, size=size, pages=pages
        )


class _PdfEnd:
    """Whether anything but padding follows the last %%EOF of the bytes fed so far, read in chunks."""

    def __init__(self) -> None:
        self.seen = False
        self.appended = False
        self._carry = b""  # the previous chunk's last bytes: a marker may span two chunks

    def feed(self, chunk: bytes) -> None:
        window = self._carry + chunk
        at = window.rfind(b"%%EOF")
        if at >= 0:
            self.seen = True
            self.appended = bool(window[at + 5 :].strip(TRAILING_PADDING))
        elif self.seen and not self.appended:
            self.appended = bool(chunk.strip(TRAILING_PADDING))
        self._carry = window[-4:]


def _refused(
    reason: str, *, media_type: str | None = None, sha256: str | None = None, size: int = 0
) -> Verdict:
    return Verdict(ok=False, reason=reason, media_type=media_type, sha256=sha256, size=size)
