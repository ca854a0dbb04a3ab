"""An upload is accepted for what its bytes are, never for its name: real PDFs and images pass,
everything else is refused with a reason the producer can act on."""

from __future__ import annotations

import hashlib
import io
import random

import pytest
from fpdf import FPDF
from PIL import Image
from pypdf import PdfReader, PdfWriter

from portal.uploads import MAX_BYTES, MAX_PIXELS, Verdict, check
from portal.uploads.verdict import CHUNK


def _pdf(pages: int = 2) -> bytes:
    document = FPDF()
    document.set_font("helvetica", size=12)
    for number in range(1, pages + 1):
        document.add_page()
        document.cell(text=f"SMETA audit report, page {number}")
    return bytes(document.output())


def _image(format_: str, size: tuple[int, int] = (64, 48)) -> bytes:
    rng = random.Random(7)
    image = Image.frombytes("RGB", size, rng.randbytes(size[0] * size[1] * 3))
    out = io.BytesIO()
    image.save(out, format=format_)
    return out.getvalue()


def _encrypted_pdf() -> bytes:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(_pdf())))
    writer.encrypt(user_password="", owner_password="the auditor", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _zero_page_pdf() -> bytes:
    out = io.BytesIO()
    PdfWriter().write(out)
    return out.getvalue()


class LazyStream(io.RawIOBase):
    """`size` bytes starting with `head`, made as they are read; remembers how it was read."""

    def __init__(self, size: int, head: bytes = b"") -> None:
        self.size, self.head, self.position = size, head, 0
        self.requests: list[int] = []

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        self.requests.append(size)
        want = self.size - self.position if size < 0 else min(size, self.size - self.position)
        start, self.position = self.position, self.position + want
        head = self.head[start : start + want]
        return head + b"\0" * (want - len(head))


class Trickle(io.BytesIO):
    """A network stream: never more than a few bytes per read."""

    def read(self, size: int | None = -1) -> bytes:
        return super().read(3)


def _check(data: bytes, kind: str, declared: int | None = -1) -> Verdict:
    return check(io.BytesIO(data), len(data) if declared == -1 else declared, kind)


@pytest.mark.parametrize("kind", ["audit_report", "evidence"])
def test_a_real_pdf_is_accepted_with_its_pages_and_hash(kind):
    data = _pdf(pages=3)
    verdict = _check(data, kind)
    assert verdict == Verdict(
        ok=True,
        reason=None,
        media_type="application/pdf",
        sha256=hashlib.sha256(data).hexdigest(),
        size=len(data),
        pages=3,
    )


@pytest.mark.parametrize(("format_", "media_type"), [("JPEG", "image/jpeg"), ("PNG", "image/png")])
def test_photos_are_accepted_as_evidence(format_, media_type):
    data = _image(format_)
    verdict = _check(data, "evidence")
    assert verdict == Verdict(
        ok=True,
        reason=None,
        media_type=media_type,
        sha256=hashlib.sha256(data).hexdigest(),
        size=len(data),
        pages=None,
    )


@pytest.mark.parametrize("format_", ["JPEG", "PNG"])
def test_an_audit_report_must_be_a_pdf(format_):
    verdict = _check(_image(format_), "audit_report")
    assert (verdict.ok, verdict.reason) == (False, "upload.not_pdf")


def test_a_text_file_renamed_to_pdf_is_refused():
    data = b"Revisjonsrapport.pdf\nThis is not a PDF at all.\n"
    report, evidence = _check(data, "audit_report"), _check(data, "evidence")
    assert (report.ok, report.reason, report.media_type) == (False, "upload.not_pdf", None)
    assert (evidence.ok, evidence.reason) == (False, "upload.not_allowed_type")
    assert report.sha256 == hashlib.sha256(data).hexdigest()


def test_other_types_are_not_allowed_as_evidence():
    gif = b"GIF89a\x01\x00\x01\x00\x80\x00\x00\xff\xff\xff\x00\x00\x00!\xf9\x04\x00\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;"
    assert _check(gif, "evidence").reason == "upload.not_allowed_type"


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(_pdf()[: len(_pdf()) // 2], id="truncated"),
        pytest.param(_pdf()[:-40], id="trailer cut off"),
        pytest.param(b"%PDF-1.7\n" + random.Random(1).randbytes(4000), id="header then noise"),
        pytest.param(_zero_page_pdf(), id="no pages"),
        pytest.param(_pdf() + b"\0" * 2000, id="end marker lost in padding"),
    ],
)
def test_a_broken_pdf_is_refused_as_unreadable(data):
    verdict = _check(data, "audit_report")
    assert (verdict.ok, verdict.reason, verdict.media_type) == (
        False,
        "upload.pdf_unreadable",
        "application/pdf",
    )
    assert verdict.pages is None


def test_a_pdf_with_a_little_padding_after_its_end_marker_is_accepted():
    assert _check(_pdf() + b"\0" * 1000, "audit_report").ok


def test_an_encrypted_pdf_is_refused_even_without_a_user_password():
    verdict = _check(_encrypted_pdf(), "audit_report")
    assert (verdict.ok, verdict.reason) == (False, "upload.pdf_encrypted")


@pytest.mark.parametrize("format_", ["JPEG", "PNG"])
def test_a_truncated_image_is_refused_as_unreadable(format_):
    data = _image(format_, (300, 200))
    verdict = _check(data[: len(data) // 2], "evidence")
    assert (verdict.ok, verdict.reason) == (False, "upload.image_unreadable")


def test_an_image_magic_number_followed_by_noise_is_unreadable():
    data = b"\x89PNG\r\n\x1a\n" + random.Random(2).randbytes(2000)
    assert _check(data, "evidence").reason == "upload.image_unreadable"


def test_a_decompression_bomb_is_refused_as_unreadable():
    # A few kilobytes that would decode to more pixels than we allow.
    side = int(MAX_PIXELS**0.5) + 100
    out = io.BytesIO()
    Image.new("1", (side, side)).save(out, format="PNG")
    data = out.getvalue()
    assert len(data) < 100_000
    assert _check(data, "evidence").reason == "upload.image_unreadable"


def test_an_empty_file_is_refused():
    assert _check(b"", "evidence") == Verdict(
        ok=False,
        reason="upload.empty",
        media_type=None,
        sha256=hashlib.sha256(b"").hexdigest(),
        size=0,
    )


@pytest.mark.parametrize("declared", [1, 10_000])
def test_a_size_other_than_the_declared_one_is_refused(declared):
    data = _pdf()
    verdict = _check(data, "audit_report", declared=declared)
    assert (verdict.ok, verdict.reason, verdict.size) == (False, "upload.size_mismatch", len(data))


def test_the_declared_size_is_optional():
    assert _check(_pdf(), "audit_report", declared=None).ok


def test_a_declared_size_over_the_limit_is_refused_without_reading():
    stream = LazyStream(MAX_BYTES + 1)
    verdict = check(stream, MAX_BYTES + 1, "audit_report")
    assert (verdict.ok, verdict.reason, verdict.sha256) == (False, "upload.too_large", None)
    assert stream.requests == []


def test_a_stream_over_the_limit_is_refused_after_reading_just_past_it():
    stream = LazyStream(10 * MAX_BYTES, head=b"%PDF-1.7\n")
    verdict = check(stream, None, "audit_report")
    assert (verdict.ok, verdict.reason, verdict.sha256) == (False, "upload.too_large", None)
    assert MAX_BYTES < stream.position <= MAX_BYTES + CHUNK
    assert all(0 < request <= CHUNK for request in stream.requests)  # bounded reads, never "all"


def test_exactly_the_limit_is_not_too_large():
    stream = LazyStream(MAX_BYTES, head=b"%PDF-1.7\n")
    verdict = check(stream, MAX_BYTES, "audit_report")
    assert (verdict.reason, verdict.size) == ("upload.pdf_unreadable", MAX_BYTES)


def test_the_type_is_found_across_short_reads():
    data = _pdf()
    verdict = check(Trickle(data), len(data), "audit_report")
    assert (verdict.ok, verdict.sha256) == (True, hashlib.sha256(data).hexdigest())


def test_an_unknown_kind_is_a_programming_error():
    with pytest.raises(ValueError, match="unknown upload kind"):
        _check(_pdf(), "invoice")
