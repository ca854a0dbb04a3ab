"""Upload checks: what an uploaded file really is, judged by its bytes, and whether we accept it.

Every upload is hostile until shown otherwise, so reading it is bounded three ways: the parsers'
own limits (pypdf's `Configuration`, Pillow's `MAX_IMAGE_PIXELS`, and ours below), and, around
them, a child process with a time and a memory limit, killed when it overruns: a file that cannot be
checked within those limits is refused as unreadable, never a crash or a hang of the function.
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
import os
import re
import selectors
import signal
import tempfile
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import IO, TYPE_CHECKING, Any, BinaryIO

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
# Reading a file's content (PDF parse, image decode) gets this long and this much memory beyond what
# the function already uses, in a child process killed when it overruns. Real files need a fraction
# of it (a 25 MB PDF or a 48 MP photo: well under a second); hostile ones are refused as unreadable.
CHECK_SECONDS = 8.0
CHECK_MEMORY = 512 * 1024 * 1024
# A progressive JPEG is decoded once per scan over the whole image; a few hundred bytes of repeated
# scans make a minutes-long decode. Real photos have at most a dozen or so scans.
JPEG_SCAN_PIXELS = 20 * MAX_PIXELS
# Nodes (dictionaries, arrays) visited looking for active content in a PDF, beyond which it is
# refused as unreadable: a real document has a few per page, annotation, form field and bookmark.
PDF_WALK_NODES = 500_000
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


def _name_pattern(name: str) -> bytes:
    """A regular expression for `name` however written: any character may be #xx (`/J#61vaScript`)."""
    parts = []
    for char in name:
        hex_digits = b"".join(
            b"[%s%s]" % (digit.lower().encode(), digit.encode()) for digit in f"{ord(char):02X}"
        )
        parts.append(b"(?:%s|#%s)" % (re.escape(char.encode()), hex_digits))
    return b"".join(parts)


_ACTIVE_NAMES = ("JavaScript", "JS", "Launch", "EmbeddedFiles", "EmbeddedFile", "XFA", "RichMediaExecute")
_ACTIVE_NAMES += ("RichMedia", "SubmitForm", "ImportData", "GoToE")
# Any of those names as a whole token (a PDF name ends at whitespace or a delimiter).
_RAW_ACTIVE = re.compile(
    rb"/(?:%s)(?![^\x00\t\n\x0c\r ()<>\[\]{}/%%])" % b"|".join(_name_pattern(name) for name in _ACTIVE_NAMES)
)
# What changes how the bytes that follow read: a comment, a literal or hex string, a stream's data.
_RAW_CONTEXT = re.compile(rb"%|\(|(?<!<)<(?!<)|(?<![^\x00\t\n\x0c\r >])stream(?=\r\n|\n|\r)")
_RAW_STRING = re.compile(rb"\\.|[()]", re.DOTALL)
_RAW_EOL = re.compile(rb"[\r\n]")
# Beyond this many comments, strings, streams and string parentheses, the raw scan stops telling them
# apart and looks for the names everywhere: no real PDF has that many outside its streams.
_RAW_STEPS = 1_000_000


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


def _refused(
    reason: str, *, media_type: str | None = None, sha256: str | None = None, size: int = 0
) -> Verdict:
    return Verdict(ok=False, reason=reason, media_type=media_type, sha256=sha256, size=size)


Answer = tuple[str | None, int | None]  # (refusal reason or None, pages)


def _contained(work: Callable[[], Answer], failed: str) -> Answer:
    """`work()` in a forked child with CHECK_SECONDS and CHECK_MEMORY; `(failed, None)` when it
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
    try:
        payload = _read_until(read_end, time.monotonic() + CHECK_SECONDS)
    finally:
        os.close(read_end)
        if payload is None:
            os.kill(pid, signal.SIGKILL)
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

    logging.getLogger("pypdf").setLevel(logging.CRITICAL)  # a broken file warns thousands of times
    # The parent keeps the deadline; this only stops a child left alone burning CPU.
    limit = int(CHECK_SECONDS) + 2
    resource.setrlimit(resource.RLIMIT_CPU, (limit, limit))
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
            if _has_active_content(reader) or _raw_active_content(data):
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
    """Whether an active-content name is written in the file outside its strings, comments and
    streams: a second net under the parsed walk, for what pypdf reads differently from a viewer
    (objects outside the cross-reference table, a repaired file). Names in compressed object
    streams are invisible here and left to the walk; outside streams, these names are never
    anything but what they say, so ordinary PDFs are not caught."""
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
    try:
        with warnings.catch_warnings():
            # Pillow warns from MAX_IMAGE_PIXELS and only raises at twice that: refuse from the warning.
            warnings.simplefilter("error", image_module.DecompressionBombWarning)
            formats = [media_type.removeprefix("image/").upper()]
            with image_module.open(io.BytesIO(data), formats=formats) as image:
                # Start-of-scan markers, counted high (an embedded thumbnail has some too).
                scans = data.count(b"\xff\xda") if media_type == JPEG else 1
                if scans * image.width * image.height > JPEG_SCAN_PIXELS:
                    return "upload.image_unreadable"
                image.load()
    except Exception:  # truncated, corrupt, a bomb, or not what its magic number said
        return "upload.image_unreadable"
    return None
