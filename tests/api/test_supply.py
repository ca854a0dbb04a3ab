"""A producer's own data from the outside: profiles, sites, the SAQ, audits, actions, uploads."""

from __future__ import annotations

import hashlib
import io
import os
import re
import urllib.parse
import urllib.request
import uuid
from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from infra.local.gateway import HttpRequest, HttpResponse
from infra.seed import DEMO_USERS
from portal.domain import saq
from tests.support import Api, dynamodb_calls, logged_in

STAFF, BUYER_ADMIN, BUYER_MEMBER, PRODUCER_ADMIN = DEMO_USERS[:4]
SITE = "ZS-4KQ7-TR1"  # Anatolia Tekstil – Denizli, in the demo world


@pytest.fixture
def producer(world) -> Api:
    return logged_in(world, PRODUCER_ADMIN)


NEW_SITE = {
    "name": "Anatolia Tekstil – Izmir",
    "address": {"street": "Atatürk Cd. 1", "postal_code": "35000", "city": "Izmir"},
    "country": "TR",
    "sector": "textiles_apparel",
    "workforce": {"total": 120, "women": 80, "migrant": 10, "temporary": 5, "agency": 0},
    "certifications": ["OEKO-TEX Standard 100"],
}


@pytest.fixture
def new_site(producer) -> str:
    """A site without any SAQ yet."""
    answer = producer.post("/producer/sites", NEW_SITE)
    assert answer.status == 201
    return answer.json()["id"]


def pdf(text: str = "Audit report") -> bytes:
    from fpdf import FPDF

    document = FPDF()
    document.add_page()
    document.set_font("Helvetica", size=12)
    document.cell(text=text)
    return bytes(document.output())


def png() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 30, 30)).save(out, "PNG")
    return out.getvalue()


def form_body(fields: dict, content: bytes, content_type: str) -> tuple[str, bytes]:
    """A presigned form as a browser sends it: its fields first, the file last."""
    boundary = uuid.uuid4().hex
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        for name, value in fields.items()
    ]
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="upload"\r\n'
        f"Content-Type: {content_type}\r\n\r\n".encode()
        + content
        + f"\r\n--{boundary}--\r\n".encode()
    )
    return f"multipart/form-data; boundary={boundary}", b"".join(parts)


def post_form(person: Api, form: dict, content: bytes, content_type: str) -> HttpResponse:
    """POST the presigned form to the (local stand-in for the) reports bucket."""
    enclosure, body = form_body(form["fields"], content, content_type)
    path = urllib.parse.urlparse(form["url"]).path
    return person.gateway.handle(HttpRequest("POST", path, "", (("content-type", enclosure),), body))


def upload(person: Api, form: dict, content: bytes, content_type: str) -> int:
    return post_form(person, form, content, content_type).status


def register_audit(person: Api, content: bytes, **change) -> dict:
    body = {
        "request_id": str(uuid.uuid4()),
        "site_id": SITE,
        "audit_type": "smeta_4",
        "audit_date": "2026-09-15",
        "audit_company": "Intertek",
        "reference": "RPT-2026-0915",
        "announcement": "semi_announced",
        "lead_auditor": "Deniz Aksoy",
        "pillars": ["labour", "health_safety", "environment", "business_ethics"],
        "file_name": "smeta-denizli-2026.pdf",
        "content_type": "application/pdf",
        "size_bytes": len(content),
        **change,
    }
    answer = person.post("/producer/audits", body)
    assert answer.status == 201, answer.body
    created = answer.json()
    assert upload(person, created["upload"], content, "application/pdf") in (200, 201, 204)
    return person.get(f"/producer/audits/{created['audit']['id']}", language="en").json()


def complete_answers() -> dict:
    """Answers to every question shown, found the way a producer would: answer, see what appears."""
    questionnaire = saq.questionnaire()
    answers: dict = {}
    while missing := saq.missing(questionnaire, answers):
        for question in saq.visible(questionnaire, answers):
            if question.id in missing:
                answers[question.id] = {
                    "yes_no": False,
                    "number": question.min or 0,
                    "choice": question.options[0].value if question.options else "",
                    "text": "Beskrevet i håndboken.",
                }[question.type]
    return answers


