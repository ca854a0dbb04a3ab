"""The single DynamoDB table: one base model, a discriminator, and one subclass per kind of item.

Keys are built by the classmethods of each kind (never by hand elsewhere), so they cannot drift.
Table layout (template.yaml): PK/SK, GSI1 (GSI1PK/GSI1SK), GSI2 (GSI2PK/GSI2SK), TTL on expires_at.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pynamodb.attributes import (
    BooleanAttribute,
    DiscriminatorAttribute,
    JSONAttribute,
    ListAttribute,
    NumberAttribute,
    TTLAttribute,
    UnicodeAttribute,
    UTCDateTimeAttribute,
    VersionAttribute,
)
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex
from pynamodb.models import Model
from pynamodb.transactions import TransactWrite

from portal.clock import utcnow


class Gsi1(GlobalSecondaryIndex["PortalItem"]):
    class Meta:
        index_name = "GSI1"
        projection = AllProjection()

    gsi1pk = UnicodeAttribute(hash_key=True, attr_name="GSI1PK")
    gsi1sk = UnicodeAttribute(range_key=True, attr_name="GSI1SK")


class Gsi2(GlobalSecondaryIndex["PortalItem"]):
    class Meta:
        index_name = "GSI2"
        projection = AllProjection()

    gsi2pk = UnicodeAttribute(hash_key=True, attr_name="GSI2PK")
    gsi2sk = UnicodeAttribute(range_key=True, attr_name="GSI2SK")


class PortalItem(Model):
    class Meta:
        table_name = "unbound"  # set by portal.store.bind()
        region = "eu-north-1"

    pk = UnicodeAttribute(hash_key=True, attr_name="PK")
    sk = UnicodeAttribute(range_key=True, attr_name="SK")
    kind = DiscriminatorAttribute(attr_name="kind")
    gsi1pk = UnicodeAttribute(null=True, attr_name="GSI1PK")
    gsi1sk = UnicodeAttribute(null=True, attr_name="GSI1SK")
    gsi2pk = UnicodeAttribute(null=True, attr_name="GSI2PK")
    gsi2sk = UnicodeAttribute(null=True, attr_name="GSI2SK")
    created_at = UTCDateTimeAttribute(default=utcnow)

    by_gsi1 = Gsi1()
    by_gsi2 = Gsi2()


class Statistics(PortalItem, discriminator="statistics"):
    """Public counters, updated in the same transactions as the data they count."""

    members = NumberAttribute(default=0)
    producers = NumberAttribute(default=0)
    sites = NumberAttribute(default=0)
    countries = NumberAttribute(default=0)
    updated_at = UTCDateTimeAttribute(null=True)

    @staticmethod
    def key() -> tuple[str, str]:
        return "STATS", "GLOBAL"


class CountrySites(PortalItem, discriminator="country_sites"):
    """Sites per country: the first site in a country adds one to the public country count."""

    country = UnicodeAttribute()
    sites = NumberAttribute(default=0)

    @staticmethod
    def key(country: str) -> tuple[str, str]:
        return "STATS", f"COUNTRY#{country}"


class MembershipApplication(PortalItem, discriminator="membership_application"):
    """An application from the public form. The key is the browser's submission id, so a
    double click or a retried request stores one application."""

    application_id = UnicodeAttribute()
    status = UnicodeAttribute(default="received")
    organisation_name = UnicodeAttribute()
    organisation_number = UnicodeAttribute()
    category = UnicodeAttribute()
    annual_turnover_nok = NumberAttribute(null=True)
    inhabitants = NumberAttribute(null=True)
    employees = NumberAttribute(null=True)
    contact_name = UnicodeAttribute()
    email = UnicodeAttribute()
    phone = UnicodeAttribute(null=True)
    message = UnicodeAttribute(null=True)
    consent = BooleanAttribute()
    language = UnicodeAttribute()
    fee = JSONAttribute()
    content_hash = UnicodeAttribute()
    reference = UnicodeAttribute(null=True)  # the applicant's short reference (IEH-7KQ2MX); null before it
    version = VersionAttribute()

    @staticmethod
    def key(application_id: str) -> tuple[str, str]:
        return f"APPLICATION#{application_id}", "APPLICATION"

    @staticmethod
    def status_index(status: str, created_at: datetime) -> tuple[str, str]:
        """GSI1: IEH staff list applications by status, newest first."""
        return MembershipApplication.with_status(status), created_at.isoformat()

    @staticmethod
    def with_status(status: str) -> str:
        """The GSI1 partition of the applications in one status."""
        return f"APPLICATIONS#{status}"


class ApplicationReference(PortalItem, discriminator="application_reference"):
    """An application's short reference, claimed once (written with the application): a reference
    is never given twice, and staff find an application by it with one GetItem here."""

    reference = UnicodeAttribute()
    application_id = UnicodeAttribute()

    @staticmethod
    def key(reference: str) -> tuple[str, str]:
        return f"APPREF#{reference}", "APPREF"


class Organisation(PortalItem, discriminator="organisation"):
    """A member organisation: a buyer, a producer, or both. Its company profile lives here too.
    An audit company (approved by IEH staff, not a member) is an organisation too: its users are
    auditors, its accreditation is shown with its audits, and GSI1 lists the audit companies by name."""

    org_id = UnicodeAttribute()
    name = UnicodeAttribute()
    organisation_number = UnicodeAttribute(null=True)
    org_type = UnicodeAttribute()  # buyer | producer | both | audit_company | ieh
    accreditation = JSONAttribute(null=True)  # an audit company's: {"body", "number"}
    country = UnicodeAttribute()
    address = JSONAttribute(null=True)  # street, postal_code, city, country
    contact = JSONAttribute(null=True)  # name, email, phone
    sectors = ListAttribute[str](null=True)
    products = UnicodeAttribute(null=True)
    confirmed_at = UTCDateTimeAttribute(null=True)  # the producer said "this is current"
    slug = UnicodeAttribute(null=True)  # a member's public request page: /innsyn/<slug>/ (SlugClaim)
    version = VersionAttribute()

    @staticmethod
    def key(org_id: str) -> tuple[str, str]:
        return f"ORG#{org_id}", "PROFILE"

    @staticmethod
    def audit_companies() -> str:
        """GSI1: the partition of the audit companies, by name (producers choose from it)."""
        return "AUDITCOMPANIES"

    @staticmethod
    def audit_company_index(name: str, org_id: str) -> tuple[str, str]:
        return Organisation.audit_companies(), f"{name.casefold()}#{org_id}"

    @property
    def is_buyer(self) -> bool:
        return self.org_type in ("buyer", "both")

    @property
    def is_producer(self) -> bool:
        return self.org_type in ("producer", "both")


class OrganisationNumberClaim(PortalItem, discriminator="organisation_number_claim"):
    """An organisation number, claimed once by the member it belongs to (written with the
    organisation): a lookup by number is one GetItem here, so it can never choose between two."""

    organisation_number = UnicodeAttribute()
    org_id = UnicodeAttribute()

    @staticmethod
    def key(organisation_number: str) -> tuple[str, str]:
        return f"ORGNR#{organisation_number}", "ORGNR"


class SlugClaim(PortalItem, discriminator="slug_claim"):
    """A member's slug, claimed once (written with the organisation): the public request page finds
    its organisation with one GetItem here, and no two members share an address."""

    slug = UnicodeAttribute()
    org_id = UnicodeAttribute()

    @staticmethod
    def key(slug: str) -> tuple[str, str]:
        return f"SLUG#{slug}", "SLUG"


class InformationRequest(PortalItem, discriminator="information_request"):
    """A request for information under the Transparency Act (a case), in its organisation's
    partition. GSI1 lists an organisation's cases, open ones first by due date, then closed ones
    newest first; GSI2 holds them by the year they were received (the yearly statistics). Messages
    to the requester are a list in the item: appended, never edited. Deleted by TTL a set time after
    closing (settings.information_request_retention_days)."""

    org_id = UnicodeAttribute()
    case_id = UnicodeAttribute()
    case_number = UnicodeAttribute()
    state = UnicodeAttribute(default="received")
    language = UnicodeAttribute(default="nb")
    requester = JSONAttribute(null=True)  # name, email, postal_address; null once erased
    question = UnicodeAttribute()
    concerns = UnicodeAttribute(null=True)
    received_on = UnicodeAttribute()  # ISO dates, as the law counts days
    due_on = UnicodeAttribute()
    extended = BooleanAttribute(default=False)
    refused_on = UnicodeAttribute(null=True)
    closing_state = UnicodeAttribute(null=True)  # how it was closed before further reasons reopened it
    further_reasons_asked_on = UnicodeAttribute(null=True)
    answered_on = UnicodeAttribute(null=True)  # the first answer (or refusal) that closed it
    ground = UnicodeAttribute(null=True)  # the ground of the last (partial) refusal
    messages = JSONAttribute(default=list)
    entered_by_hand = BooleanAttribute(default=False)
    token_hash = UnicodeAttribute(null=True)  # the requester's link (RequestToken); null once erased
    closed_at = UTCDateTimeAttribute(null=True)
    expires_at = TTLAttribute(null=True)
    version = VersionAttribute()

    @staticmethod
    def key(org_id: str, case_id: str) -> tuple[str, str]:
        return f"ORG#{org_id}", f"IR#{case_id}"

    @staticmethod
    def listing(org_id: str) -> str:
        """The GSI1 partition of an organisation's cases."""
        return f"ORG#{org_id}#IR"

    @staticmethod
    def list_index(
        org_id: str, *, open_: bool, due_on: str, closed_on: str | None, case_id: str
    ) -> tuple[str, str]:
        """Open cases "0#<due>#<id>" (soonest first), closed ones "1#<inverted close day>#<id>"."""
        if open_:
            return InformationRequest.listing(org_id), f"0#{due_on}#{case_id}"
        inverted = 99999999 - int((closed_on or due_on).replace("-", ""))
        return InformationRequest.listing(org_id), f"1#{inverted:08d}#{case_id}"

    @staticmethod
    def year_index(org_id: str, received_on: str, case_id: str) -> tuple[str, str]:
        return f"ORG#{org_id}#IRYEAR#{received_on[:4]}", f"{received_on}#{case_id}"

    @staticmethod
    def year(org_id: str, year: int) -> str:
        return f"ORG#{org_id}#IRYEAR#{year}"


