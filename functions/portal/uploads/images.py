"""Images (JPEG, PNG): decoded by Pillow within a pixel budget, refused when truncated, corrupt, a
decompression bomb, or followed by another file."""

from __future__ import annotations

import io
import re
import warnings
from functools import cache
from typing import IO, TYPE_CHECKING

from portal.uploads.formats import JPEG, MAX_PIXELS, PNG, TRAILING_PADDING

if TYPE_CHECKING:
    from types import ModuleType


# A progressive JPEG is decoded once per scan over the whole image; a few hundred bytes of repeated
# scans make a minutes-long decode. Real photos have at most a dozen or so scans.
JPEG_SCAN_PIXELS = 20 * MAX_PIXELS


@cache
def load_decoder() -> ModuleType:
    from PIL import Image  # only the upload check decodes images; loaded once, before the sandbox forks

    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    return Image


def decode_image(copy: IO[bytes], media_type: str) -> str | None:
    image_module = load_decoder()
    data = copy.read()
    formats = [media_type.removeprefix("image/").upper()]
    end = _jpeg_end(data) if media_type == JPEG else _png_end(data)
    if end is None:
        return "upload.image_unreadable"  # a structure we cannot follow to its end
    if data[end:].strip(TRAILING_PADDING):
        return "upload.polyglot"  # a decoder stops at the end; what follows is another file
    try:
        with warnings.catch_warnings():
            # Pillow warns from MAX_IMAGE_PIXELS and only raises at twice that: refuse from the warning.
            warnings.simplefilter("error", image_module.DecompressionBombWarning)
            if media_type == PNG:  # every chunk's checksum, through to IEND: decoding alone misses both
                with image_module.open(io.BytesIO(data), formats=formats) as image:
                    image.verify()
            with image_module.open(io.BytesIO(data), formats=formats) as image:
                # Start-of-scan markers, counted high (an embedded thumbnail has some too).
                scans = data.count(b"\xff\xda") if media_type == JPEG else 1
                if scans * image.width * image.height > JPEG_SCAN_PIXELS:
                    return "upload.image_unreadable"
                image.load()
    except Exception:  # truncated, corrupt, a bomb, or not what its magic number said
        return "upload.image_unreadable"
    return None


# A JPEG marker between segments: 0xFF (fill bytes may repeat it), then its code.
_JPEG_MARKER = re.compile(rb"\xff+([^\x00\xff])")
# The end of a scan's entropy-coded data: a marker other than a stuffed 0xFF00 or a restart (RSTn).
_JPEG_SCAN_END = re.compile(rb"\xff+(?=[^\x00\xd0-\xd7\xff])")
_JPEG_STANDALONE = frozenset({0x01, *range(0xD0, 0xD8)})  # TEM, RST0-7: no length follows
_JPEG_SOS, _JPEG_EOI = 0xDA, 0xD9


def _jpeg_end(data: bytes) -> int | None:
    """Where the JPEG's end-of-image marker ends, walking its segments (an embedded thumbnail lies
    inside its APP1 segment and is skipped whole), or None when the structure breaks first."""
    position = 2  # after SOI
    while marker := _JPEG_MARKER.match(data, position):
        code, position = marker.group(1)[0], marker.end()
        if code == _JPEG_EOI:
            return position
        if code in _JPEG_STANDALONE:
            continue
        if position + 2 > len(data):
            return None
        position += int.from_bytes(data[position : position + 2], "big")
        if code == _JPEG_SOS:
            scan_end = _JPEG_SCAN_END.search(data, position)
            if scan_end is None:
                return None
            position = scan_end.start()
    return None


def _png_end(data: bytes) -> int | None:
    """Where the PNG's IEND chunk ends, walking its chunks, or None when the structure breaks first."""
    position = 8  # after the signature
    while position + 12 <= len(data):
        length = int.from_bytes(data[position : position + 4], "big")
        kind = data[position + 4 : position + 8]
        position += 12 + length
        if kind == b"IEND":
            return position if position <= len(data) else None
    return None