# -- profiles --------------------------------------------------------------------------------------
def test_the_company_profile_is_confirmed_by_saving_and_never_silently_overwritten(producer):
    profile = producer.get("/producer/profile").json()
    assert profile["address"]["city"] == "Denizli"
    edit = {
        k: profile[k] for k in ("name", "organisation_number", "address", "contact", "sectors", "products")
    }
    edit.update(
        products="Bomullsgarn og strikkede plagg", sectors=["textiles_apparel"], version=profile["version"]
    )
    saved = producer.call("PUT", "/producer/profile", edit)
    assert saved.status == 200
    assert (saved.json()["stale"], saved.json()["products"]) == (False, "Bomullsgarn og strikkede plagg")
    assert saved.json()["confirmed_at"] > profile["confirmed_at"]

    late = producer.call("PUT", "/producer/profile", {**edit, "products": "Noe annet"})
    assert late.status == 409
    assert late.json()["error"]["current"]["products"] == "Bomullsgarn og strikkede plagg"


def test_a_new_site_gets_a_public_id_and_its_numbers_are_checked(producer):
    site = NEW_SITE
    created = producer.post("/producer/sites", site, language="en")
    assert created.status == 201
    body = created.json()
    assert body["id"].startswith("ZS-")
    assert body["id"].endswith(tuple(f"TR{n}" for n in range(1, 10)))
    assert (body["country_name"], body["stale"], body["saq"]["status"]) == ("Türkiye", False, "none")
    assert body["id"] in {s["id"] for s in producer.get("/producer/sites").json()["items"]}

    too_many = producer.call(
        "PUT",
        f"/producer/sites/{body['id']}",
        {**site, "workforce": {**site["workforce"], "women": 121}, "version": body["version"]},
        language="en",
    )
    assert too_many.status == 422
    assert too_many.json()["error"]["fields"] == {
        "workforce.women": "Cannot be more than the total workforce."
    }

    saved = producer.call(
        "PUT", f"/producer/sites/{body['id']}", {**site, "name": "Izmir", "version": body["version"]}
    )
    assert (saved.status, saved.json()["version"]) == (200, body["version"] + 1)
    late = producer.call(
        "PUT", f"/producer/sites/{body['id']}", {**site, "name": "Smyrna", "version": body["version"]}
    )
    assert (late.status, late.json()["error"]["current"]["name"]) == (409, "Izmir")


def test_the_site_page_costs_one_read_after_the_session(producer):
    with dynamodb_calls() as calls:
        assert producer.get(f"/producer/sites/{SITE}").status == 200
    assert calls == ["GetItem", "GetItem"]