class RequestToken(PortalItem, discriminator="request_token"):
    """The requester's own link to their case, stored as its SHA-256: one GetItem to the case."""

    org_id = UnicodeAttribute()
    case_id = UnicodeAttribute()
    expires_at = TTLAttribute(null=True)

    @staticmethod
    def key(token_hash: str) -> tuple[str, str]:
        return f"IRTOKEN#{token_hash}", "IRTOKEN"


class CaseCounter(PortalItem, discriminator="case_counter"):
    """The last case number an organisation gave in a year (IR-2026-0042)."""

    last = NumberAttribute(default=0)

    @staticmethod
    def key(org_id: str, year: int) -> tuple[str, str]:
        return f"ORG#{org_id}", f"IRCOUNTER#{year}"


class RequestReminder(PortalItem, discriminator="request_reminder"):
    """A reminder due on one day about one case (day 14, the deadline day): the daily run reads its
    day's partition (one Query, no Scan) and tells each person once (Told)."""

    org_id = UnicodeAttribute()
    case_id = UnicodeAttribute()
    what = UnicodeAttribute()  # day14 | deadline
    expires_at = TTLAttribute()

    @staticmethod
    def key(day: str, org_id: str, case_id: str, what: str) -> tuple[str, str]:
        return RequestReminder.on(day), f"{org_id}#{case_id}#{what}"

    @staticmethod
    def on(day: str) -> str:
        return f"IRREMIND#{day}"


