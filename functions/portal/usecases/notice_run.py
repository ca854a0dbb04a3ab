"""The daily notice run (NoticeRunFunction): tells of what became due by itself since the last run
(a corrective action past its due date, a company or site profile out of date) and sends each
person's daily digest. Bounded work per run, and safe to run twice: each person is told of each
thing once (a conditional write says so before anything is sent), and a digest goes once a day."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime, time, timedelta
from typing import Any

from portal.adapters import mail
from portal.clock import utcnow
from portal.domain import actions, attention
from portal.domain import notifications as rules
from portal.errors import PortalError
from portal.i18n import text
from portal.policy import link_allows
from portal.store import accounts as account_store
from portal.store import links as link_store
from portal.store import notifications as notice_store
from portal.store import producers as producer_store
from portal.store.models import Audit, Finding, Link, Organisation, QueuedNotice, Site, User
from portal.usecases import notifications
from portal.usecases.notifications import language_of, values

PAGES_PER_RUN = 200  # Scan pages a run reads before it stops and goes on the next day
PAGE_SIZE = 500  # items a Scan page reads (DynamoDB stops sooner at 1 MB)
DIGESTS_PER_RUN = 2000  # people whose digest one run sends
DIGEST_ITEMS = 100  # notices in one digest; any more wait for the next day's


@dataclass
class Done:
    scanned: int = 0
    overdue_told: int = 0
    stale_told: int = 0
    digests_sent: int = 0
    sweep_complete: bool = False

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def run(now: datetime | None = None, *, pages: int = PAGES_PER_RUN, digests: int = DIGESTS_PER_RUN) -> Done:
    """The sweep first, so that what it finds for a digest goes out in today's."""
    now = now or utcnow()
    done = Done()
    sweep(now, pages, done)
    send_digests(now, digests, done)
    return done


# -- what became due by itself -----------------------------------------------------------------------
@dataclass
class _Sweep:
    """What one run has read already: each organisation's admins, links and audits once."""

    now: datetime
    since: datetime  # what became overdue or out of date after this is news
    done: Done
    admins: dict[str, list[User]] = field(default_factory=dict)
    links: dict[str, list[Link]] = field(default_factory=dict)
    audits: dict[tuple[str, str], Audit | None] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)

    def admins_of(self, org_id: str) -> list[User]:
        if org_id not in self.admins:
            self.admins[org_id] = notifications.admins(org_id)
        return self.admins[org_id]

    def links_of(self, org_id: str) -> list[Link]:
        if org_id not in self.links:
            self.links[org_id] = link_store.producer_links(org_id)
        return self.links[org_id]

    def audit(self, org_id: str, audit_id: str) -> Audit | None:
        if (org_id, audit_id) not in self.audits:
            try:
                self.audits[(org_id, audit_id)] = producer_store.audit(org_id, audit_id)
            except PortalError:  # gone since the finding was read: nothing to tell
                self.audits[(org_id, audit_id)] = None
        return self.audits[(org_id, audit_id)]

    def name_of(self, org_id: str) -> str:
        if org_id not in self.names:
            self.names[org_id] = producer_store.organisation(org_id).name
        return self.names[org_id]


def sweep(now: datetime, pages: int, done: Done) -> None:
    """Read on where the last run stopped; a sweep that reaches the end starts the next one afresh.
    The state is saved after every page, so a run that stops halfway loses at most one page's work
    (and telling it again tells nobody twice)."""
    state = notice_store.sweep()
    if state.started_at is None:
        state.started_at = now
    # The first sweep ever tells only of what became due in the day before it.
    since = state.previous_started_at or state.started_at - timedelta(days=1)
    work = _Sweep(now, since, done)
    cursor = state.cursor
    for _ in range(pages):
        items, cursor = notice_store.sweep_page(cursor, PAGE_SIZE)
        done.scanned += len(items)
        for item in items:
            _consider(work, item)
        state.cursor = cursor
        if cursor is None:
            state.previous_started_at, state.started_at = state.started_at, None
            done.sweep_complete = True
            notice_store.save_sweep(state)
            return
        notice_store.save_sweep(state)


def _consider(work: _Sweep, item: Any) -> None:
    if isinstance(item, Finding):
        _overdue(work, item)
    elif isinstance(item, Organisation) and item.is_producer:
        _stale(work, item.org_id, None, item.name, item.confirmed_at)
    elif isinstance(item, Site):
        _stale(work, item.org_id, item.site_id, item.name, item.confirmed_at)


