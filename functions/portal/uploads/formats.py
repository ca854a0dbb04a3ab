"""What an upload may be: the media types we accept per purpose, how each announces itself in its
first bytes, and the size limits every check shares."""

from __future__ import annotations

MAX_BYTES = 25 * 1024 * 1024
# A decoded image costs about 4 bytes a pixel in Pillow; 50 megapixels (a full-resolution 48 MP phone
# photo) is 200 MB, which still fits the functions' 512 MB beside everything else.
MAX_PIXELS = 50_000_000
# After a PDF's last %%EOF (an incremental update has several: only the last ends the file), an image's
# EOI or IEND, only this may follow: line ends and padding. Anything else is a second file appended.
TRAILING_PADDING = b"\x00\t\n\x0c\r "

PDF, JPEG, PNG = "application/pdf", "image/jpeg", "image/png"
ACCEPTED: dict[str, frozenset[str]] = {
    "audit_report": frozenset({PDF}),
    "evidence": frozenset({PDF, JPEG, PNG}),
}
_MAGIC = ((b"%PDF-", PDF), (b"\xff\xd8\xff", JPEG), (b"\x89PNG\r\n\x1a\n", PNG))


def media_type_of(head: bytes) -> str | None:
    """The media type the first bytes announce, or None when they announce nothing we accept."""
    return next((media_type for magic, media_type in _MAGIC if head.startswith(magic)), None)