class Site(PortalItem, discriminator="site"):
    """A producer's site of employment, in the producer's partition. GSI1 finds a site by its
    public id. `revision` guards the profile against lost updates; the SAQ summary beside it is
    written by SAQ saves without touching the revision (a draft save must not 409 the site form)."""

    site_id = UnicodeAttribute()
    org_id = UnicodeAttribute()
    name = UnicodeAttribute()
    country = UnicodeAttribute()
    address = JSONAttribute(null=True)  # street, postal_code, city
    sector = UnicodeAttribute(null=True)
    workforce = JSONAttribute(null=True)  # total, women, migrant, temporary, agency
    certifications = ListAttribute[str](null=True)
    confirmed_at = UTCDateTimeAttribute(null=True)
    saq_versions = NumberAttribute(default=0)  # submitted SAQ versions; the newest is this number
    saq_submitted_at = UTCDateTimeAttribute(null=True)
    saq_answered = NumberAttribute(default=0)  # of the draft, for the site list
    saq_required = NumberAttribute(default=0)
    saq_draft = BooleanAttribute(default=False)
    goods = ListAttribute[str](null=True)  # codes from the goods list (data/risk/usdol_goods.json)
    saq_controls = ListAttribute[str](null=True)  # the risk model's controls in the newest SAQ
    saq_flags = ListAttribute[str](null=True)  # the risk model's red flags the newest SAQ raises
    risk = JSONAttribute(null=True)  # portal.usecases.risk_scores.record(): scores, factors, model version
    risk_seq = NumberAttribute(null=True)  # one more with every score written: guards the counts
    open_ncs = NumberAttribute(null=True)  # non-conformities not closed, counted again when one changes
    revision = NumberAttribute(default=1)

    @staticmethod
    def key(org_id: str, site_id: str) -> tuple[str, str]:
        return f"ORG#{org_id}", f"SITE#{site_id}"

    @staticmethod
    def of_org(org_id: str) -> tuple[str, str]:
        """The organisation's partition and the sort-key prefix of its sites."""
        return f"ORG#{org_id}", "SITE#"

    @staticmethod
    def public_index(site_id: str) -> tuple[str, str]:
        return f"SITE#{site_id}", "SITE"


class SiteIdClaim(PortalItem, discriminator="site_id_claim"):
    """A site's public id, claimed once across all organisations (written with the site)."""

    org_id = UnicodeAttribute()

    @staticmethod
    def key(site_id: str) -> tuple[str, str]:
        return f"SITEID#{site_id}", "SITEID"


class SaqDraft(PortalItem, discriminator="saq_draft"):
    """The answers being written for a site: saved while typing, versioned against lost updates."""

    site_id = UnicodeAttribute()
    questionnaire_version = UnicodeAttribute()
    answers = JSONAttribute(default=dict)
    updated_at = UTCDateTimeAttribute()
    updated_by = UnicodeAttribute(null=True)
    version = VersionAttribute()

    @staticmethod
    def key(org_id: str, site_id: str) -> tuple[str, str]:
        return f"ORG#{org_id}", f"SAQ#{site_id}#DRAFT"


class SaqVersion(PortalItem, discriminator="saq_version"):
    """A submitted SAQ: immutable and dated (written once, with a condition that it is new)."""

    site_id = UnicodeAttribute()
    number = NumberAttribute()
    questionnaire_version = UnicodeAttribute()
    answers = JSONAttribute()
    submitted_at = UTCDateTimeAttribute()
    submitted_by = UnicodeAttribute()

    @staticmethod
    def key(org_id: str, site_id: str, number: int) -> tuple[str, str]:
        return f"ORG#{org_id}", f"SAQ#{site_id}#V#{number:05d}"

    @staticmethod
    def of_site(org_id: str, site_id: str) -> tuple[str, str]:
        """The partition and the sort-key prefix of a site's submitted versions (oldest first)."""
        return f"ORG#{org_id}", f"SAQ#{site_id}#V#"


class Audit(PortalItem, discriminator="audit"):
    """An audit of a site, with its report; findings and documents sort after it (AUDIT#<id>#…)."""

    audit_id = UnicodeAttribute()
    site_id = UnicodeAttribute()
    site_name = UnicodeAttribute()
    audit_type = UnicodeAttribute()
    audit_date = UnicodeAttribute()  # YYYY-MM-DD
    audit_company = UnicodeAttribute()
    pillars = ListAttribute[str]()
    # The record as the report states it (null on audits registered before these were asked for).
    reference = UnicodeAttribute(null=True)  # the audit company's report reference
    announcement = UnicodeAttribute(null=True)  # announced | semi_announced | unannounced
    lead_auditor = UnicodeAttribute(null=True)
    ms_rating = UnicodeAttribute(null=True)  # SMETA 7.0's management-system rating
    # A follow-up names the earlier audit of the same site it follows: {"audit_id", "audit_type",
    # "audit_date"}, copied so that the page can name it without reading it. Null: an initial audit.
    follows = JSONAttribute(null=True)
    document_id = UnicodeAttribute()
    request_hash = UnicodeAttribute()  # what the creating request asked for: a retry must match
    # Who uploaded it: None for the producer itself; an audit company's audit carries
    # {"kind": "audit_company", "org_id", "org_name", "lead_auditor": {"user_id", "name", "apsca"},
    #  "by"} (the auditor who sent it) and only that company changes it or its findings.
    uploaded_by = JSONAttribute(null=True)
    # The record's version as customers read it: 1 as registered, one more for each correction made
    # after a customer had seen it (each kept as an AuditCorrection). `version` is the edit lock.
    revision = NumberAttribute(default=1)
    version = VersionAttribute()

    @staticmethod
    def key(org_id: str, audit_id: str) -> tuple[str, str]:
        return f"ORG#{org_id}", f"AUDIT#{audit_id}"


class AuditSeen(PortalItem, discriminator="audit_seen"):
    """That a customer has seen an audit (opened it or downloaded one of its files): written with
    the first such access event, and never removed (the access log's events expire). From then on
    its producer cannot delete the audit, and a correction makes a new version."""

    audit_id = UnicodeAttribute()
    buyer_id = UnicodeAttribute()  # the first customer who saw it

    @staticmethod
    def key(org_id: str, audit_id: str) -> tuple[str, str]:
        return f"ORG#{org_id}", f"AUDIT#{audit_id}#SEEN"


