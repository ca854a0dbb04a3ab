"""A producer's use cases: company and site profiles, the SAQ, audits with findings and corrective
actions, and their documents. Everything is read and written in the actor's own organisation.
Knows nothing of HTTP."""

from __future__ import annotations

import hashlib
import json
import secrets
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from pynamodb.exceptions import TransactWriteError

from portal.adapters import files
from portal.domain import actions, attention, reference, saq
from portal.errors import PortalError, conflict, invalid, not_found
from portal.policy import Actor, require_audit_change
from portal.store import accounts as account_store
from portal.store import producers as producer_store
from portal.store.errors import is_condition_failure
from portal.store.models import (
    ActionComment,
    ActionEvent,
    Audit,
    AuditCorrection,
    AuditRemark,
    AuditSeen,
    Document,
    Finding,
    Organisation,
    SaqDraft,
    SaqVersion,
    Site,
    utcnow,
)
from portal.store.organisations import organisation_by_number, register_site
from portal.uploads import MAX_BYTES
from portal.usecases import risk_scores
from portal.usecases.members import actor_email

SITE_ID_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I: read aloud and typed by customers


def is_stale(confirmed_at: datetime | None, now: datetime | None = None) -> bool:
    """Whether a profile confirmed at `confirmed_at` is out of date now (domain.attention's rule)."""
    return attention.is_stale(confirmed_at, now or utcnow())


# -- company profile -------------------------------------------------------------------------------
def profile(actor: Actor) -> Organisation:
    return producer_store.organisation(actor.org_id)


def save_profile(actor: Actor, changes: dict[str, Any], version: int) -> Organisation:
    """Saving the profile also confirms it as current."""
    org = producer_store.organisation(actor.org_id)
    _check_organisation_number(org, changes.get("organisation_number", org.organisation_number))
    for name, value in changes.items():
        setattr(org, name, value)
    org.confirmed_at = utcnow()
    if not producer_store.save_profile(org, version):
        raise conflict()
    return org


def _check_organisation_number(org: Organisation, number: str | None) -> None:
    """Customers and buyers find a member by the number it claimed at approval, so that number
    cannot change here (IEH changes it), and no profile may show a number another member holds.
    A number nobody holds (a foreign registration number) is shown only: it finds nobody."""
    if number == org.organisation_number:
        return
    if org.organisation_number and organisation_by_number(org.organisation_number) is not None:
        raise invalid(organisation_number="field.organisation_number_fixed")
    holder = organisation_by_number(number) if number else None
    if holder is not None and holder.org_id != org.org_id:
        raise invalid(organisation_number="field.organisation_number_taken")


# -- sites -------------------------------------------------------------------------------------------
def _check_workforce(workforce: dict[str, int]) -> None:
    total = workforce.get("total", 0)
    too_many = {
        f"workforce.{part}": "field.more_than_total"
        for part in ("women", "migrant", "temporary", "agency")
        if workforce.get(part, 0) > total
    }
    if too_many:
        raise invalid(**too_many)


def new_site_id(country: str) -> str:
    """A stable public id a customer can type: ZS-XXXX-<country><n>."""
    code = "".join(secrets.choice(SITE_ID_ALPHABET) for _ in range(4))
    return f"ZS-{code}-{country}{secrets.choice('123456789')}"


def sites(actor: Actor) -> list[Site]:
    return sorted(producer_store.sites(actor.org_id), key=lambda s: s.name.lower())


def site(actor: Actor, site_id: str) -> Site:
    return producer_store.site(actor.org_id, site_id)


def create_site(actor: Actor, fields: dict[str, Any]) -> Site:
    _check_workforce(fields["workforce"])
    for _ in range(3):  # a clash of random ids is unlikely; retry rather than fail
        site_id = new_site_id(fields["country"])
        item = Site(
            *Site.key(actor.org_id, site_id),
            site_id=site_id,
            org_id=actor.org_id,
            confirmed_at=utcnow(),
            **fields,
        )
        item.gsi1pk, item.gsi1sk = Site.public_index(site_id)
        scored = risk_scores.score_new_site(item)
        try:
            register_site(item, also=scored.write)
            scored.views.follow_up(item)
            return item
        except TransactWriteError as error:
            if not is_condition_failure(error):
                raise
    raise conflict()