# -- the SAQ ---------------------------------------------------------------------------------------
def test_a_saq_is_drafted_resumed_submitted_and_kept_immutable(producer, new_site):
    SITE = new_site  # noqa: N806 - this test's own site
    questionnaire = producer.get("/saq/questionnaire", language="en").json()
    assert [s["id"] for s in questionnaire["sections"]][:2] == ["site_profile", "labour"]

    answers = complete_answers()
    first_half = dict(list(answers.items())[: len(answers) // 2])
    saved = producer.call(
        "PUT", f"/producer/sites/{SITE}/saq/draft", {"answers": first_half, "version": None}
    )
    assert saved.status == 200
    assert saved.json()["complete"] is False

    early = producer.post(f"/producer/sites/{SITE}/saq/submit", {"version": saved.json()["draft"]["version"]})
    assert (early.status, early.json()["error"]["code"]) == (422, "saq_incomplete")
    assert set(early.json()["error"]["fields"]) == set(saq.missing(saq.questionnaire(), first_half))

    reloaded = producer.get(f"/producer/sites/{SITE}/saq").json()  # as after closing the browser
    assert reloaded["draft"]["answers"] == first_half
    with dynamodb_calls() as calls:
        producer.get(f"/producer/sites/{SITE}/saq")
    assert calls == ["GetItem", "GetItem", "Query"]

    done = producer.call(
        "PUT",
        f"/producer/sites/{SITE}/saq/draft",
        {"answers": answers, "version": reloaded["draft"]["version"]},
    )
    assert done.json()["complete"] is True
    stale = producer.call(
        "PUT",
        f"/producer/sites/{SITE}/saq/draft",
        {"answers": first_half, "version": reloaded["draft"]["version"]},
    )
    assert stale.status == 409
    assert stale.json()["error"]["current"]["draft"]["answers"] == answers

    submitted = producer.post(
        f"/producer/sites/{SITE}/saq/submit", {"version": done.json()["draft"]["version"]}
    )
    assert (submitted.status, submitted.json()["number"]) == (201, 1)
    after = producer.get(f"/producer/sites/{SITE}/saq").json()
    assert after["unchanged_since"] == 1  # the draft still holds version 1's answers
    again = producer.post(f"/producer/sites/{SITE}/saq/submit", {"version": done.json()["draft"]["version"]})
    assert (again.status, again.json()["error"]["code"]) == (422, "saq_unchanged")
    assert "1" in again.json()["error"]["message"]
    changed = producer.call(
        "PUT",
        f"/producer/sites/{SITE}/saq/draft",
        {"answers": first_half, "version": done.json()["draft"]["version"]},
    )
    assert changed.status == 200
    assert changed.json()["unchanged_since"] is None  # a change: something new to submit
    assert producer.get(f"/producer/sites/{SITE}/saq/versions/1").json()["answers"] == answers
    site = producer.get(f"/producer/sites/{SITE}").json()
    assert (site["saq"]["status"], site["saq"]["versions"]) == ("submitted", 1)


def test_saq_answers_are_checked_by_question(producer, new_site):
    SITE = new_site  # noqa: N806 - this test's own site
    questionnaire = saq.questionnaire()
    number = next(q for q in saq.visible(questionnaire, {}) if q.type == "number")
    answer = producer.call(
        "PUT",
        f"/producer/sites/{SITE}/saq/draft",
        {"answers": {number.id: "many", "no.such.question": True}, "version": None},
        language="en",
    )
    assert answer.status == 422
    assert set(answer.json()["error"]["fields"]) == {number.id, "no.such.question"}
    assert producer.get(f"/producer/sites/{SITE}/saq").json()["draft"] is None  # nothing stored


# -- audits, uploads and corrective actions ----------------------------------------------------------
def test_an_audit_report_becomes_available_after_its_content_is_checked(producer):
    content = pdf()
    audit = register_audit(producer, content)
    assert audit["document"]["status"] == "available"
    assert audit["document"]["sha256"] == hashlib.sha256(content).hexdigest()
    link = producer.post(f"/producer/documents/{audit['document']['id']}/download").json()["url"]
    with urllib.request.urlopen(link) as response:  # noqa: S310 - the local S3
        assert response.read() == content


def test_a_renamed_file_that_is_not_a_pdf_is_rejected_with_its_reason(producer):
    audit = register_audit(producer, b"Name,Hours\nAyse,48\n" * 50)
    assert audit["document"]["status"] == "rejected"
    assert (
        audit["document"]["reason"]
        == "The file is not a PDF, whatever its name. Upload the audit report as a PDF."
    )
    assert producer.post(f"/producer/documents/{audit['document']['id']}/download").status == 404


def test_a_pdf_with_a_web_page_appended_is_rejected_as_two_files_in_one(producer):
    audit = register_audit(producer, pdf() + b"<html><script>alert(document.cookie)</script></html>")
    assert audit["document"]["status"] == "rejected"
    assert audit["document"]["reason"].startswith("The file contains something else as well")
    assert producer.post(f"/producer/documents/{audit['document']['id']}/download").status == 404


@pytest.mark.parametrize(
    ("file_name", "expected"),
    [
        pytest.param("../../etc/passwd.pdf", "passwd.pdf", id="path"),
        pytest.param("C:\\Users\\ayse\\rapport.pdf", "rapport.pdf", id="windows path"),
        pytest.param("rapport\r\nSet-Cookie: a=b.pdf", "rapport__Set-Cookie: a=b.pdf", id="CR LF"),
        pytest.param("rapport\x00.exe.pdf", "rapport_.exe.pdf", id="NUL"),
        pytest.param("%2e%2e%2fetc%2fpasswd.pdf", "_2e_2e_2fetc_2fpasswd.pdf", id="percent-encoded"),
        pytest.param('a"; filename="evil.html', "a__ filename=_evil.html", id="quotes"),
        pytest.param("..\u2215..\u2215evil.pdf", "evil.pdf", id="a slash look-alike"),
    ],
)
def test_a_download_carries_one_sanitised_name_in_both_forms(producer, file_name, expected):
    """The served Content-Disposition: filename= and filename*= say the same harmless name."""
    content = pdf(f"Named {len(file_name)} {expected.encode().hex()}")  # one document per name
    audit = new_audit(producer, content, file_name=file_name)
    assert upload(producer, audit["upload"], content, "application/pdf") in (200, 201, 204)
    document = producer.get(f"/producer/audits/{audit['id']}").json()["document"]
    link = producer.post(f"/producer/documents/{document['id']}/download").json()["url"]
    with urllib.request.urlopen(link) as response:  # noqa: S310 - the local S3
        disposition = response.headers["content-disposition"]
    ascii_name = re.sub(r"[^A-Za-z0-9._-]", "_", expected)
    assert disposition == (
        f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{urllib.parse.quote(expected, safe='')}"
    )


def test_a_download_name_keeps_its_letters_in_the_utf8_form(producer):
    content = pdf("Norsk")
    audit = new_audit(producer, content, file_name="Revisjon Ås – 2026.pdf")
    assert upload(producer, audit["upload"], content, "application/pdf") in (200, 201, 204)
    document = producer.get(f"/producer/audits/{audit['id']}").json()["document"]
    link = producer.post(f"/producer/documents/{document['id']}/download").json()["url"]
    with urllib.request.urlopen(link) as response:  # noqa: S310 - the local S3
        disposition = response.headers["content-disposition"]
    plain, utf8 = disposition.removeprefix("attachment; ").split("; ")
    assert plain == 'filename="Revisjon__s___2026.pdf"'
    assert urllib.parse.unquote(utf8.removeprefix("filename*=UTF-8''")) == "Revisjon Ås – 2026.pdf"


def test_a_retried_request_and_a_second_upload_of_the_same_file_make_one_document(producer):
    content = pdf("Once only")
    request_id = str(uuid.uuid4())
    audit = register_audit(producer, content, request_id=request_id)
    body = {
        "request_id": request_id,
        "site_id": SITE,
        "audit_type": "smeta_4",
        "audit_date": "2026-09-15",
        "audit_company": "Intertek",
        "reference": "RPT-2026-0915",
        "announcement": "semi_announced",
        "lead_auditor": "Deniz Aksoy",
        "pillars": ["labour", "health_safety", "environment", "business_ethics"],
        "file_name": "smeta-denizli-2026.pdf",
        "content_type": "application/pdf",
        "size_bytes": len(content),
    }
    retried = producer.post("/producer/audits", body)
    assert (retried.json()["audit"]["id"], retried.json()["upload"]) == (audit["id"], None)
    assert producer.post("/producer/audits", {**body, "audit_company": "Bureau Veritas"}).status == 409

    again = register_audit(producer, content)
    assert again["document"]["status"] == "rejected"
    assert again["document"]["reason"] == "This file has already been uploaded."
    documents = [a["document"] for a in producer.get("/producer/audits").json()["items"]]
    same = [d["status"] for d in documents if d["sha256"] == hashlib.sha256(content).hexdigest()]
    assert same == ["available"]


def test_a_document_id_of_another_producer_neither_taken_nor_hidden(world, producer):
    """Frutas del Sur's report stays Frutas del Sur's, whatever id Anatolia's request names."""
    lucia = logged_in(world, DEMO_USERS[5])
    theirs = register_audit(lucia, pdf("Ica"), site_id="ZS-6H1L-PE1")["document"]["id"]
    content = pdf("Copycat")
    mine = register_audit(producer, content, request_id=str(uuid.UUID(theirs)))
    assert lucia.post(f"/producer/documents/{theirs}/download").status == 200
    assert producer.post(f"/producer/documents/{theirs}/download").status == 404
    assert producer.post(f"/producer/documents/{mine['document']['id']}/download").status == 200
    assert theirs not in (mine["id"], mine["document"]["id"])  # the server's ids, never the client's


def test_evidence_ids_are_the_servers_and_a_retry_finds_the_same_document(producer):
    audit = register_audit(producer, pdf("Evidence ids"))
    finding = producer.post(
        f"/producer/audits/{audit['id']}/findings",
        {"grade": "minor", "clause": "smeta_5", "description": "Payslips lack overtime lines."},
    ).json()
    request_id = str(uuid.uuid4())
    body = {"request_id": request_id, "file_name": "slip.png", "content_type": "image/png", "size_bytes": 9}
    path = f"/producer/audits/{audit['id']}/findings/{finding['id']}/evidence"
    first, retried = producer.post(path, body), producer.post(path, body)
    assert first.json()["document"]["id"] == retried.json()["document"]["id"] != uuid.UUID(request_id).hex
    assert retried.json()["upload"] is not None  # the file is not in yet: a fresh form
    assert producer.post(path, {**body, "file_name": "other.png"}).status == 409


def new_audit(person: Api, content: bytes, file_name: str = "smeta-denizli-2026.pdf") -> dict:
    """An audit registered, its report not yet uploaded: the audit's id and the presigned form."""
    body = {
        "request_id": str(uuid.uuid4()), "site_id": SITE, "audit_type": "smeta_4",
        "audit_date": "2026-09-15", "audit_company": "Intertek", "reference": "RPT-2026-0915",
        "announcement": "semi_announced", "lead_auditor": "Deniz Aksoy", "pillars": ["labour"],
        "file_name": file_name, "content_type": "application/pdf", "size_bytes": len(content),
    }  # fmt: skip
    created = person.post("/producer/audits", body)
    assert created.status == 201, created.body
    return {"id": created.json()["audit"]["id"], "upload": created.json()["upload"]}


def downloaded(person: Api, document_id: str) -> bytes:
    answer = person.post(f"/producer/documents/{document_id}/download")
    assert answer.status == 200, answer.body
    with urllib.request.urlopen(answer.json()["url"]) as response:  # noqa: S310 - the local S3
        return response.read()


# A PDF that runs a script when opened: what a hostile second use of the form would bring.
HOSTILE_PDF = (
    b"%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 2 0 R /OpenAction << /S /JavaScript /JS (app.alert(1)) >> >>"
    b" endobj\n2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
)


def test_a_form_used_again_while_its_upload_is_checked_never_changes_what_is_served(producer, monkeypatch):
    """S3 takes a presigned POST as often as it is sent until it expires. The hostile file posted
    while the good one is being checked must not be what the checked document serves."""
    import os

    from infra.local.gateway import s3_object_created
    from portal import uploads
    from portal.adapters import files

    good = pdf("Checked report")
    audit = new_audit(producer, good)
    bucket = urllib.parse.urlparse(audit["upload"]["url"]).path.rsplit("/", 1)[-1]
    key = audit["upload"]["fields"]["key"]
    real_check = uploads.check

    def form_used_again_meanwhile(*args, **kwargs):
        verdict = real_check(*args, **kwargs)
        # Straight to S3 with the same, valid form: in AWS the browser posts to the bucket itself.
        enclosure, body = form_body(audit["upload"]["fields"], HOSTILE_PDF, "application/pdf")
        request = urllib.request.Request(  # noqa: S310 - the embedded S3
            f"{os.environ['AWS_ENDPOINT_URL']}/{bucket}", body, {"Content-Type": enclosure}, method="POST"
        )
        urllib.request.urlopen(request).close()  # noqa: S310
        return verdict

    monkeypatch.setattr(uploads, "check", form_used_again_meanwhile)
    assert upload(producer, audit["upload"], good, "application/pdf") in (200, 201, 204)
    monkeypatch.setattr(uploads, "check", real_check)

    document = producer.get(f"/producer/audits/{audit['id']}").json()["document"]
    assert (document["status"], document["sha256"]) == ("available", hashlib.sha256(good).hexdigest())
    assert downloaded(producer, document["id"]) == good
    # Then the hostile upload's own event: the document was checked, so it changes nothing.
    [hostile] = files.s3_client().list_object_versions(Bucket=bucket, Prefix=key)["Versions"]
    event = s3_object_created(bucket, key, len(HOSTILE_PDF), "127.0.0.1", hostile["VersionId"])
    producer.gateway.deliver(producer.gateway.functions["UploadCheckFunction"], event)
    again = producer.get(f"/producer/audits/{audit['id']}").json()["document"]
    assert (again["status"], again["sha256"]) == ("available", hashlib.sha256(good).hexdigest())
    assert downloaded(producer, document["id"]) == good
    assert not files.s3_client().list_object_versions(Bucket=bucket, Prefix=key).get("Versions")


FUZZ_EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "150"))
REUSES = ("good", "another good", "hostile", "polyglot", "html")