class AuditCorrection(PortalItem, discriminator="audit_correction"):
    """A correction of an audit a customer had seen: the version it made, why, by whom and what
    changed (field → before and after, as stored codes); created_at is when."""

    audit_id = UnicodeAttribute()
    number = NumberAttribute()  # the version this correction made (2 for the first)
    note = UnicodeAttribute()
    by = UnicodeAttribute()
    changes = JSONAttribute()  # [{"field", "before", "after"}]

    @staticmethod
    def key(org_id: str, audit_id: str, number: int) -> tuple[str, str]:
        return f"ORG#{org_id}", f"AUDIT#{audit_id}#VERSION#{number:04d}"


class Finding(PortalItem, discriminator="finding"):
    """A finding of an audit; a non-compliance carries its corrective action."""

    audit_id = UnicodeAttribute()
    finding_id = UnicodeAttribute()
    grade = UnicodeAttribute()  # critical | major | minor | observation | good_example
    pillar = UnicodeAttribute()
    clause = UnicodeAttribute(null=True)  # the standard's clause (SMETA's); its pillar is the clause's
    description = UnicodeAttribute()
    root_cause = UnicodeAttribute(null=True)
    action = UnicodeAttribute(null=True)
    owner = UnicodeAttribute(null=True)
    due_date = UnicodeAttribute(null=True)  # YYYY-MM-DD
    status = UnicodeAttribute(null=True)  # open | in_progress | awaiting_verification | closed
    completion_note = UnicodeAttribute(null=True)
    # Who checked the action and closed it (portal.usecases.verification): by (audit_company |
    # customer), org_id, organisation, person, method, note, at. A closed action always has one.
    verification = JSONAttribute(null=True)
    # The customer the producer asked to verify it, while it waits: buyer_id, organisation, by, at.
    verification_request = JSONAttribute(null=True)
    # Closed by the producer alone before closing needed verification: moved back to awaiting
    # verification by the migration and shown as not verified until someone verifies it.
    closed_unverified = BooleanAttribute(null=True)
    version = VersionAttribute()

    @staticmethod
    def key(org_id: str, audit_id: str, finding_id: str) -> tuple[str, str]:
        return f"ORG#{org_id}", f"AUDIT#{audit_id}#FINDING#{finding_id}"


class Document(PortalItem, discriminator="document"):
    """An uploaded file: an audit report or evidence for an action. Checked before it is available.
    GSI1 finds it by its owner and id (a download names the owner: the actor's own organisation, or
    the supplier in the buyer's path); ids are the server's (portal.usecases.supply.own_id)."""

    document_id = UnicodeAttribute()
    audit_id = UnicodeAttribute()
    finding_id = UnicodeAttribute(null=True)  # evidence belongs to a finding's action
    purpose = UnicodeAttribute()  # audit_report | evidence
    file_name = UnicodeAttribute()
    declared_size = NumberAttribute()
    declared_type = UnicodeAttribute()
    status = UnicodeAttribute(default="uploading")  # uploading | available | rejected
    reason = UnicodeAttribute(null=True)  # message key when rejected
    object_key = UnicodeAttribute()
    # The checked copy's S3 version: downloads name it, so only the bytes that were checked are served.
    object_version = UnicodeAttribute(null=True)
    size_bytes = NumberAttribute(null=True)
    media_type = UnicodeAttribute(null=True)
    sha256 = UnicodeAttribute(null=True)
    checked_at = UTCDateTimeAttribute(null=True)
    request_hash = UnicodeAttribute()

    @staticmethod
    def key(org_id: str, audit_id: str, finding_id: str | None, document_id: str) -> tuple[str, str]:
        owner = f"AUDIT#{audit_id}" + (f"#FINDING#{finding_id}" if finding_id else "")
        return f"ORG#{org_id}", f"{owner}#DOC#{document_id}"

    @staticmethod
    def id_index(document_id: str, org_id: str) -> tuple[str, str]:
        return f"DOC#{document_id}", org_id

    @staticmethod
    def quarantine_key(org_id: str, audit_id: str, finding_id: str | None, document_id: str) -> str:
        """Where the browser uploads it; the upload check reads the item's key back from it."""
        return f"quarantine/{org_id}/{audit_id}/{finding_id or '-'}/{document_id}"

    @staticmethod
    def checked_key(org_id: str, audit_id: str, document_id: str) -> str:
        """Where the checked copy lives: outside quarantine/, so no upload form can write it."""
        return f"documents/{org_id}/{audit_id}/{document_id}"


class ActionEvent(PortalItem, discriminator="action_event"):
    """A corrective action's history: each status change, by whom, written with the change."""

    audit_id = UnicodeAttribute()
    finding_id = UnicodeAttribute()
    from_status = UnicodeAttribute(null=True)
    to_status = UnicodeAttribute()
    by = UnicodeAttribute()
    # A verifier's decision: whose (audit_company | customer, the organisation) and, when it sent the
    # action back, why. A customer's reason is the producer's and that customer's only.
    verifier_kind = UnicodeAttribute(null=True)
    verifier_org_id = UnicodeAttribute(null=True)
    organisation = UnicodeAttribute(null=True)
    reason = UnicodeAttribute(null=True)

    @staticmethod
    def key(org_id: str, audit_id: str, finding_id: str, at: datetime) -> tuple[str, str]:
        return f"ORG#{org_id}", f"AUDIT#{audit_id}#FINDING#{finding_id}#EVENT#{at.isoformat()}"


class AuditRemark(PortalItem, discriminator="audit_remark"):
    """What the producer says about an audit company's audit: a comment on the audit, or a dispute
    of one finding. Sorted under the audit (read with it), never changed, shown to the audit company
    and to customers who see the audit."""

    audit_id = UnicodeAttribute()
    remark_id = UnicodeAttribute()
    remark_kind = UnicodeAttribute()  # comment | dispute
    finding_id = UnicodeAttribute(null=True)  # the disputed finding
    text = UnicodeAttribute()
    by = UnicodeAttribute()  # the user's e-mail
    by_name = UnicodeAttribute(null=True)
    org_name = UnicodeAttribute()

    @staticmethod
    def key(org_id: str, audit_id: str, at: datetime, remark_id: str) -> tuple[str, str]:
        return f"ORG#{org_id}", f"AUDIT#{audit_id}#REMARK#{at.isoformat()}#{remark_id}"


