"""Upload checks: what an uploaded file really is, judged by its bytes, and whether we accept it.

Every upload is hostile until shown otherwise, so reading it is bounded three ways: the parsers'
own limits (pypdf's `Configuration`, Pillow's `MAX_IMAGE_PIXELS`, and ours below), and, around
them, a child process with a time and a memory limit, killed when it overruns: a file that cannot be
checked within those limits is refused as unreadable, never a crash or a hang of the function.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import logging
import math
import os
import re
import selectors
import signal
import sys
import tempfile
import time
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from itertools import chain, islice
from typing import IO, TYPE_CHECKING, Any, BinaryIO, cast

if TYPE_CHECKING:
    from types import FrameType, ModuleType

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
# Viewers find a PDF whose %PDF- header is anywhere in its first 1024 bytes: that far, a header not
# at the start means another file in front of the PDF (HTML, an image), i.e. a polyglot.
PDF_HEAD = 1024
# After a PDF's last %%EOF (an incremental update has several: only the last ends the file), an image's
# EOI or IEND, only this may follow: line ends and padding. Anything else is a second file appended.
_TRAILING_PADDING = b"\x00\t\n\x0c\r "
# Reading a file's content (PDF parse, image decode) happens in a child process with this much CPU
# time and this much memory beyond what the function already uses; it is killed when it overruns, or
# when it has not answered after CHECK_WALL_FACTOR times as long (starved or stuck). Real files need
# a fraction of it (CPU time of a 25 MB PDF: a quarter of a second; of a 48 MP progressive JPEG, the
# slowest photo: one second); hostile ones are refused as unreadable.
CHECK_SECONDS = 5.0
CHECK_WALL_FACTOR = 3
CHECK_MEMORY = 512 * 1024 * 1024
CHECK_RECURSION = 1000  # frames for the parse: nesting in real files is a few dozen levels at most
# A progressive JPEG is decoded once per scan over the whole image; a few hundred bytes of repeated
# scans make a minutes-long decode. Real photos have at most a dozen or so scans.
JPEG_SCAN_PIXELS = 20 * MAX_PIXELS
# Nodes (dictionaries, arrays) visited looking for active content in a PDF, beyond which it is
# refused as unreadable: a real document has a few per page, annotation, form field and bookmark.
PDF_WALK_NODES = 500_000
# Decoded object streams (compressed objects) that the raw scan reads, beyond which a PDF is refused as
# unreadable: a real document's are a few MB.
PDF_OBJECT_STREAM_BYTES = 64 * 1024 * 1024
# pypdf's limits while we read a PDF. We decode only what parsing needs (cross-reference and object
# streams, a few MB at most in real files), never page content or images, so decoders get far less
# than pypdf's defaults (75 MB out, 300 MB of work per stream).
_PDF_LIMITS: dict[str, int] = {
    "zlib_maximum_output_length": 32 * 1024 * 1024,
    "lzw_maximum_output_length": 32 * 1024 * 1024,
    "run_length_maximum_output_length": 32 * 1024 * 1024,
    "brotli_maximum_output_length": 32 * 1024 * 1024,
    "jbig2_maximum_output_length": 32 * 1024 * 1024,
    "array_based_stream_maximum_output_length": 32 * 1024 * 1024,
    "stream_decoding_work_maximum_length": 64 * 1024 * 1024,
    # pypdf retries a corrupt Flate stream one input byte at a time: about a second a megabyte.
    "zlib_maximum_recovery_input_length": 1024 * 1024,
}
_XREF_STREAM_ENTRIES = 1_000_000

PDF, JPEG, PNG = "application/pdf", "image/jpeg", "image/png"
ACCEPTED: dict[str, frozenset[str]] = {
    "audit_report": frozenset({PDF}),
    "evidence": frozenset({PDF, JPEG, PNG}),
}
_MAGIC = ((b"%PDF-", PDF), (b"\xff\xd8\xff", JPEG), (b"\x89PNG\r\n\x1a\n", PNG))

# Active content: an audit report or evidence has no business running scripts, starting programs,
# sending form data, or carrying other files inside it.
_ACTIVE_ACTIONS = frozenset(
    {"/JavaScript", "/Launch", "/SubmitForm", "/ImportData", "/RichMediaExecute", "/GoToE"}
)
_ACTIVE_ANNOTATIONS = frozenset({"/FileAttachment", "/RichMedia"})
# Keys whose mere presence is active content: an action's script, the document's named scripts and
# embedded files, a file specification's embedded file, an XFA form, a portfolio.
_ACTIVE_KEYS = ("/JS", "/JavaScript", "/EmbeddedFiles", "/EF", "/XFA", "/Collection")
# Where actions and attachments hang: document and page actions, annotations and their actions,
# form fields, bookmarks, the name dictionary, file specifications, chained actions.
_FOLLOW = (
    *("/OpenAction", "/A", "/Next", "/Annots", "/FS"),
    *("/Names", "/AcroForm", "/Fields", "/Kids", "/Outlines", "/First"),
)
# The raw scan's names: those above, written as names in the file.
_ACTIVE_NAMES = (
    *(b"JavaScript", b"JS", b"Launch", b"SubmitForm", b"ImportData", b"GoToE", b"XFA"),
    *(b"EmbeddedFiles", b"EmbeddedFile", b"FileAttachment", b"RichMediaExecute", b"RichMedia"),
)
# Any of those names as a whole token (a PDF name ends at whitespace or a delimiter).
_RAW_ACTIVE = re.compile(rb"/(?:%s)(?![^\x00\t\n\x0c\r ()<>\[\]{}/%%])" % b"|".join(_ACTIVE_NAMES))
# A letter written #xx (`/J#61vaScript` is `/JavaScript`): never needed, so there only to hide a name.
_ESCAPED_LETTER = re.compile(rb"#(?:4[1-9A-Fa-f]|5[0-9Aa]|6[1-9A-Fa-f]|7[0-9Aa])")
# What changes how the bytes that follow read: a comment, a literal or hex string, a stream's data.
# (Each alternative starts with its character, the assertions after it, for the regex engine's fast skip.)
_RAW_CONTEXT = re.compile(rb"%|\(|<(?<!<<)(?!<)|stream(?<![^\x00\t\n\x0c\r >]stream)(?=\r\n|\n|\r)")
_RAW_STRING = re.compile(rb"\\.|[()]", re.DOTALL)
_RAW_EOL = re.compile(rb"[\r\n]")
# Beyond this many comments, strings, streams and string parentheses, the raw scan stops telling them
# apart and looks for the names everywhere: no real PDF has that many outside its streams.
_RAW_STEPS = 200_000
# More letters written #xx than this is a file written to hide its names: refused as unreadable. (The
# binary data in a real 25 MB PDF holds some by chance: about three a megabyte.)
_RAW_ESCAPES = 10_000


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
                _pypdf()  # imported here once, not in every child
                reason, pages = _contained(lambda: _read_pdf(copy), "upload.pdf_unreadable")
            else:
                reason, pages = "upload.pdf_unreadable", None
        else:
            _pillow()
            reason, pages = _contained(
                lambda: (_decode_image(copy, media_type), None), "upload.image_unreadable"
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
            self.appended = bool(window[at + 5 :].strip(_TRAILING_PADDING))
        elif self.seen and not self.appended:
            self.appended = bool(chunk.strip(_TRAILING_PADDING))
        self._carry = window[-4:]


def _refused(
    reason: str, *, media_type: str | None = None, sha256: str | None = None, size: int = 0
) -> Verdict:
    return Verdict(ok=False, reason=reason, media_type=media_type, sha256=sha256, size=size)


Answer = tuple[str | None, int | None]  # (refusal reason or None, pages)


def _contained(work: Callable[[], Answer], failed: str) -> Answer:
    """`work()` in a forked child with CHECK_SECONDS of CPU and CHECK_MEMORY; `(failed, None)` when it
    overruns or dies. Where there is no fork (not Linux or macOS), it runs here with the parsers'
    limits alone."""
    if not hasattr(os, "fork"):
        return work()
    read_end, write_end = os.pipe()
    try:
        pid = os.fork()
    except OSError:  # out of processes or memory: better a slower check here than none
        os.close(read_end)
        os.close(write_end)
        return work()
    if pid == 0:  # pragma: no cover - the child; its outcome is seen through the pipe
        try:
            os.close(read_end)
            _limit_child()
            os.write(write_end, json.dumps(work()).encode())
        finally:
            os._exit(0)
    os.close(write_end)
    payload = None
    try:
        payload = _read_until(read_end, time.monotonic() + CHECK_SECONDS * CHECK_WALL_FACTOR)
    finally:
        os.close(read_end)
        if payload is None:  # past the deadline (or interrupted): it goes now
            os.kill(pid, signal.SIGKILL)
        with contextlib.suppress(ChildProcessError):  # already reaped, where SIGCHLD is ignored
            os.waitpid(pid, 0)
    try:
        reason, pages = json.loads(payload or b"null")
    except (TypeError, ValueError):
        return failed, None
    if (reason is None or isinstance(reason, str)) and (pages is None or isinstance(pages, int)):
        return reason, pages
    return failed, None


def _read_until(fd: int, deadline: float) -> bytes | None:
    """All that the child writes until it exits (b"" when it died without a word), or None at the deadline."""
    data = b""
    with selectors.DefaultSelector() as selector:
        selector.register(fd, selectors.EVENT_READ)
        while (left := deadline - time.monotonic()) > 0:
            if selector.select(left):
                chunk = os.read(fd, 65536)
                if not chunk:
                    return data
                data += chunk
    return None


def _limit_child() -> None:  # pragma: no cover - runs in the child
    import resource

    # A broken file warns thousands of times: nobody reads that in the function's log.
    logging.getLogger("pypdf").setLevel(logging.CRITICAL)
    warnings.simplefilter("ignore")
    # The same recursion depth for the parse whatever the depth of the caller's stack, so that a
    # deeply nested file is read alike in the function and in the tests.
    depth, frame = 0, cast("FrameType | None", sys._getframe())
    while frame is not None:
        depth, frame = depth + 1, frame.f_back
    sys.setrecursionlimit(depth + CHECK_RECURSION)
    # SIGXCPU (the end) at the soft limit, SIGKILL a second later should it be caught.
    seconds = max(1, math.ceil(CHECK_SECONDS))
    resource.setrlimit(resource.RLIMIT_CPU, (seconds, seconds + 1))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            size = next(int(line.split()[1]) * 1024 for line in status if line.startswith("VmSize:"))
    except (OSError, StopIteration, ValueError):
        return  # no /proc (macOS): the parsers' limits alone
    resource.setrlimit(resource.RLIMIT_AS, (size + CHECK_MEMORY, size + CHECK_MEMORY))


@cache
def _pypdf() -> ModuleType:
    import pypdf

    return pypdf


def _read_pdf(copy: IO[bytes]) -> Answer:
    pypdf = _pypdf()
    data = copy.read()
    try:
        with pypdf.apply_configuration(**_PDF_LIMITS):
            reader = pypdf.PdfReader(io.BytesIO(data), xref_stream_maximum_entries=_XREF_STREAM_ENTRIES)
            if reader.is_encrypted:
                # Refused even when it opens without a password: such a file may still forbid printing
                # or copying, and the producer can always save an unprotected copy.
                return "upload.pdf_encrypted", None
            pages = len(reader.pages)
            if pages < 1:
                return "upload.pdf_unreadable", None
            if _has_active_content(reader) or any(
                map(_raw_active_content, chain([data], _object_streams(reader)))
            ):
                return "upload.pdf_active_content", pages
    except Exception:  # a parser of hostile input fails in any way it likes; each means "unreadable"
        return "upload.pdf_unreadable", None
    return None, pages


class _TooComplexError(Exception):
    pass


def _has_active_content(reader: Any) -> bool:
    """Whether the parsed document has scripts, launch or submit actions, attachments or an XFA form
    where a viewer would find them: the catalog and its actions, names, form and bookmarks, and every
    page with its actions and annotations, through each action's chain."""
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

    seen: set[tuple[int, int]] = set()
    stack: list[Any] = [reader.trailer.raw_get("/Root"), *reader.pages]
    left = PDF_WALK_NODES
    while stack:
        node = stack.pop()
        if isinstance(node, IndirectObject):
            if (node.idnum, node.generation) in seen:
                continue
            seen.add((node.idnum, node.generation))
            node = node.get_object()
        left -= 1
        if left < 0:
            raise _TooComplexError
        if isinstance(node, ArrayObject):
            stack.extend(node)
        elif isinstance(node, DictionaryObject):
            if _is_active(node):
                return True
            stack.extend(node.raw_get(key) for key in _FOLLOW if key in node)
            if isinstance(actions := _resolved(node.get("/AA")), DictionaryObject):
                stack.extend(actions.raw_get(key) for key in actions)  # /O, /C, /K, /F, /V, /PO…: actions
    return False