def save_site(actor: Actor, site_id: str, fields: dict[str, Any], revision: int) -> Site:
    """Saving the site also confirms it as current. The country of a site cannot change: it is
    part of its public id and of the public statistics (make a new site instead)."""
    _check_workforce(fields["workforce"])
    item = producer_store.site(actor.org_id, site_id)
    if fields["country"] != item.country:
        raise invalid(country="field.country_fixed")
    now = utcnow()

    def change(site: Site) -> None:
        for name, value in fields.items():
            setattr(site, name, value)
        site.confirmed_at, site.revision = now, revision + 1

    return risk_scores.change_site(actor.org_id, site_id, change, revision=revision)


# -- the self-assessment questionnaire ---------------------------------------------------------
@dataclass(frozen=True)
class SaqView:
    site: Site
    draft: SaqDraft | None
    versions: list[SaqVersion]
    completion: dict[str, tuple[int, int]]
    complete: bool
    # The number of the submitted version whose answers the draft holds (or the latest, when there
    # is no draft): there is nothing new to submit until an answer changes.
    unchanged_since: int | None = None
    from_site: dict[str, Any] = field(default_factory=dict)  # what the site's details already answer


def saq_view(actor: Actor, site_id: str) -> SaqView:
    item = producer_store.site(actor.org_id, site_id)
    draft, versions = producer_store.saq_items(actor.org_id, site_id)
    questionnaire = saq.questionnaire(draft.questionnaire_version if draft else saq.CURRENT_VERSION)
    answers = draft.answers if draft else {}
    latest = versions[0] if versions else None
    unchanged = latest is not None and (draft is None or draft.answers == latest.answers)
    return SaqView(
        item,
        draft,
        versions,
        saq.completion(questionnaire, answers),
        not saq.missing(questionnaire, answers),
        int(latest.number) if latest is not None and unchanged else None,
        saq.from_site(item.workforce),
    )


def save_draft(actor: Actor, site_id: str, answers: dict[str, Any], version: int | None) -> SaqView:
    questionnaire = saq.questionnaire(saq.CURRENT_VERSION)
    kept, errors = saq.clean(questionnaire, answers)
    if errors:
        raise invalid(**errors)
    counts = saq.completion(questionnaire, kept)
    answered = sum(a for a, _ in counts.values())
    required = sum(r for _, r in counts.values())
    now = utcnow()
    draft = SaqDraft(
        *SaqDraft.key(actor.org_id, site_id),
        site_id=site_id,
        questionnaire_version=questionnaire.version,
        answers=kept,
        updated_at=now,
        updated_by=actor_email(actor),
    )
    producer_store.save_draft(
        draft,
        version,
        [Site.saq_answered.set(answered), Site.saq_required.set(required), Site.saq_draft.set(True)],
    )
    return saq_view(actor, site_id)


def submit_saq(actor: Actor, site_id: str, version: int) -> SaqVersion:
    view = saq_view(actor, site_id)
    if view.draft is None or view.draft.version != version:
        raise conflict()
    questionnaire = saq.questionnaire(view.draft.questionnaire_version)
    missing = saq.missing(questionnaire, view.draft.answers)
    if missing:
        raise PortalError(422, "saq_incomplete", fields={qid: "field.missing" for qid in missing})
    if view.unchanged_since is not None:  # a version that would say nothing new
        raise PortalError(422, "saq_unchanged", params={"number": view.unchanged_since})
    scored, after = risk_scores.saq_submitted(view.site, view.draft.answers)
    submitted = producer_store.submit_saq(
        actor.org_id, view.site, view.draft, version, actor_email(actor), utcnow(), scored
    )
    scored.views.follow_up(after)
    return submitted


def saq_version(actor: Actor, site_id: str, number: int) -> SaqVersion:
    producer_store.site(actor.org_id, site_id)
    return producer_store.saq_version(actor.org_id, site_id, number)