class AuditInvitation(PortalItem, discriminator="audit_invitation"):
    """A producer's invitation to an audit company to audit one site, in the company's partition:
    one GetItem answers "may this company's auditors upload for this site?". The producer lists its
    invitations on GSI1 (its own partition there); the company its own with a Query on its partition.
    A new invitation after one has ended or been declined takes the same item (one per pair)."""

    company_id = UnicodeAttribute()
    company_name = UnicodeAttribute()
    producer_id = UnicodeAttribute()
    producer_name = UnicodeAttribute()
    site_id = UnicodeAttribute()
    site_name = UnicodeAttribute()
    site_country = UnicodeAttribute()
    status = UnicodeAttribute()  # pending | active | declined | ended
    invited_by = UnicodeAttribute()
    decided_by = UnicodeAttribute(null=True)
    updated_at = UTCDateTimeAttribute()
    version = VersionAttribute()

    @staticmethod
    def key(company_id: str, site_id: str) -> tuple[str, str]:
        return f"ORG#{company_id}", f"AUDITSITE#{site_id}"

    @staticmethod
    def of_company(company_id: str) -> tuple[str, str]:
        return f"ORG#{company_id}", "AUDITSITE#"

    @staticmethod
    def producer_list(producer_id: str) -> str:
        """GSI1: the partition of a producer's invitations to audit companies."""
        return f"ORG#{producer_id}#AUDITCOMPANIES"

    @staticmethod
    def producer_index(producer_id: str, site_id: str, company_id: str) -> tuple[str, str]:
        return AuditInvitation.producer_list(producer_id), f"{site_id}#{company_id}"


class ActionComment(PortalItem, discriminator="action_comment"):
    """A customer's comment on a corrective action, in the producer's partition beside the action
    (read with the audit's one Query). Shown to the producer and to the customer that wrote it only."""

    audit_id = UnicodeAttribute()
    finding_id = UnicodeAttribute()
    buyer_id = UnicodeAttribute()
    organisation = UnicodeAttribute()
    person = UnicodeAttribute()
    text = UnicodeAttribute()

    @staticmethod
    def key(org_id: str, audit_id: str, finding_id: str, buyer_id: str, at: datetime) -> tuple[str, str]:
        return f"ORG#{org_id}", f"AUDIT#{audit_id}#FINDING#{finding_id}#COMMENT#{at.isoformat()}#{buyer_id}"


class Link(PortalItem, discriminator="link"):
    """A producer's grant to one buyer, in the producer's partition (one GetItem answers "may buyer
    B see producer P's data of kind K?"). The buyer's supplier list reads its own links through GSI1
    (by producer name) and GSI2 (by last change), only once the producer has granted access (active
    or revoked): before that the buyer sees its own SupplierRequest, never the producer's name.
    Nothing is keyed so that a buyer could reach another buyer's link."""

    producer_id = UnicodeAttribute()
    buyer_id = UnicodeAttribute()
    producer_name = UnicodeAttribute()
    producer_country = UnicodeAttribute()
    buyer_name = UnicodeAttribute()
    buyer_country = UnicodeAttribute()
    status = UnicodeAttribute()  # pending | active | declined | revoked
    level = UnicodeAttribute(null=True)  # profile | saq | audits, while active
    sites = ListAttribute[str](null=True)  # None: every site of the producer
    requested_as = ListAttribute[str](null=True)  # the buyer's SupplierRequests that reached it
    requested_by = UnicodeAttribute(null=True)  # the buyer's user who asked: told of the decision
    # The producer's admin allows the buyer to name it in the buyer's public Transparency Act
    # account: off unless chosen (None on links older than the setting), and only while active.
    may_be_named = BooleanAttribute(null=True)
    requested_at = UTCDateTimeAttribute()
    updated_at = UTCDateTimeAttribute()
    version = VersionAttribute()

    @staticmethod
    def key(producer_id: str, buyer_id: str) -> tuple[str, str]:
        return f"ORG#{producer_id}", f"LINK#{buyer_id}"

    @staticmethod
    def of_producer(producer_id: str) -> tuple[str, str]:
        """The producer's partition and the sort-key prefix of its links (its customer list)."""
        return f"ORG#{producer_id}", "LINK#"

    @staticmethod
    def supplier_list(buyer_id: str) -> str:
        """The index partition of a buyer's supplier list (GSI1 by name, GSI2 by last change)."""
        return f"BUYER#{buyer_id}#SUPPLIERS"

    @staticmethod
    def by_name(buyer_id: str, producer_name: str, producer_id: str) -> tuple[str, str]:
        return Link.supplier_list(buyer_id), f"{producer_name.casefold()}#{producer_id}"

    @staticmethod
    def by_update(buyer_id: str, updated_at: datetime, producer_id: str) -> tuple[str, str]:
        return Link.supplier_list(buyer_id), f"{updated_at.isoformat()}#{producer_id}"


class SupplierRequest(PortalItem, discriminator="supplier_request"):
    """A buyer's request for access, named by what the buyer typed (a site id or an organisation
    number), in the buyer's own partition and supplier list, whatever the reference turned out to
    name: a producer, another member or nothing. So the buyer cannot tell them apart before a
    producer agrees. `producer_id` (never shown to the buyer) is the producer it reached, if any;
    the producer's acceptance deletes the request, in the link's transaction."""

    buyer_id = UnicodeAttribute()
    reference = UnicodeAttribute()
    reference_kind = UnicodeAttribute()  # site_id | organisation_number
    producer_id = UnicodeAttribute(null=True)
    status = UnicodeAttribute(default="pending")  # as a pending link, for the list's status filter
    requested_at = UTCDateTimeAttribute()
    updated_at = UTCDateTimeAttribute()

    @staticmethod
    def key(buyer_id: str, reference: str) -> tuple[str, str]:
        return f"ORG#{buyer_id}", f"SUPPLIERREQUEST#{reference}"

    # In the buyer's supplier list beside its links: the same index keys, the reference standing
    # for both the producer's name and its id.
    @staticmethod
    def by_name(buyer_id: str, reference: str) -> tuple[str, str]:
        return Link.by_name(buyer_id, reference, reference)

    @staticmethod
    def by_update(buyer_id: str, updated_at: datetime, reference: str) -> tuple[str, str]:
        return Link.by_update(buyer_id, updated_at, reference)