def _object_streams(reader: Any) -> Iterator[bytes]:
    """The decoded object streams: compressed objects the raw scan would not see in the file."""
    from pypdf.generic import StreamObject

    left = PDF_OBJECT_STREAM_BYTES
    for number in sorted({stream for stream, _ in reader.xref_objStm.values()}):
        stream = reader.get_object(number)
        if isinstance(stream, StreamObject):
            decoded = stream.get_data()
            left -= len(decoded)
            if left < 0:
                raise _TooComplexError
            yield decoded


def _resolved(value: Any) -> Any:
    return value.get_object() if value is not None and hasattr(value, "get_object") else value


def _is_active(node: Any) -> bool:
    if any(key in node for key in _ACTIVE_KEYS):
        return True
    kind = _resolved(node.get("/S"))
    if kind in _ACTIVE_ACTIONS or _resolved(node.get("/Subtype")) in _ACTIVE_ANNOTATIONS:
        return True
    if _resolved(node.get("/Type")) == "/EmbeddedFile":
        return True
    if kind == "/URI":
        uri = _resolved(node.get("/URI"))
        text = uri.original_bytes if hasattr(uri, "original_bytes") else str(uri).encode()
        return bytes(b for b in text if b > 0x20).lower().startswith(b"javascript:")
    return False