# -- audits, findings and corrective actions --------------------------------------------------------
@dataclass
class AuditView:
    audit: Audit
    document: Document | None = None
    findings: list[Finding] = field(default_factory=list)
    evidence: dict[str, list[Document]] = field(default_factory=dict)
    history: dict[str, list[ActionEvent]] = field(default_factory=dict)
    remarks: list[AuditRemark] = field(default_factory=list)  # the producer's comments and disputes
    comments: dict[str, list[ActionComment]] = field(default_factory=dict)
    seen: bool = False  # a customer has opened it or downloaded one of its files
    corrections: list[AuditCorrection] = field(default_factory=list)  # newest first
    items: list[Any] = field(default_factory=list)  # everything stored under it (a deletion's list)


def audit_views(items: list[Any], viewer: str | None = None) -> list[AuditView]:
    """The audits among `items` with what belongs to each. A customer (`viewer`, its org id) gets its
    own comments only, and no other customer's reason for sending an action back."""
    views: dict[str, AuditView] = {}
    for item in items:
        if isinstance(item, Audit):
            views[item.audit_id] = AuditView(item)
    for item in items:
        view = views.get(getattr(item, "audit_id", ""))
        if view is None:
            continue
        view.items.append(item)
        if isinstance(item, AuditSeen):
            view.seen = True
        elif isinstance(item, AuditCorrection):
            view.corrections.append(item)
        elif isinstance(item, Finding):
            view.findings.append(item)
        elif isinstance(item, Document) and item.finding_id:
            view.evidence.setdefault(item.finding_id, []).append(item)
        elif isinstance(item, Document):
            view.document = item
        elif isinstance(item, ActionEvent):
            if viewer is not None and item.verifier_kind == "customer" and item.verifier_org_id != viewer:
                item.reason = None
            view.history.setdefault(item.finding_id, []).append(item)
        elif isinstance(item, AuditRemark):
            view.remarks.append(item)
        elif isinstance(item, ActionComment) and viewer in (None, item.buyer_id):
            view.comments.setdefault(item.finding_id, []).append(item)
    for view in views.values():
        view.findings.sort(key=lambda f: (actions.grade_rank(f.grade), f.created_at))
        view.remarks.sort(key=lambda r: r.created_at)
        view.corrections.sort(key=lambda c: -int(c.number))
    return sorted(views.values(), key=lambda v: (v.audit.audit_date, v.audit.created_at), reverse=True)


def audits(actor: Actor) -> list[AuditView]:
    return audit_views(producer_store.audit_tree(actor.org_id))


def audit(actor: Actor, audit_id: str) -> AuditView:
    return audit_of(actor.org_id, audit_id)


def audit_of(org_id: str, audit_id: str) -> AuditView:
    """One audit of the organisation's with everything under it (one Query), or 404."""
    found = audit_views(producer_store.audit_tree(org_id, audit_id))
    if not found:
        raise not_found()
    return found[0]


def _fingerprint(request: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(request, sort_keys=True, default=str).encode()).hexdigest()


def _upload(document: Document) -> dict[str, Any]:
    return files.upload_form(document.object_key, document.declared_type, MAX_BYTES)


def own_id(org_id: str, *scope: str) -> str:
    """The server's id for something the browser asked to create with an idempotency key: the same
    request of the same organisation gives the same id (a retry finds what the first try made), but
    no client can choose an id, and so none can take or shadow another organisation's."""
    return hashlib.sha256("\x1f".join((org_id, *scope)).encode()).hexdigest()[:32]


