"""The daily reminder run (InformationRequestReminderFunction): the request handlers and the org
admins are e-mailed on day 14 after an information request was received and on its deadline day,
while the case is open. Each reminder is one Query of its day's partition (no Scan); each person is
told of each reminder once (a conditional write says so before anything is sent), so the run may
run twice, or be late: it looks back a few days for reminders a missed run did not send."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date, datetime, timedelta
from typing import Any

from portal.adapters import mail
from portal.clock import utcnow
from portal.domain import norwegian_time
from portal.domain import transparency as law
from portal.i18n import Language
from portal.store import accounts as account_store
from portal.store import information_requests as store
from portal.store import notifications as notice_store
from portal.store.models import InformationRequest, User
from portal.usecases.information_requests import when

LOOK_BACK_DAYS = 3  # a run missed for up to this long still sends its reminders, once


@dataclass
class Done:
    reminders: int = 0
    told: int = 0

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def handlers(users: list[User]) -> list[User]:
    """Who is reminded: the active users with the duty, and the organisation's admins."""
    return [
        u
        for u in users
        if u.status == "active" and (u.role == "admin" or "information_requests" in (u.duties or []))
    ]


def run(now: datetime | None = None) -> Done:
    now = now or utcnow()
    today = norwegian_time.local(now).date()
    done = Done()
    staff: dict[str, list[User]] = {}
    for back in range(LOOK_BACK_DAYS, -1, -1):
        day = today - timedelta(days=back)
        reminders = store.reminders_on(day)
        cases = {(c.org_id, c.case_id): c for c in store.cases((r.org_id, r.case_id) for r in reminders)}
        for item in reminders:
            case = cases.get((item.org_id, item.case_id))
            if case is None or not law.is_open(case.state):
                continue
            if item.what == "deadline" and case.due_on != day.isoformat():
                continue  # the deadline moved (an extension): its own reminder is on the new day
            done.reminders += 1
            if case.org_id not in staff:
                staff[case.org_id] = handlers(account_store.org_users(case.org_id))
            for user in staff[case.org_id]:
                done.told += _tell(user, case, item.what, day, today)
    return done


def _tell(user: User, case: InformationRequest, what: str, day: date, today: date) -> int:
    subject = f"request-reminder#{case.org_id}#{case.case_id}#{what}#{day.isoformat()}"
    if not notice_store.tell_once(subject, user.user_id):
        return 0
    language: Language = "en" if user.language == "en" else "nb"
    due = date.fromisoformat(case.due_on)
    sent = mail.tell(
        user.email,
        *mail.render(
            "information_request_reminder",
            language,
            what=what,
            case_number=case.case_number,
            due=when(due, language),
            days=law.days_left(due, today),
            link=mail.link(f"/members/request/?id={case.case_id}", language),
        ),
        "information_request_reminder",
    )
    if not sent:
        notice_store.untell(subject, user.user_id)
        return 0
    return 1