class LinkEvent(PortalItem, discriminator="link_event"):
    """A link's history: every decision, by whom, written in the decision's transaction."""

    buyer_id = UnicodeAttribute()
    from_status = UnicodeAttribute(null=True)
    to_status = UnicodeAttribute()
    level = UnicodeAttribute(null=True)
    may_be_named = BooleanAttribute(null=True)  # the naming decision as it stood after this one
    by = UnicodeAttribute()

    @staticmethod
    def key(producer_id: str, buyer_id: str, at: datetime) -> tuple[str, str]:
        return f"ORG#{producer_id}", f"LINKEVENT#{buyer_id}#{at.isoformat()}"


class AccessEvent(PortalItem, discriminator="access_event"):
    """What a customer looked at or downloaded: the producer reads its access log, newest first."""

    buyer_id = UnicodeAttribute()
    buyer_name = UnicodeAttribute()
    action = UnicodeAttribute()  # viewed_profile | viewed_saq | viewed_audits | viewed_audit | downloaded
    subject = UnicodeAttribute(null=True)  # a document's file name (older events: free text)
    # what was looked at, as codes and names the page shows in the reader's language
    site_id = UnicodeAttribute(null=True)
    site_name = UnicodeAttribute(null=True)
    audit_type = UnicodeAttribute(null=True)
    audit_date = UnicodeAttribute(null=True)  # YYYY-MM-DD
    audit_id = UnicodeAttribute(null=True)  # the audit opened, or whose file was downloaded
    expires_at = TTLAttribute()

    @staticmethod
    def key(producer_id: str, at: datetime, event_id: str) -> tuple[str, str]:
        return AccessEvent.log(producer_id), f"{at.isoformat()}#{event_id}"

    @staticmethod
    def log(producer_id: str) -> str:
        """The partition of a producer's access log."""
        return f"ORG#{producer_id}#ACCESS"


class RiskView(PortalItem, discriminator="risk_view"):
    """What one buyer may see of one supplier site's risk, in the buyer's partition: written and
    deleted only in transactions conditioned on the link's version, so it exists exactly while an
    active link covers the site. `scores` leave out the SAQ unless the link's level includes it."""

    producer_id = UnicodeAttribute()
    producer_name = UnicodeAttribute()
    site_id = UnicodeAttribute()
    site_name = UnicodeAttribute()
    country = UnicodeAttribute()
    sector = UnicodeAttribute()
    scores = JSONAttribute()  # pillar → score, and "overall"
    saq_applied = BooleanAttribute()
    risk_version = UnicodeAttribute()

    @staticmethod
    def key(buyer_id: str, site_id: str) -> tuple[str, str]:
        return f"ORG#{buyer_id}", f"RISKVIEW#{site_id}"


class RiskCell(PortalItem, discriminator="risk_cell"):
    """Platform-wide counts of sites by band for one country and sector (IEH staff's overview),
    added to in the same transaction as each site's score. Sums are in tenths of a point.

    Stored under short names ("ol" = overall low, "ls" = labour sum, …): a cell is at most about 280
    bytes, so the platform's cells fit in one 1 MB Query page at any world size (all 249 countries ×
    15 sectors would just reach it; Sedex 10× has about 2,300 cells)."""

    country = UnicodeAttribute()
    sector = UnicodeAttribute()
    sites = NumberAttribute(default=0, attr_name="n")
    overall_low = NumberAttribute(default=0, attr_name="ol")
    overall_medium = NumberAttribute(default=0, attr_name="om")
    overall_high = NumberAttribute(default=0, attr_name="oh")
    overall_sum = NumberAttribute(default=0, attr_name="os")
    labour_low = NumberAttribute(default=0, attr_name="ll")
    labour_medium = NumberAttribute(default=0, attr_name="lm")
    labour_high = NumberAttribute(default=0, attr_name="lh")
    labour_sum = NumberAttribute(default=0, attr_name="ls")
    health_safety_low = NumberAttribute(default=0, attr_name="hl")
    health_safety_medium = NumberAttribute(default=0, attr_name="hm")
    health_safety_high = NumberAttribute(default=0, attr_name="hh")
    health_safety_sum = NumberAttribute(default=0, attr_name="hs")
    environment_low = NumberAttribute(default=0, attr_name="el")
    environment_medium = NumberAttribute(default=0, attr_name="em")
    environment_high = NumberAttribute(default=0, attr_name="eh")
    environment_sum = NumberAttribute(default=0, attr_name="es")
    business_ethics_low = NumberAttribute(default=0, attr_name="bl")
    business_ethics_medium = NumberAttribute(default=0, attr_name="bm")
    business_ethics_high = NumberAttribute(default=0, attr_name="bh")
    business_ethics_sum = NumberAttribute(default=0, attr_name="bs")

    @staticmethod
    def key(country: str, sector: str) -> tuple[str, str]:
        return "RISKSTATS", f"{country}#{sector}"


class DocumentHash(PortalItem, discriminator="document_hash"):
    """One per distinct file content in an organisation: the same file is not stored twice."""

    document_id = UnicodeAttribute()

    @staticmethod
    def key(org_id: str, sha256: str) -> tuple[str, str]:
        return f"ORG#{org_id}", f"HASH#{sha256}"