def create_audit(
    actor: Actor,
    request_id: str,
    fields: dict[str, Any],
    *,
    owner: str | None = None,
    uploaded_by: dict[str, Any] | None = None,
) -> tuple[AuditView, dict[str, Any] | None]:
    """The audit and its report's upload form. The audit's id is derived from the browser's request
    id, so a retried request returns the same audit (and a fresh form while the file is not in yet).
    An audit company uploads into the producer's partition (`owner`, once its invitation is checked:
    portal.usecases.auditing), its upload marked `uploaded_by` it; its ids never meet the producer's."""
    owner = owner or actor.org_id
    scope = ("audit", uploaded_by["org_id"]) if uploaded_by else ("audit",)
    audit_id = own_id(owner, *scope, uuid.UUID(request_id).hex)
    fingerprint = _fingerprint(fields)
    site_item = producer_store.site(owner, fields["site_id"])
    item = Audit(
        *Audit.key(owner, audit_id),
        audit_id=audit_id,
        site_id=site_item.site_id,
        site_name=site_item.name,
        document_id=audit_id,
        request_hash=fingerprint,
        uploaded_by=uploaded_by,
        **_record(actor, site_item.site_id, fields, audit_id, owner=owner),
    )
    report = _new_document(owner, audit_id, None, audit_id, fields, fingerprint)
    if not producer_store.create_audit(item, report):
        existing = audit_of(owner, audit_id)
        if existing.audit.request_hash != fingerprint:
            raise conflict("request_reused")
        document = existing.document
        return existing, (_upload(document) if document and document.status == "uploading" else None)
    return AuditView(item, report), _upload(report)


RECORD_FIELDS = (
    "audit_type",
    "reference",
    "announcement",
    "audit_date",
    "audit_company",
    "lead_auditor",
    "ms_rating",
    "pillars",
)


def _record(
    actor: Actor, site_id: str, fields: dict[str, Any], audit_id: str, owner: str | None = None
) -> dict[str, Any]:
    """The audit's record as stored, from the fields the edge has checked. A follow-up must follow
    an earlier audit of the same site (one GetItem); its type and date are kept with it."""
    day = fields["audit_date"].isoformat()
    record = {name: fields.get(name) for name in RECORD_FIELDS} | {"audit_date": day, "follows": None}
    if fields.get("follows"):
        try:
            earlier = producer_store.audit(owner or actor.org_id, fields["follows"])
        except PortalError:
            earlier = None
        if (
            earlier is None
            or earlier.audit_id == audit_id
            or earlier.site_id != site_id
            or earlier.audit_date > day
        ):
            raise invalid(follows="field.follows_earlier_audit")
        record["follows"] = {
            "audit_id": earlier.audit_id,
            "audit_type": earlier.audit_type,
            "audit_date": earlier.audit_date,
        }
    return record


def correct_audit(
    actor: Actor, audit_id: str, fields: dict[str, Any], version: int, note: str | None
) -> AuditView:
    """Correct what the record states. While no customer has seen the audit, the record is simply
    changed; after that, the correction makes a new version, kept with its note and what changed
    (a note is then required: customers read why)."""
    current = audit(actor, audit_id)
    require_audit_change(actor, current.audit)  # an audit company's audit is the company's to change
    item = current.audit
    if int(item.version) != version:
        raise conflict()
    record = _record(actor, item.site_id, fields, audit_id)
    changes = [
        {"field": name, "before": getattr(item, name), "after": value}
        for name, value in record.items()
        if _comparable(getattr(item, name)) != _comparable(value)
    ]
    if not changes:
        return current
    seen = current.seen
    for attempt in range(2):  # a customer may see it between our read and our write
        correction = None
        if seen:
            if not (note or "").strip():
                raise invalid(note="field.correction_note_required")
            number = int(item.revision) + 1
            correction = AuditCorrection(
                *AuditCorrection.key(actor.org_id, audit_id, number),
                audit_id=audit_id,
                number=number,
                note=(note or "").strip(),
                by=actor_email(actor),
                changes=changes,
            )
            item.revision = number
        for name, value in record.items():
            setattr(item, name, value)
        if producer_store.correct_audit(item, correction):
            break
        fresh = audit(actor, audit_id)
        if attempt or int(fresh.audit.version) != version or fresh.seen == seen:
            raise conflict()
        item, seen = fresh.audit, True
    # Deadlines already set stay as they are: a corrected date does not move work under way.
    return audit(actor, audit_id)