def _overdue(work: _Sweep, finding: Finding) -> None:
    """An action that became overdue since the last sweep: its producer's admins, and the admins of
    each buyer whose active link shows that site's audits."""
    if not actions.is_overdue(finding.due_date, finding.status, work.now.date()):
        return
    assert finding.due_date is not None
    became = datetime.combine(datetime.fromisoformat(finding.due_date).date() + timedelta(days=1), time())
    if became.replace(tzinfo=work.now.tzinfo) <= work.since:
        return  # overdue before the last sweep began: told then
    org_id = notice_store.owner_of(finding)
    audit = work.audit(org_id, finding.audit_id)
    if audit is None:
        return
    subject = f"overdue#{org_id}#{finding.audit_id}#{finding.finding_id}#{finding.due_date}"
    common = {
        "site": audit.site_name,
        "producer": work.name_of(org_id),
        "action": finding.action or finding.description,
        "due": finding.due_date,
    }
    own = {**common, "audience": "own", "path": f"/members/audit/?id={audit.audit_id}"}
    work.done.overdue_told += _tell(subject, work.admins_of(org_id), "action_overdue", own)
    theirs = {**common, "audience": "supplier", "path": f"/members/supplier/?id={org_id}"}
    for link in work.links_of(org_id):
        if _shows_audits(link, audit.site_id):
            work.done.overdue_told += _tell(subject, work.admins_of(link.buyer_id), "action_overdue", theirs)


def _shows_audits(link: Link, site_id: str) -> bool:
    return link_allows(link, "audits", site_id)


def _stale(work: _Sweep, org_id: str, site_id: str | None, name: str, confirmed_at: datetime | None) -> None:
    """A profile that went out of date since the last sweep: its producer's admins. One never
    confirmed was never current (the members' home page asks for it from the start)."""
    if confirmed_at is None or not attention.is_stale(confirmed_at, work.now):
        return
    if confirmed_at + attention.STALE_AFTER <= work.since:
        return
    subject = f"stale#{org_id}#{site_id or '-'}#{confirmed_at.isoformat()}"
    params = {
        "what": "site" if site_id else "company",
        "name": name,
        "path": f"/members/site/?id={site_id}" if site_id else "/members/producer/",
    }
    work.done.stale_told += _tell(subject, work.admins_of(org_id), "profile_stale", params)


def _tell(subject: str, users: list[User], kind: str, params: dict[str, str]) -> int:
    """Tell each of `users` once: the claim is written before the notice goes."""
    told = 0
    for user in users:
        if notice_store.tell_once(subject, user.user_id):
            notifications.notify(user, kind, params)
            told += 1
    return told


# -- the daily digest ----------------------------------------------------------------------------
def send_digests(now: datetime, limit: int, done: Done) -> None:
    """Each person with notices waiting, in order of their id: one Query finds the next one."""
    after: str | None = None
    for _ in range(limit):
        user_id = notice_store.next_waiting_user(after)
        if user_id is None:
            return
        after = user_id
        done.digests_sent += _digest(user_id, now)


def _digest(user_id: str, now: datetime) -> int:
    items = notice_store.waiting(user_id, DIGEST_ITEMS)
    user = account_store.user_by_id(user_id)
    if user is None or user.status != "active":
        notice_store.clear(items)  # nobody to send it to
        return 0
    wanted = [i for i in items if rules.choice(user.notifications, i.notice_kind) != rules.OFF]
    if not wanted:
        notice_store.clear(items)  # turned off since they were kept
        return 0
    subject = f"digest#{now.date().isoformat()}"
    if not notice_store.tell_once(subject, user_id):
        return 0  # today's digest is sent; what came since waits for tomorrow's
    language = language_of(user)
    if not mail.tell(user.email, *digest_mail(wanted, language), "digest"):
        notice_store.untell(subject, user_id)  # not sent: the next run tries again
        return 0
    notice_store.clear(items)
    return 1


def digest_mail(items: list[QueuedNotice], language: str) -> tuple[str, str]:
    """One e-mail listing the notices, grouped by kind (in the settings page's order)."""
    parts = [text("mail.digest.intro", language)]
    for kind in rules.KINDS:
        group = [i for i in items if i.notice_kind == kind]
        if not group:
            continue
        lines = [text(f"mail.digest.group.{kind}", language)]
        for item in group:
            filled = values(item.params, language)
            lines.append(f"- {text(f'mail.digest.item.{kind}', language, **filled)}")
            if "link" in filled:
                lines.append(f"  {filled['link']}")
        parts.append("\n".join(lines))
    parts.append(text("mail.digest.outro", language))
    subject = text("mail.digest.subject", language, count=len(items))
    return subject, mail.with_settings_link("\n\n".join(parts), language)