def _raw_active_content(data: bytes) -> bool:
    """Whether an active-content name is written in `data` (the file, or a decoded object stream)
    outside its strings, comments and streams: a second net under the parsed walk, for what pypdf
    reads differently from a viewer or drops (objects outside the cross-reference table, a repaired
    file, an entry after one it could not parse). Outside strings and streams these names are never
    anything but what they say, so ordinary PDFs are not caught."""
    if b"#" in data:
        if next(islice(_ESCAPED_LETTER.finditer(data), _RAW_ESCAPES, None), None):
            raise _TooComplexError  # thousands of names written to hide
        data = _ESCAPED_LETTER.sub(lambda escape: bytes((int(escape[0][1:], 16),)), data)
    if not any(b"/" + name in data for name in _ACTIVE_NAMES):
        return False  # ordinary PDFs: not one of the names anywhere, strings and streams included
    position, steps = 0, 0
    while position < len(data):
        context = _RAW_CONTEXT.search(data, position)
        end = context.start() if context else len(data)
        if _RAW_ACTIVE.search(data, position, end):
            return True
        if context is None:
            return False
        steps += 1
        token = context.group()
        if token == b"%":
            eol = _RAW_EOL.search(data, end)
            position = eol.end() if eol else len(data)
        elif token == b"<":
            close = data.find(b">", end)
            position = close + 1 if close >= 0 else len(data)
        elif token == b"(":
            depth, position = 0, len(data)
            for part in _RAW_STRING.finditer(data, end):
                steps += 1
                if steps > _RAW_STEPS:
                    break
                depth += {b"(": 1, b")": -1}.get(part.group(), 0)
                if depth == 0:
                    position = part.end()
                    break
        else:  # stream data, up to the first endstream
            close = data.find(b"endstream", context.end())
            position = close + len(b"endstream") if close >= 0 else len(data)
        if steps > _RAW_STEPS:
            return bool(_RAW_ACTIVE.search(data))
    return False


@cache
def _pillow() -> ModuleType:
    from PIL import Image

    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    return Image


def _decode_image(copy: IO[bytes], media_type: str) -> str | None:
    image_module = _pillow()
    data = copy.read()
    formats = [media_type.removeprefix("image/").upper()]
    end = _jpeg_end(data) if media_type == JPEG else _png_end(data)
    if end is None:
        return "upload.image_unreadable"  # a structure we cannot follow to its end
    if data[end:].strip(_TRAILING_PADDING):
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