def _comparable(value: Any) -> Any:
    return sorted(value) if isinstance(value, list) else value


def delete_audit(actor: Actor, audit_id: str, version: int) -> None:
    """Delete the audit, with everything under it, while no customer has seen it."""
    current = audit(actor, audit_id)
    require_audit_change(actor, current.audit)  # an audit company's audit is the company's to change
    if current.seen:
        raise conflict("audit_seen")
    if int(current.audit.version) != version:
        raise conflict()
    if not producer_store.delete_audit(current.audit, current.items, version):
        if audit(actor, audit_id).seen:
            raise conflict("audit_seen")
        raise conflict()
    for document in (d for d in current.items if isinstance(d, Document) and d.object_key):
        files.delete(document.object_key, document.object_version)
    recount_open_ncs(actor.org_id, current.audit.site_id)


def replace_report(
    actor: Actor, audit_id: str, request_id: str, fields: dict[str, Any]
) -> tuple[Document, dict[str, Any] | None]:
    """A new report file in place of one the check rejected (nobody could have seen that one). A
    retried request finds the replacement it made."""
    current = audit(actor, audit_id)
    require_audit_change(actor, current.audit)  # an audit company's audit is the company's to change
    document_id = own_id(actor.org_id, "report", audit_id, uuid.UUID(request_id).hex)
    fingerprint = _fingerprint(fields)
    old = current.document
    if old is not None and old.document_id == document_id:  # a retry: the replacement is in place
        if old.request_hash != fingerprint:
            raise conflict("request_reused")
        return old, (_upload(old) if old.status == "uploading" else None)
    if old is None or old.status != "rejected":
        raise conflict("report_not_rejected")
    report = _new_document(actor.org_id, audit_id, None, document_id, fields, fingerprint)
    if not producer_store.replace_report(current.audit, old, report):
        raise conflict()
    return report, _upload(report)


def _new_document(
    org_id: str,
    audit_id: str,
    finding_id: str | None,
    document_id: str,
    fields: dict[str, Any],
    fingerprint: str,
) -> Document:
    item = Document(
        *Document.key(org_id, audit_id, finding_id, document_id),
        document_id=document_id,
        audit_id=audit_id,
        finding_id=finding_id,
        purpose="evidence" if finding_id else "audit_report",
        file_name=fields["file_name"],
        declared_size=fields["size_bytes"],
        declared_type=fields["content_type"],
        object_key=Document.quarantine_key(org_id, audit_id, finding_id, document_id),
        request_hash=fingerprint,
    )
    item.gsi1pk, item.gsi1sk = Document.id_index(document_id, org_id)
    return item


def _classified(audit_type: str, fields: dict[str, Any]) -> dict[str, Any]:
    """A finding of a standard with a clause list names one of its clauses, and takes its pillar
    from it; a finding of another standard names a pillar and no clause."""
    clauses = reference.clauses_of(audit_type)
    if clauses:
        if fields.get("clause") not in clauses:
            raise invalid(clause="field.clause_of_standard" if fields.get("clause") else "field.missing")
        return fields | {"pillar": clauses[fields["clause"]]}
    if fields.get("clause"):
        raise invalid(clause="field.no_clauses")
    if not fields.get("pillar"):
        raise invalid(pillar="field.missing")
    return fields | {"clause": None}


def add_finding(actor: Actor, audit_id: str, fields: dict[str, Any], *, owner: str | None = None) -> Finding:
    """A finding of an audit in `owner`'s partition (the actor's own, or the producer's for an audit
    company); only whoever uploaded the audit adds its findings (portal.policy.require_audit_change)."""
    owner = owner or actor.org_id
    parent = producer_store.audit(owner, audit_id)
    require_audit_change(actor, parent)
    fields = _classified(parent.audit_type, fields)
    finding_id = uuid.uuid4().hex[:12]
    item = Finding(
        *Finding.key(owner, audit_id, finding_id), audit_id=audit_id, finding_id=finding_id, **fields
    )
    if actions.has_action(item.grade):
        item.status = "open"
        item.due_date = actions.due_date(item.grade, parent.audit_date)
    producer_store.create_finding(item)
    recount_open_ncs(owner, parent.site_id)
    return item


