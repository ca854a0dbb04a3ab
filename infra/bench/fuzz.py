"""Fuzzing the upload check: real PDFs, PNGs and JPEGs mutated (bytes flipped, inserted, deleted,
duplicated, headers spliced, truncated) and random bytes behind accepted magic numbers, each through
`uploads.check`, and polyglots (a real file with a web page or another file's start hidden after
or before it). The property: a Verdict every time, never an exception; an accepted file is of a
type its kind accepts, with its hash and size, and ends where its format says it ends; a refused
one says why with a message key.

`tests/unit/test_upload_fuzz.py` runs it bounded (FUZZ_EXAMPLES, default 150); `main()` runs it
longer and reports what it saw: `python -m infra.bench.fuzz [examples]`.
"""

from __future__ import annotations

import hashlib
import io
import random
import struct
import sys
import time
import traceback
import zlib
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cache
from typing import TYPE_CHECKING

from hypothesis import strategies as st

if TYPE_CHECKING:
    from portal.uploads import Verdict

KINDS = ("audit_report", "evidence")
MAGICS = (b"%PDF-1.7\n", b"%PDF-", b"\xff\xd8\xff\xe0", b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n")
# Bytes that mean something to a PDF, PNG or JPEG parser, for the mutations to insert.
TOKENS = (
    *(b"<<", b">>", b"[", b"]", b"(", b")", b"\\", b"<", b">", b"%", b"/", b" ", b"\n", b"\r"),
    *(b"obj", b"endobj", b" 0 R", b"stream\n", b"\nendstream", b"xref\n", b"trailer", b"startxref\n"),
    *(b"%%EOF", b"/Type /ObjStm", b"/Length 999999999999", b"/Count 1000000000", b"/Kids [2 0 R]"),
    *(b"/JavaScript", b"/J#61vaScript", b"/JS (app.alert(1))", b"/S /Launch", b"/OpenAction 1 0 R"),
    *(b"/Filter /FlateDecode", b"/DecodeParms << /Predictor 12 /Columns 99999999 >>", b"[" * 500),
    *(b"\xff\xda", b"\xff\xd9", b"\xff\xc0\x00\x11\x08\xff\xff\xff\xff", b"\xff\x00", b"IDAT", b"IEND"),
    *(b"IHDR\x00\x01\x00\x00\x00\x01\x00\x00", b"\x00" * 64, b"\xff" * 64),
)
OPERATIONS = ("flip", "insert", "delete", "truncate", "splice", "duplicate", "overwrite")


def pdf_from_objects(objects: list[bytes], *, root: int = 1, trailer: bytes = b"") -> bytes:
    """A PDF of `objects` (numbered from 1) with a correct cross-reference table."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root %d 0 R %s>>\n" % (len(objects) + 1, root, trailer)
    out += b"startxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


def pdf_with_object_stream(
    plain: dict[int, bytes], packed: dict[int, bytes], *, root: int = 1, packed_data: bytes | None = None
) -> bytes:
    """A PDF 1.5 with a cross-reference stream: the `plain` objects written out, the `packed` ones
    in one Flate-compressed object stream (`packed_data` replaces its compressed bytes)."""
    numbers = [*plain, *packed]
    stream_number, xref_number = max(numbers) + 1, max(numbers) + 2
    header = b" ".join(b"%d %d" % pair for pair in _offsets_of(packed))
    body = b"\n".join(packed.values())
    first = len(header) + 1
    data = packed_data if packed_data is not None else zlib.compress(header + b"\n" + body)
    objects = {
        **plain,
        stream_number: b"<< /Type /ObjStm /N %d /First %d /Filter /FlateDecode /Length %d >>\nstream\n%s\nendstream"
        % (len(packed), first, len(data), data),
    }
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    entries: dict[int, bytes] = {0: struct.pack(">BIH", 0, 0, 65535)}
    for number, body_ in objects.items():
        entries[number] = struct.pack(">BIH", 1, len(out), 0)
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body_)
    for index, number in enumerate(packed):
        entries[number] = struct.pack(">BIH", 2, stream_number, index)
    xref = len(out)
    entries[xref_number] = struct.pack(">BIH", 1, xref, 0)
    size = xref_number + 1
    table = zlib.compress(b"".join(entries.get(n, struct.pack(">BIH", 0, 0, 0)) for n in range(size)))
    out += (
        b"%d 0 obj\n<< /Type /XRef /Size %d /W [1 4 2] /Root %d 0 R /Filter /FlateDecode /Length %d >>\n"
        % (
            xref_number,
            size,
            root,
            len(table),
        )
    )
    out += b"stream\n%s\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n" % (table, xref)
    return bytes(out)


def _offsets_of(packed: dict[int, bytes]) -> list[tuple[int, int]]:
    pairs, offset = [], 0
    for number, body in packed.items():
        pairs.append((number, offset))
        offset += len(body) + 1
    return pairs


def fpdf_pdf(pages: int = 2, *, images: bool = False, links: bool = False, outline: bool = False) -> bytes:
    """An ordinary PDF as fpdf2 makes it: text, and optionally photos, links and bookmarks."""
    from fpdf import FPDF
    from PIL import Image

    rng = random.Random(pages)  # noqa: S311 - test data, not a secret
    document = FPDF()
    document.set_creation_date(datetime(2026, 9, 1, tzinfo=UTC))  # the same bytes every time
    document.set_font("helvetica", size=12)
    for number in range(1, pages + 1):
        document.add_page()
        if outline:
            document.start_section(f"Section {number}")
        document.cell(text=f"SMETA audit report, page {number}")
        if links:
            document.ln()
            document.cell(text="Ethical Trade Norway", link="https://etiskhandel.no/JS/Launch")
            document.ln()
            document.cell(text="Back to page 1", link=document.add_link(page=1))
        if images:
            photo = Image.frombytes("RGB", (40, 30), rng.randbytes(40 * 30 * 3))
            document.image(photo, x=10, y=40, w=60)
    return bytes(document.output())


def image_bytes(
    format_: str, size: tuple[int, int] = (64, 48), *, mode: str = "RGB", **options: object
) -> bytes:
    from PIL import Image

    rng = random.Random(7)  # noqa: S311 - test data, not a secret
    bands = {"RGB": 3, "L": 1}[mode]
    image = Image.frombytes(mode, size, rng.randbytes(size[0] * size[1] * bands))
    out = io.BytesIO()
    image.save(out, format=format_, **options)
    return out.getvalue()


@cache
def seeds() -> tuple[bytes, ...]:
    """The real files the mutations start from (small, so that each example is quick)."""
    page = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Annots [5 0 R] >>"
    link = b"<< /Type /Annot /Subtype /Link /Rect [0 0 9 9] /A << /S /URI /URI (https://etiskhandel.no) >> >>"
    catalog, pages = (
        b"<< /Type /Catalog /Pages 2 0 R /OpenAction %s >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    )
    script = b"<< /S /JavaScript /JS (app.alert(1)) >>"
    return (
        fpdf_pdf(2, images=True, links=True, outline=True),
        fpdf_pdf(1),
        pdf_with_object_stream({3: page}, {1: catalog % b"[3 0 R /Fit]", 2: pages, 5: link}),
        pdf_with_object_stream({3: page}, {1: catalog % b"6 0 R", 2: pages, 5: link, 6: script}),  # refused
        pdf_from_objects([catalog % script, pages, page, b"null", link]),  # refused
        image_bytes("PNG"),
        image_bytes("JPEG"),
        image_bytes("JPEG", progressive=True),
    )


def _mutate(draw: st.DrawFn, data: bytearray) -> bytearray:
    for operation in draw(st.lists(st.sampled_from(OPERATIONS), min_size=1, max_size=6)):
        at = draw(st.integers(0, len(data)))
        if operation == "flip" and data:
            data[min(at, len(data) - 1)] ^= 1 << draw(st.integers(0, 7))
        elif operation == "insert":
            data[at:at] = draw(st.sampled_from(TOKENS) | st.binary(min_size=1, max_size=32))
        elif operation == "delete":
            del data[at : at + draw(st.integers(1, 512))]
        elif operation == "truncate":
            del data[max(at, 1) :]
        elif operation == "splice":
            magic = draw(st.sampled_from(MAGICS))
            data[: len(magic)] = magic
        elif operation == "duplicate":
            data[at:at] = data[at : at + draw(st.integers(1, 512))] * draw(st.integers(1, 20))
        elif operation == "overwrite":
            patch = draw(st.binary(min_size=1, max_size=16))
            data[at : at + len(patch)] = patch
    return data


@st.composite
def _mutated(draw: st.DrawFn) -> bytes:
    return bytes(_mutate(draw, bytearray(draw(st.sampled_from(seeds())))))


# What a polyglot hides before or after a real file: a web page, another file's start, a ZIP's end.
HIDDEN = (
    b"<html><script>alert(document.cookie)</script></html>",
    b"<svg onload=alert(1)>",
    b"%PDF-1.7\n",
    b"PK\x05\x06" + b"\0" * 18,
    b"\x89PNG\r\n\x1a\n",
    b"\xff\xd8\xff\xe0",
)
PADDING = (b"", b"\n", b"\r\n", b"\0" * 16, b" \t\n")


@st.composite
def _polyglot(draw: st.DrawFn) -> bytes:
    """A real file with something hidden after its end (behind padding, perhaps), or in front."""
    real = draw(st.sampled_from(seeds()))
    hidden = draw(
        st.sampled_from(HIDDEN)
        | st.binary(min_size=1, max_size=256).filter(lambda b: b.strip(b"\0\t\n\x0c\r "))
    )
    padding = draw(st.sampled_from(PADDING))
    if draw(st.booleans()):
        return real + padding + hidden
    return hidden + padding + real


def hostile_files() -> st.SearchStrategy[bytes]:
    """Mutated real files, polyglots, and random bytes behind a magic number we accept (with or
    without %%EOF)."""
    noise = st.tuples(
        st.sampled_from(MAGICS),
        st.binary(max_size=4096),
        st.sampled_from((b"", b"%%EOF", b"\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n")),
    ).map(b"".join)
    return _mutated() | _polyglot() | noise


def ends_where_it_says(data: bytes, media_type: str) -> bool:
    """Whether nothing but padding follows the file's own end (a PDF's last %%EOF, a JPEG's EOI, a
    PNG's IEND) and no PDF header hides in its first kilobyte: what an accepted file must satisfy."""
    from portal.uploads import PDF, PNG
    from portal.uploads.images import _jpeg_end, _png_end

    padding = b"\0\t\n\x0c\r "
    if media_type == PDF:
        return data.rstrip(padding).endswith(b"%%EOF")
    end = _png_end(data) if media_type == PNG else _jpeg_end(data)
    return end is not None and not data[end:].strip(padding) and b"%PDF-" not in data[:1024]


@cache
def message_keys() -> frozenset[str]:
    from portal.i18n import DEFAULT_LANGUAGE, catalogue

    return frozenset(catalogue(DEFAULT_LANGUAGE))


def judged(data: bytes, kind: str) -> Verdict:
    """`check` of `data` as a `kind` upload, asserting the property; the Verdict."""
    from portal.uploads import ACCEPTED, PDF, Verdict, check

    verdict = check(io.BytesIO(data), len(data), kind)
    assert isinstance(verdict, Verdict), verdict
    assert verdict.size == len(data), verdict
    if verdict.ok:
        assert verdict.reason is None, verdict
        assert verdict.media_type in ACCEPTED[kind], verdict
        assert verdict.sha256 == hashlib.sha256(data).hexdigest(), verdict
        assert (verdict.pages or 0) >= 1 if verdict.media_type == PDF else verdict.pages is None, verdict
        assert ends_where_it_says(data, verdict.media_type), "a polyglot was accepted"
    else:
        assert verdict.reason is not None, verdict
        assert verdict.reason.startswith("upload."), verdict
        assert verdict.reason in message_keys(), verdict
    return verdict


@dataclass
class Tally:
    examples: int = 0
    outcomes: Counter[str] = field(default_factory=Counter)
    slowest: float = 0.0
    slowest_input: bytes = b""
    crashes: list[tuple[bytes, str]] = field(default_factory=list)


def run(examples: int) -> Tally:
    """`examples` hostile files through the property, tallied; a crash is recorded, not raised."""
    from hypothesis import HealthCheck, Phase, given, settings

    tally = Tally()

    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(hostile_files(), st.sampled_from(KINDS))
    def one(data: bytes, kind: str) -> None:
        tally.examples += 1
        started = time.perf_counter()
        try:
            verdict = judged(data, kind)
        except BaseException:  # a crash or a broken property: what this run is looking for
            tally.crashes.append((data, traceback.format_exc()))
            tally.outcomes["CRASH"] += 1
            return
        took = time.perf_counter() - started
        if took > tally.slowest:
            tally.slowest, tally.slowest_input = took, data
        tally.outcomes["accepted" if verdict.ok else str(verdict.reason)] += 1

    one()
    return tally


def limit_cases() -> list[tuple[str, str, bytes]]:
    """(name, kind, bytes): hostile files at the 25 MiB limit, each a worst case for one part of the
    check, too slow for the unit tests (seconds each, or the child's CPU limit)."""
    from PIL import Image

    from portal.uploads import MAX_BYTES

    room = MAX_BYTES - 4096
    catalog, pages = b"<< /Type /Catalog /Pages 2 0 R %s>>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>"
    page = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>"

    def pdf(entries: bytes, *more: bytes) -> bytes:
        return pdf_from_objects([catalog % entries, pages, page, *more])

    depth = room // 10
    png = image_bytes("PNG", (16, 16))
    empty_chunk = struct.pack(">I", 0) + b"abCd" + struct.pack(">I", zlib.crc32(b"abCd"))
    out = io.BytesIO()
    Image.new("L", (7000, 7000)).save(out, format="JPEG", progressive=True)
    jpeg = out.getvalue()
    last_scan = jpeg[jpeg.rindex(b"\xff\xda") : -2]
    return [
        (
            "dictionaries nested 2.6 million deep",
            "audit_report",
            pdf(b"/X " + b"<< /A " * depth + b"0" + b" >>" * depth),
        ),
        ("a 25 MiB hex string", "audit_report", pdf(b"/X <" + b"4A" * (room // 2) + b">")),
        ("a 25 MiB literal string", "audit_report", pdf(b"/X (" + b"x" * room + b")")),
        (
            "25 MiB of names, /JS in a string",
            "audit_report",
            pdf(b"/X (/JS)", b"[" + b"/Foo " * (room // 5 - 1) + b"]"),
        ),
        ("half a million tiny objects", "audit_report", pdf(b"", *[b"null"] * (room // 50))),
        (
            "a PNG of 2 million empty chunks",
            "evidence",
            png[:33] + empty_chunk * ((room - len(png)) // 12) + png[33:],
        ),
        (
            "a 49 MP JPEG of 100,000 repeated scans",
            "evidence",
            jpeg[:-2] + last_scan * ((room - len(jpeg)) // len(last_scan)) + b"\xff\xd9",
        ),
    ]


def main(examples: int = 5000) -> Tally:
    from infra.template import ROOT
    from portal.uploads import check

    seeds()  # built before the clock starts
    started = time.perf_counter()
    tally = run(examples)
    took = time.perf_counter() - started
    print(
        f"Upload check fuzz: {tally.examples} examples in {took:.1f} s ({took / max(tally.examples, 1) * 1000:.1f} ms each)"
    )
    for outcome, count in tally.outcomes.most_common():
        print(f"  {outcome:28} {count:6}")
    head = tally.slowest_input[:16]
    print(
        f"  slowest input: {tally.slowest * 1000:.0f} ms ({len(tally.slowest_input)} bytes, starting {head!r})"
    )
    if tally.crashes:
        directory = ROOT / ".local" / "bench" / "fuzz-crashes"
        directory.mkdir(parents=True, exist_ok=True)
        for number, (data, trace) in enumerate(tally.crashes):
            (directory / f"crash-{number}.bin").write_bytes(data)
            print(f"  CRASH {number} ({len(data)} bytes, kept in {directory}):\n{trace}")
    else:
        print("  crashes: none")
    print("Hostile files at the 25 MiB limit:")
    for name, kind, data in limit_cases():
        started = time.perf_counter()
        verdict = check(io.BytesIO(data), len(data), kind)
        took = time.perf_counter() - started
        print(f"  {name:40} {len(data) / 2**20:5.1f} MiB  {verdict.reason or 'accepted':26} {took:5.2f} s")
    return tally


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5000)