def reuse_content(kind: str, tag: str) -> bytes:
    """Each example's own files: the same content twice in one organisation is one document."""
    return {
        "good": lambda: pdf(f"Good {tag}"),
        "another good": lambda: pdf(f"Another good {tag}"),
        "hostile": lambda: HOSTILE_PDF.replace(b"app.alert(1)", f"app.alert('{tag}')".encode()),
        "polyglot": lambda: pdf(f"Polyglot {tag}") + b"<html><script>alert(1)</script></html>",
        "html": lambda: f"<html><script>alert('{tag}')</script></html>".encode(),
    }[kind]()


def deliver_waiting(person: Api, bucket: str, key: str) -> None:
    """The Object Created event of every version still in quarantine, as S3 would send them."""
    from infra.local.gateway import s3_object_created
    from portal.adapters import files

    versions = files.s3_client().list_object_versions(Bucket=bucket, Prefix=key).get("Versions", [])
    for version in sorted(versions, key=lambda v: v["LastModified"]):
        event = s3_object_created(bucket, key, version["Size"], "127.0.0.1", version["VersionId"])
        person.gateway.deliver(person.gateway.functions["UploadCheckFunction"], event)


@settings(max_examples=max(4, FUZZ_EXAMPLES // 30), deadline=None, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])  # fmt: skip
@given(
    first=st.sampled_from(REUSES),
    during=st.lists(st.sampled_from(REUSES), max_size=3),
    after=st.lists(st.sampled_from(REUSES), max_size=2),
)
def test_fuzz_a_form_used_again_during_and_after_its_check(producer, first, during, after):
    """Whatever is posted to the form while its upload is checked and after: a document becomes
    available only with bytes that were checked (its hash, and they pass the check again), and once
    checked it never changes."""
    from portal import uploads

    tag = uuid.uuid4().hex
    content = reuse_content(first, tag)
    audit = new_audit(producer, content)
    bucket = urllib.parse.urlparse(audit["upload"]["url"]).path.rsplit("/", 1)[-1]
    key = audit["upload"]["fields"]["key"]
    real_check, posted = uploads.check, [content]

    def form_used_meanwhile(*args, **kwargs):
        verdict = real_check(*args, **kwargs)
        uploads.check = real_check  # once: the first check is the one raced
        for kind in during:
            posted.append(reuse_content(kind, tag))
            enclosure, body = form_body(audit["upload"]["fields"], posted[-1], "application/pdf")
            request = urllib.request.Request(  # noqa: S310 - the embedded S3, as the browser posts to S3
                f"{os.environ['AWS_ENDPOINT_URL']}/{bucket}", body, {"Content-Type": enclosure}, method="POST"
            )
            urllib.request.urlopen(request).close()  # noqa: S310
        return verdict

    uploads.check = form_used_meanwhile
    try:
        assert upload(producer, audit["upload"], content, "application/pdf") in (200, 201, 204)
    finally:
        uploads.check = real_check
    checked = producer.get(f"/producer/audits/{audit['id']}").json()["document"]
    deliver_waiting(producer, bucket, key)
    for kind in after:
        posted.append(reuse_content(kind, tag))
        assert upload(producer, audit["upload"], posted[-1], "application/pdf") in (200, 201, 204)

    document = producer.get(f"/producer/audits/{audit['id']}").json()["document"]
    assert document["status"] in ("available", "rejected")
    if checked["status"] != "uploading":
        assert document == checked  # once checked, nothing posted later changes it
    download = producer.post(f"/producer/documents/{document['id']}/download")
    if document["status"] != "available":
        assert download.status == 404
        return
    served = downloaded(producer, document["id"])
    assert hashlib.sha256(served).hexdigest() == document["sha256"]
    assert served in posted
    assert uploads.check(io.BytesIO(served), len(served), "audit_report").ok


def test_a_form_used_again_after_the_check_changes_nothing(producer):
    good = pdf("Checked once")
    audit = new_audit(producer, good)
    assert upload(producer, audit["upload"], good, "application/pdf") in (200, 201, 204)
    document = producer.get(f"/producer/audits/{audit['id']}").json()["document"]
    assert upload(
        producer, audit["upload"], HOSTILE_PDF + b" " * (len(good) - len(HOSTILE_PDF)), "application/pdf"
    ) in (200, 201, 204)
    assert producer.get(f"/producer/audits/{audit['id']}").json()["document"] == document
    assert downloaded(producer, document["id"]) == good


def test_a_download_link_names_the_checked_copy_and_its_version(producer):
    audit = register_audit(producer, pdf("Pinned"))
    url = producer.post(f"/producer/documents/{audit['document']['id']}/download").json()["url"]
    parsed = urllib.parse.urlparse(url)
    assert "/documents/" in parsed.path
    assert "quarantine" not in parsed.path
    assert urllib.parse.parse_qs(parsed.query)["versionId"]


@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [
        pytest.param("key", None, (403, "AccessDenied"), id="key of another, available document"),
        pytest.param("key", "quarantine/x/y/-/z", (403, "AccessDenied"), id="key of another upload"),
        pytest.param("Content-Type", "text/html", (403, "AccessDenied"), id="another content type"),
        pytest.param("policy", "e30=", (403, "SignatureDoesNotMatch"), id="another policy"),
        pytest.param("x-amz-signature", "0" * 64, (403, "SignatureDoesNotMatch"), id="another signature"),
        pytest.param(
            "success_action_redirect", "https://evil.example", (403, "AccessDenied"), id="extra field"
        ),
    ],
)
def test_a_tampered_upload_form_is_refused_as_s3_refuses_it(producer, field, value, expected):
    """The local stand-in for S3 enforces the signed policy: changing a field of the form, here to
    overwrite an available document with HTML, is refused and changes nothing."""
    from portal.store.models import Document

    victim = register_audit(producer, pdf("The victim"))
    item = next(d for d in Document.by_gsi1.query(f"DOC#{victim['document']['id']}"))
    original = downloaded(producer, victim["document"]["id"])
    audit = new_audit(producer, b"<html><script>alert(1)</script></html>")
    fields = {**audit["upload"]["fields"], field: value if value is not None else item.object_key}
    html = b"<html><script>alert(1)</script></html>"
    answer = post_form(producer, {**audit["upload"], "fields": fields}, html, "text/html")
    assert answer.status == expected[0]
    assert f"<Code>{expected[1]}</Code>".encode() in answer.body
    assert downloaded(producer, victim["document"]["id"]) == original
    assert producer.get(f"/producer/audits/{audit['id']}").json()["document"]["status"] == "uploading"


@pytest.mark.parametrize(
    ("size", "expected"),
    [
        pytest.param(0, (400, "EntityTooSmall"), id="empty"),
        pytest.param(25 * 1024 * 1024 + 1, (400, "EntityTooLarge"), id="too large"),
    ],
)
def test_an_upload_outside_the_forms_size_range_is_refused(producer, size, expected):
    audit = new_audit(producer, pdf())
    answer = post_form(producer, audit["upload"], b"%" * size, "application/pdf")
    assert (answer.status, f"<Code>{expected[1]}</Code>".encode() in answer.body) == (expected[0], True)


def test_an_expired_upload_form_is_refused(producer, monkeypatch):
    from datetime import UTC, datetime

    from infra.local import s3_post

    audit = new_audit(producer, pdf())
    real_verify = s3_post.verify
    later = datetime.now(UTC) + timedelta(hours=1)
    monkeypatch.setattr(
        s3_post, "verify", lambda form, bucket, secret: real_verify(form, bucket, secret, later)
    )
    answer = post_form(producer, audit["upload"], pdf(), "application/pdf")
    assert answer.status == 403
    assert b"Policy expired" in answer.body


def test_a_corrective_action_needs_a_note_and_evidence_before_verification(producer):
    audit = register_audit(producer, pdf("Findings"))
    finding = producer.post(
        f"/producer/audits/{audit['id']}/findings",
        {
            "grade": "major",
            "clause": "smeta_3",
            "description": "Emergency exit blocked in the cutting hall.",
        },
    ).json()
    action = finding["action"]
    assert (action["status"], action["due_date"]) == ("open", "2026-11-14")  # 60 days after the audit
    assert action["overdue"] is (date.today() > date(2026, 11, 14))

    path = f"/producer/audits/{audit['id']}/findings/{finding['id']}/action"
    refused = producer.call(
        "PATCH", path, {"status": "awaiting_verification", "version": action["version"]}, language="en"
    )
    assert refused.status == 422
    assert set(refused.json()["error"]["fields"]) == {"completion_note", "evidence"}

    image = png()
    evidence = producer.post(
        f"/producer/audits/{audit['id']}/findings/{finding['id']}/evidence",
        {
            "request_id": str(uuid.uuid4()),
            "file_name": "exit.png",
            "content_type": "image/png",
            "size_bytes": len(image),
        },
    ).json()
    assert upload(producer, evidence["upload"], image, "image/png") in (200, 201, 204)

    done = producer.call(
        "PATCH",
        path,
        {
            "root_cause": "Storage space too small",
            "action": "New storage room; exit kept free",
            "owner": "Plant manager",
            "status": "awaiting_verification",
            "completion_note": "Exit cleared and marked; daily check by shift leader.",
            "version": action["version"],
        },
    )
    assert done.status == 200
    assert done.json()["status"] == "awaiting_verification"
    assert [e["status"] for e in done.json()["evidence"]] == ["available"]
    assert [(h["from"], h["to"]) for h in done.json()["history"]] == [("open", "awaiting_verification")]
    late = producer.call("PATCH", path, {"owner": "Someone else", "version": action["version"]})
    assert (late.status, late.json()["error"]["current"]["owner"]) == (409, "Plant manager")


def test_overdue_actions_are_flagged(producer):
    audit = register_audit(
        producer, pdf("Old audit"), audit_date=(date.today() - timedelta(days=200)).isoformat()
    )
    producer.post(
        f"/producer/audits/{audit['id']}/findings",
        {"grade": "critical", "clause": "smeta_1", "description": "Passports held by the employer."},
    )
    [listed] = [a for a in producer.get("/producer/audits").json()["items"] if a["id"] == audit["id"]]
    assert (listed["summary"]["critical"], listed["overdue_actions"]) == (1, 1)


def test_the_reference_data_carries_the_corrective_action_rules_the_pages_apply(producer):
    """The browser reads which statuses need evidence, the default deadlines and the grade order
    from the API (domain/actions.py), rather than keeping a copy of its own."""
    rules = producer.get("/reference").json()["corrective_actions"]
    assert rules == {
        "non_compliances": ["critical", "major", "minor"],
        "due_days": {"critical": 30, "major": 60, "minor": 90},
        "needs_evidence": ["awaiting_verification", "closed"],
        "producer_statuses": ["open", "in_progress", "awaiting_verification"],  # closing needs a verifier
        "grade_order": ["critical", "major", "minor", "observation", "good_example"],
    }


def test_buyers_do_not_reach_producer_data(world):
    buyer = logged_in(world, BUYER_ADMIN)
    assert buyer.get("/producer/sites").status == 404
    assert buyer.get(f"/producer/sites/{SITE}").status == 404


def test_a_public_site_id_is_never_given_twice_across_organisations(producer, monkeypatch):
    offered = iter(["ZS-8M2P-BD1", "ZS-NEW1-TR1"])  # the first is Dhaka Knitwear's site
    monkeypatch.setattr("portal.usecases.supply.new_site_id", lambda country: next(offered))
    created = producer.post("/producer/sites", NEW_SITE)
    assert (created.status, created.json()["id"]) == (201, "ZS-NEW1-TR1")


def test_a_seeded_document_restored_from_a_snapshot_still_serves_its_checked_bytes(producer):
    """Downloads name the checked copy's S3 version; a restored object gets a new one, and the
    restore points the document at it (the world fixture restores a snapshot for each test)."""
    documents = [a["document"] for a in producer.get("/producer/audits").json()["items"]]
    available = [d for d in documents if d and d["status"] == "available"]
    assert available
    for document in available:
        assert hashlib.sha256(downloaded(producer, document["id"])).hexdigest() == document["sha256"]