def recount_open_ncs(org_id: str, site_id: str) -> int:
    """Count a site's non-conformities that are not closed again, from all its audits (one Query:
    findings change rarely, and a recount cannot drift the way an increment can)."""
    tree = producer_store.audit_tree(org_id)
    audits = {item.audit_id for item in tree if isinstance(item, Audit) and item.site_id == site_id}
    count = sum(
        1
        for item in tree
        if isinstance(item, Finding)
        and item.audit_id in audits
        and actions.has_action(item.grade)
        and item.status != "closed"
    )
    producer_store.set_open_ncs(org_id, site_id, count)
    return count


def change_action(
    actor: Actor, audit_id: str, finding_id: str, changes: dict[str, Any], version: int
) -> AuditView:
    item = producer_store.finding(actor.org_id, audit_id, finding_id)
    if not actions.has_action(item.grade):
        raise not_found()  # observations and good examples have no corrective action
    before = item.status
    for name, value in changes.items():
        setattr(item, name, value.isoformat() if isinstance(value, date) else value)
    if not actions.producer_may_set(before, item.status):
        raise invalid(status="field.closing_needs_verification")
    if before != item.status:  # a verification, a request for one, or the old mark no longer hold
        item.verification, item.verification_request, item.closed_unverified = None, None, None
    if actions.needs_evidence(item.status) and before != item.status:
        problems = {}
        if not (item.completion_note or "").strip():
            problems["completion_note"] = "field.completion_note_required"
        view = audit(actor, audit_id)
        if not any(d.status == "available" for d in view.evidence.get(finding_id, [])):
            problems["evidence"] = "field.evidence_required"
        if problems:
            raise invalid(**problems)
    producer_store.change_action(item, version, actor_email(actor), before)
    if before != item.status:
        changed = producer_store.audit(actor.org_id, audit_id)
        recount_open_ncs(actor.org_id, changed.site_id)
        if item.status == "awaiting_verification":
            _ask_the_audit_company(changed, item)
    return audit(actor, audit_id)


def _ask_the_audit_company(item: Audit, finding: Finding) -> None:
    """An action of an audit company's audit is done: its auditors are told to verify it, while the
    company's invitation for the site is active (else the producer asks a customer instead)."""
    from portal.store import auditing as auditing_store
    from portal.usecases import notifications

    company_id = (item.uploaded_by or {}).get("org_id")
    invitation = auditing_store.invitation(company_id, item.site_id) if company_id else None
    if invitation is None or invitation.status != "active":
        return
    params = {
        "producer": invitation.producer_name,
        "site": invitation.site_name,
        "action": finding.action or finding.description,
        "path": f"/members/auditor-audit/?site={item.site_id}&id={item.audit_id}",
    }
    auditors = [u for u in account_store.org_users(invitation.company_id) if u.status == "active"]
    notifications.notify_all(auditors, "company_verification_request", params)


def add_evidence(
    actor: Actor, audit_id: str, finding_id: str, request_id: str, fields: dict[str, Any]
) -> tuple[Document, dict[str, Any] | None]:
    producer_store.finding(actor.org_id, audit_id, finding_id)
    document_id = own_id(actor.org_id, "evidence", audit_id, finding_id, uuid.UUID(request_id).hex)
    fingerprint = _fingerprint(fields)
    item = _new_document(actor.org_id, audit_id, finding_id, document_id, fields, fingerprint)
    if not producer_store.create_document(item):
        item = producer_store.document(actor.org_id, audit_id, finding_id, document_id)
        if item.request_hash != fingerprint:
            raise conflict("request_reused")
    return item, (_upload(item) if item.status == "uploading" else None)


def download_link(actor: Actor, document_id: str) -> str:
    item = producer_store.document_by_id(actor.org_id, document_id)
    if item is None or item.status != "available":
        raise not_found()
    return files.download_link(
        item.object_key, item.file_name, item.media_type or item.declared_type, item.object_version
    )