class User(PortalItem, discriminator="user"):
    """A person who logs in. Listed per organisation through GSI1."""

    user_id = UnicodeAttribute()
    email = UnicodeAttribute()
    name = UnicodeAttribute(null=True)
    org_id = UnicodeAttribute()
    role = UnicodeAttribute(default="member")  # admin | member (within the organisation)
    apsca_number = UnicodeAttribute(null=True)  # an auditor's APSCA membership number, digits only
    is_staff = BooleanAttribute(default=False)  # IEH staff: platform admins
    status = UnicodeAttribute(default="invited")  # invited | active | disabled
    password_hash = UnicodeAttribute(null=True)
    totp_secret = UnicodeAttribute(null=True)
    totp_pending_secret = UnicodeAttribute(null=True)
    totp_last_step = NumberAttribute(null=True)  # time step of the newest code accepted: no replay
    recovery_codes = ListAttribute[str](null=True)  # SHA-256 of each unused code
    # An invitation to an address that already has a user elsewhere: listed like any invitation (the
    # inviter must not learn that the address is known), but it claims no e-mail and never joins.
    email_elsewhere = BooleanAttribute(default=False)
    # One more with every single-use link issued and every password set: a link is honoured only
    # while it carries the user's current number, so a newer link or a new password ends the older
    # ones with no list of tokens to find and delete (the check costs no extra read).
    token_generation = NumberAttribute(default=0)
    # E-mail notices: the choice per kind (domain.notifications; none stored: the defaults) and the
    # language they are written in (none: Norwegian).
    notifications = JSONAttribute(null=True)
    language = UnicodeAttribute(null=True)
    duties = ListAttribute[str](null=True)  # "information_requests": handles the organisation's requests
    version = VersionAttribute()

    @staticmethod
    def key(user_id: str) -> tuple[str, str]:
        return f"USER#{user_id}", "PROFILE"

    @staticmethod
    def org_index(org_id: str, email: str) -> tuple[str, str]:
        return f"ORG#{org_id}#USERS", email

    @staticmethod
    def staff_index(email: str) -> tuple[str, str]:
        """GSI2: IEH staff, for the notices that go to staff (new applications)."""
        return User.staff(), email

    @staticmethod
    def staff() -> str:
        return "STAFF#USERS"

    @property
    def totp_enabled(self) -> bool:
        return bool(self.totp_secret)


class UserEmail(PortalItem, discriminator="user_email"):
    """One GetItem from a normalised e-mail to its user; a conditional put keeps e-mails unique."""

    user_id = UnicodeAttribute()

    @staticmethod
    def key(normalised_email: str) -> tuple[str, str]:
        return f"EMAIL#{normalised_email}", "EMAIL"


class Session(PortalItem, discriminator="session"):
    """A login: found by the SHA-256 of its token; the user's sessions are listed through GSI1."""

    session_id = UnicodeAttribute()  # public id (not the token) for listing and ending sessions
    user_id = UnicodeAttribute()
    org_id = UnicodeAttribute()
    role = UnicodeAttribute()
    org_type = UnicodeAttribute(null=True)  # buyer | producer | both | ieh: what the organisation may do
    is_staff = BooleanAttribute(default=False)
    mfa = BooleanAttribute(default=False)  # the second factor was given at this login
    csrf_token = UnicodeAttribute()
    last_seen_at = UTCDateTimeAttribute()
    absolute_expires_at = UTCDateTimeAttribute()
    user_agent = UnicodeAttribute(null=True)
    ip = UnicodeAttribute(null=True)
    duties = ListAttribute[str](null=True)  # the user's duties, kept current like the role
    expires_at = TTLAttribute()

    @staticmethod
    def key(token_hash: str) -> tuple[str, str]:
        return f"SESSION#{token_hash}", "SESSION"

    @staticmethod
    def user_index(user_id: str, created_at: datetime) -> tuple[str, str]:
        return f"USER#{user_id}#SESSIONS", created_at.isoformat()


class Token(PortalItem, discriminator="token"):
    """A single-use, expiring token (invitation or password reset), stored as its SHA-256."""

    purpose = UnicodeAttribute()  # invitation | password_reset
    user_id = UnicodeAttribute()
    org_id = UnicodeAttribute()
    email = UnicodeAttribute()
    generation = NumberAttribute(default=0)  # the user's token_generation when it was issued
    expires_at = TTLAttribute()

    @staticmethod
    def key(token_hash: str) -> tuple[str, str]:
        return f"TOKEN#{token_hash}", "TOKEN"


class SecurityEvent(PortalItem, discriminator="security_event"):
    """Logins, failures, password and role changes: readable by the organisation's admins."""

    event_kind = UnicodeAttribute()
    actor = UnicodeAttribute(null=True)
    subject = UnicodeAttribute(null=True)
    detail = UnicodeAttribute(null=True)
    ip = UnicodeAttribute(null=True)
    expires_at = TTLAttribute()

    @staticmethod
    def key(org_id: str, at: datetime, event_id: str) -> tuple[str, str]:
        return SecurityEvent.log(org_id), f"{at.isoformat()}#{event_id}"

    @staticmethod
    def log(org_id: str) -> str:
        """The partition of an organisation's security event log."""
        return f"ORG#{org_id}#EVENTS"


class Throttle(PortalItem, discriminator="throttle"):
    """Failed logins per account or per client within a window; the delay grows with the count."""

    failures = NumberAttribute(default=0)
    last_failure_at = NumberAttribute(default=0)
    expires_at = TTLAttribute()

    @staticmethod
    def key(scope: str, subject: str) -> tuple[str, str]:
        return f"THROTTLE#{scope}#{subject}", "THROTTLE"


