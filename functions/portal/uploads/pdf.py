"""PDFs: parsed by pypdf within tight limits, refused when encrypted, empty or carrying active
content (scripts, launch or submit actions, attachments, XFA forms), found both in the parsed
document and by a raw scan of its bytes and object streams."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from functools import cache
from itertools import chain, islice
from typing import IO, TYPE_CHECKING, Any

from portal.uploads.sandbox import Answer

if TYPE_CHECKING:
    from types import ModuleType


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


@cache
def load_parser() -> ModuleType:
    import pypdf  # 85 ms at import: only the upload check parses PDFs; loaded once, before the sandbox forks

    return pypdf


def read_pdf(copy: IO[bytes]) -> Answer:
    pypdf = load_parser()
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
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject  # pypdf stays lazy (load_parser)

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
    from pypdf.generic import StreamObject  # pypdf stays lazy (load_parser)

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