class Course(PortalItem, discriminator="course"):
    """A course or seminar IEH staff publish; upcoming ones are listed by start through GSI1.

    seats_taken and waiting are counters kept in the same transactions as the registrations, so a
    course is never overbooked: a registration is written only where seats_taken < capacity.
    `revision` moves on with every edit by staff (and the cancellation), which is conditioned on it:
    of two staff members saving at once, the second is told (409) instead of overwriting the first.
    """

    course_id = UnicodeAttribute()
    title_nb = UnicodeAttribute()
    title_en = UnicodeAttribute()
    description_nb = UnicodeAttribute()
    description_en = UnicodeAttribute()
    starts_at = UTCDateTimeAttribute()
    location = UnicodeAttribute()
    capacity = NumberAttribute()
    seats_taken = NumberAttribute(default=0)
    waiting = NumberAttribute(default=0)
    created_by = UnicodeAttribute(null=True)
    revision = NumberAttribute(default=0)
    cancelled_at = UTCDateTimeAttribute(null=True)  # set once: registration closes, nobody takes a seat

    @staticmethod
    def key(course_id: str) -> tuple[str, str]:
        return f"COURSE#{course_id}", "COURSE"

    @staticmethod
    def calendar_index(starts_at: datetime, course_id: str) -> tuple[str, str]:
        """GSI1: every course by start time (upcoming ones are a key condition, not a filter)."""
        return "COURSES", f"{starts_at.isoformat()}#{course_id}"


class Registration(PortalItem, discriminator="registration"):
    """A member's place on a course (registered) or in its waiting list (waiting), in the course's
    partition. Waiting registrations are ordered by the time they joined through GSI2."""

    course_id = UnicodeAttribute()
    user_id = UnicodeAttribute()
    org_id = UnicodeAttribute()
    name = UnicodeAttribute(null=True)
    email = UnicodeAttribute()
    language = UnicodeAttribute(default="nb")
    status = UnicodeAttribute()  # registered | waiting

    @staticmethod
    def key(course_id: str, user_id: str) -> tuple[str, str]:
        return f"COURSE#{course_id}", f"REGISTRATION#{user_id}"

    @staticmethod
    def user_index(user_id: str, course_id: str) -> tuple[str, str]:
        """GSI1: one query gives a member's registrations for the course list."""
        return f"USER#{user_id}#COURSES", course_id

    @staticmethod
    def waiting_index(course_id: str, joined_at: datetime, user_id: str) -> tuple[str, str]:
        """GSI2: the waiting list, first come first served."""
        return f"COURSE#{course_id}#WAITING", f"{joined_at.isoformat()}#{user_id}"


class Resource(PortalItem, discriminator="resource"):
    """A members-only document (guide, template) in the reports bucket under resources/."""

    resource_id = UnicodeAttribute()
    title_nb = UnicodeAttribute()
    title_en = UnicodeAttribute()
    description_nb = UnicodeAttribute(null=True)
    description_en = UnicodeAttribute(null=True)
    resource_type = UnicodeAttribute()  # guide | template | report | presentation
    file_name = UnicodeAttribute()
    object_key = UnicodeAttribute()
    content_type = UnicodeAttribute()
    size_bytes = NumberAttribute()
    updated_at = UTCDateTimeAttribute()

    @staticmethod
    def key(resource_id: str) -> tuple[str, str]:
        return Resource.listing()[0], f"RESOURCE#{resource_id}"

    @staticmethod
    def listing() -> tuple[str, str]:
        """The partition and the sort-key prefix of every members-only document."""
        return "RESOURCES", "RESOURCE#"


class QueuedNotice(PortalItem, discriminator="queued_notice"):
    """A notice waiting for its person's daily digest, in the person's own partition; GSI1 lists the
    people with a digest to send (one partition, sorted by user: the digest run pages through it).
    Expires on its own if no digest is sent for a long time (the person turned digests off)."""

    user_id = UnicodeAttribute()
    notice_kind = UnicodeAttribute()
    params = JSONAttribute()
    expires_at = TTLAttribute()

    @staticmethod
    def key(user_id: str, at: datetime, notice_id: str) -> tuple[str, str]:
        return QueuedNotice.of_user(user_id), f"{at.isoformat()}#{notice_id}"

    @staticmethod
    def of_user(user_id: str) -> str:
        """The partition of a person's waiting notices."""
        return f"USER#{user_id}#DIGEST"

    @staticmethod
    def waiting_index(user_id: str, at: datetime, notice_id: str) -> tuple[str, str]:
        return QueuedNotice.waiting(), f"{user_id}#{at.isoformat()}#{notice_id}"

    @staticmethod
    def waiting() -> str:
        """The GSI1 partition of every waiting notice, by user."""
        return "DIGESTS"

    @staticmethod
    def after_user(user_id: str) -> str:
        """A GSI1 sort key after every waiting notice of `user_id` and before the next user's."""
        return f"{user_id}$"  # "$" sorts right after "#", and no user id holds either


class Told(PortalItem, discriminator="told"):
    """That one person was told of one thing (an overdue action, a stale profile, a day's digest):
    written with a condition that it is new, so nobody is told twice, whoever runs the job again."""

    expires_at = TTLAttribute()

    @staticmethod
    def key(subject: str, user_id: str) -> tuple[str, str]:
        return f"TOLD#{subject}", f"USER#{user_id}"


class NoticeSweep(PortalItem, discriminator="notice_sweep"):
    """Where the daily notice run is: when the last complete sweep started (what became overdue or
    out of date after that is news) and, while a sweep takes more than one run, where it stopped."""

    started_at = UTCDateTimeAttribute(null=True)  # the sweep in progress
    previous_started_at = UTCDateTimeAttribute(null=True)  # the last complete one
    cursor = JSONAttribute(null=True)  # the Scan's LastEvaluatedKey, while a sweep is in progress

    @staticmethod
    def key() -> tuple[str, str]:
        return "NOTICES", "SWEEP"


class Marker(PortalItem, discriminator="marker"):
    """A fact about the table itself, e.g. which demo world version it holds."""

    @staticmethod
    def key(name: str) -> tuple[str, str]:
        return "MARKER", name


def all_models() -> list[type[PortalItem]]:
    """The base model and every kind: each caches its own connection."""
    found: list[type[PortalItem]] = [PortalItem]
    for model in found:
        found.extend(model.__subclasses__())
    return found


def new(model: type[Any], key: tuple[str, str], **attributes: Any) -> Any:
    """An item of `model` at `key` (the kind's own key function), created now."""
    pk, sk = key
    return model(pk, sk, **attributes)


def transaction() -> TransactWrite:
    """A write transaction on the models' own connection (one botocore client per process)."""
    return TransactWrite(connection=PortalItem._get_connection().connection)
