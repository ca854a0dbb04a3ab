"""Information requests under the Transparency Act: the public request page and form, the
requester's own page, and the handlers' case work (list, entry by hand, messages with the statutory
clock, further reasons, erasure, statistics). Knows nothing of HTTP."""

from __future__ import annotations

import hashlib
import re
import secrets
import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from portal import cursors
from portal.adapters import mail
from portal.clock import utcnow
from portal.domain import norwegian_time
from portal.domain import transparency as law
from portal.errors import PortalError, conflict, invalid, not_found
from portal.i18n import Language, text
from portal.policy import Actor
from portal.settings import current
from portal.store import accounts as account_store
from portal.store import information_requests as store
from portal.store import organisations
from portal.store.models import InformationRequest, Organisation, User, new

PAGE = 25
CLIENT_LIMIT, CLIENT_WINDOW = 5, 10 * 60  # submissions per client (IP) in ten minutes
ORG_LIMIT, ORG_WINDOW = 100, 60 * 60  # submissions to one organisation in an hour
MEMBER_TYPES = ("buyer", "producer", "both")


@dataclass(frozen=True)
class RequestForm:
    name: str
    email: str | None
    postal_address: str | None
    question: str
    concerns: str | None
    language: Language


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def when(day: date, language: Language) -> str:
    """'27. mars 2026' / '27 March 2026'."""
    return text("transparency.date", language, day=str(day.day), month=str(day.month), year=str(day.year))


def clock(case: InformationRequest) -> law.CaseClock:
    return law.CaseClock(
        state=case.state,
        received_on=date.fromisoformat(case.received_on),
        due_on=date.fromisoformat(case.due_on),
        extended=bool(case.extended),
        refused_on=date.fromisoformat(case.refused_on) if case.refused_on else None,
        further_reasons_asked_on=date.fromisoformat(case.further_reasons_asked_on)
        if case.further_reasons_asked_on
        else None,
    )


# -- the public page -------------------------------------------------------------------------------
def request_page(slug: str) -> Organisation:
    """The member organisation at /innsyn/<slug>/, or 404 (two GetItems)."""
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]{0,80}", slug):
        raise not_found()
    org = organisations.organisation_by_slug(slug)
    if org is None or org.org_type not in MEMBER_TYPES:
        raise not_found()
    return org


def _throttle(org_id: str, client_ip: str | None, now: datetime) -> None:
    """A flood is answered 429 with Retry-After, never dropped silently: per client, then per
    organisation (a request refused per client does not count against the organisation)."""
    count, wait = store.hit("ir_client", client_ip or "unknown", CLIENT_WINDOW, now)
    if count > CLIENT_LIMIT:
        raise PortalError(429, "too_many_requests", retry_after=wait, params={"seconds": wait})
    count, wait = store.hit("ir_org", org_id, ORG_WINDOW, now)
    if count > ORG_LIMIT:
        raise PortalError(429, "too_many_requests", retry_after=wait, params={"seconds": wait})


def submit(
    slug: str, form: RequestForm, client_ip: str | None, now: datetime | None = None
) -> InformationRequest:
    """A request from the public form: received today (Norwegian date), a case number, the
    receipt by e-mail with the requester's own link."""
    now = now or utcnow()
    org = request_page(slug)
    _throttle(org.org_id, client_ip, now)
    case, token = _open_case(org, form, received=_today(now), entered_by_hand=False, now=now)
    _send_receipt(org, case, token)
    return case


def _today(now: datetime) -> date:
    return norwegian_time.local(now).date()


def today() -> date:
    """Today's date in Norway: the day the law counts from."""
    return _today(utcnow())


def _open_case(
    org: Organisation, form: RequestForm, *, received: date, entered_by_hand: bool, now: datetime
) -> tuple[InformationRequest, str | None]:
    number = store.next_number(org.org_id, received.year)
    case_id = uuid.uuid4().hex[:12]
    token = secrets.token_urlsafe(24) if form.email or not entered_by_hand else None
    due = law.answer_due(received)
    case = new(
        InformationRequest,
        InformationRequest.key(org.org_id, case_id),
        org_id=org.org_id,
        case_id=case_id,
        case_number=f"IR-{received.year}-{number:04d}",
        state="received",
        language=form.language,
        requester={"name": form.name, "email": form.email, "postal_address": form.postal_address},
        question=form.question,
        concerns=form.concerns,
        received_on=received.isoformat(),
        due_on=due.isoformat(),
        messages=[],
        entered_by_hand=entered_by_hand,
        token_hash=_digest(token) if token else None,
        created_at=now,
    )
    day14, deadline = law.reminder_days(received, due)
    reminders = [store.reminder(day, case, what) for day, what in ((day14, "day14"), (deadline, "deadline"))]
    store.create(case, case.token_hash, reminders)
    return case, token


def _requester_link(case: InformationRequest, token: str) -> str:
    return mail.link(f"/innsyn/sak/#{token}", "en" if case.language == "en" else "nb")


def _language(case: InformationRequest) -> Language:
    return "en" if case.language == "en" else "nb"


def _send_receipt(org: Organisation, case: InformationRequest, token: str | None) -> None:
    email = (case.requester or {}).get("email")
    if not email or not token:
        return
    language = _language(case)
    mail.send(
        email,
        "information_request_received",
        language,
        organisation=org.name,
        case_number=case.case_number,
        received=when(date.fromisoformat(case.received_on), language),
        due=when(date.fromisoformat(case.due_on), language),
        link=_requester_link(case, token),
    )


# -- the requester's own page ---------------------------------------------------------------------
def by_token(token: str) -> tuple[InformationRequest, Organisation]:
    if not re.fullmatch(r"[A-Za-z0-9_-]{16,100}", token):
        raise not_found()
    case = store.case_by_token(_digest(token))
    if case is None or case.requester is None:
        raise not_found()
    return case, organisations.organisation(case.org_id)


def can_ask(case: InformationRequest, day: date) -> bool:
    """Within three weeks of a refusal, once (the answer to further reasons closes the case)."""
    return case.closing_state is None and law.can_ask_further_reasons(clock(case), day)


def requester_view(case: InformationRequest, today: date) -> dict[str, Any]:
    refused_on = clock(case).refused_on
    return {
        "can_ask_further_reasons": can_ask(case, today),
        "further_reasons_by": law.further_reasons_by(refused_on) if refused_on else None,
    }


def ask_further_reasons_online(token: str, text_: str, now: datetime | None = None) -> InformationRequest:
    case, org = by_token(token)
    today = _today(now or utcnow())
    return _reopen(case, org, today, text_, by=None)


def _reopen(
    case: InformationRequest, org: Organisation, asked_on: date, text_: str, *, by: str | None
) -> InformationRequest:
    if not can_ask(case, asked_on):
        raise conflict("further_reasons_closed")
    due = law.further_reasons_due(asked_on)
    case.closing_state = case.state
    case.state = "further_reasons_requested"
    case.further_reasons_asked_on = asked_on.isoformat()
    case.due_on = due.isoformat()
    case.closed_at = None
    case.expires_at = None
    case.messages = [
        *case.messages,
        _message(
            "further_reasons_request",
            text_,
            sent_by=by or (case.requester or {}).get("name") or "",
            from_requester=True,
        ),
    ]
    store.save(case, [store.reminder(due, case, "deadline")])
    return case


# -- the handlers ---------------------------------------------------------------------------------
def _message(kind: str, text_: str, *, sent_by: str, ground: str | None = None, legal_text: str | None = None,
             expected_on: date | None = None, from_requester: bool = False,
             at: datetime | None = None) -> dict[str, Any]:  # fmt: skip
    return {
        "message_id": uuid.uuid4().hex[:12],
        "kind": kind,
        "sent_at": (at or utcnow()).isoformat(),
        "sent_by": sent_by,
        "text": text_,
        "ground": ground,
        "legal_text": legal_text,
        "expected_on": expected_on.isoformat() if expected_on else None,
        "from_requester": from_requester,
    }


def _me(actor: Actor) -> User:
    user = account_store.user_by_id(actor.user_id)
    if user is None:
        raise PortalError(401, "not_authenticated")
    return user


def list_cases(
    actor: Actor, view: str, cursor: str | None, today: date
) -> tuple[list[InformationRequest], str | None, dict[str, int]]:
    """One page (one Query) and the summary (one Query of the open cases' due dates)."""
    after = None
    if cursor:
        decoded = cursors.decode(cursor)
        if not re.fullmatch(r"[01]#[0-9-]{8,10}#[0-9a-f]{12}", decoded):
            raise invalid(cursor="field.invalid")
        after = decoded
    items, last = store.page(actor.org_id, view, limit=PAGE, after=after)
    next_cursor = cursors.encode(last) if last and len(items) == PAGE else None
    return items, next_cursor, store.summary(actor.org_id, today)


def enter_by_hand(
    actor: Actor, form: RequestForm, received: date, now: datetime | None = None
) -> InformationRequest:
    now = now or utcnow()
    if received > _today(now):
        raise invalid(received_on="field.date_in_future")
    if received < _today(now) - timedelta(days=366):
        raise invalid(received_on="field.invalid")
    org = organisations.organisation(actor.org_id)
    case, token = _open_case(org, form, received=received, entered_by_hand=True, now=now)
    _send_receipt(org, case, token)
    return case


def view_case(actor: Actor, case_id: str, client_ip: str | None = None) -> InformationRequest:
    """One case of the actor's organisation; each view is written to its security log."""
    case = store.case(actor.org_id, case_id)
    account_store.log_event(
        actor.org_id,
        "information_request_viewed",
        actor=_me(actor).email,
        subject=case.case_number,
        ip=client_ip,
    )
    return case


def start(actor: Actor, case_id: str) -> InformationRequest:
    case = store.case(actor.org_id, case_id)
    if case.state != "received":
        raise conflict("invalid_state")
    case.state = "in_progress"
    store.save(case)
    return case


def legal_text(case: InformationRequest, ground: str, refused_on: date) -> str:
    """What every refusal must say (§ 7): the ground and its section, the right and the deadline to
    ask for further reasons, and that the Consumer Authority supervises the Act."""
    language = _language(case)
    return text(
        "transparency.legal_text",
        language,
        ground=text(f"transparency.ground.{ground}", language),
        section=text(f"transparency.section.{ground}", language),
        by=when(law.further_reasons_by(refused_on), language),
    )


def send_message(
    actor: Actor,
    case_id: str,
    kind: str,
    body: str,
    ground: str | None,
    expected_on: date | None,
    now: datetime | None = None,
) -> InformationRequest:
    """A message to the requester: checked against the clock, stored (never edited), e-mailed in
    the case's language when there is an address."""
    now = now or utcnow()
    today = _today(now)
    case = store.case(actor.org_id, case_id)
    if kind in law.REFUSALS and ground is None:
        raise invalid(ground="field.required")
    try:
        law.check_message(clock(case), kind, today, expected_on)
    except law.TooLateError:
        raise conflict("extension_too_late") from None
    except law.WrongDateError:
        raise invalid(expected_on="information_requests.expected_on_invalid") from None
    except law.NotAllowedError:
        raise conflict("invalid_state") from None
    me = _me(actor)
    legal = None
    reminders = []
    if kind in law.REFUSALS:
        assert ground is not None
        legal = legal_text(case, ground, today)
        case.refused_on = today.isoformat()
        case.ground = ground
    if kind == "extension":
        assert expected_on is not None
        case.extended = True
        case.due_on = expected_on.isoformat()
        reminders.append(store.reminder(expected_on, case, "deadline"))
    previous = case.state
    case.state = law.state_after(previous, kind, case.closing_state)
    if kind in law.CLOSING and case.answered_on is None:
        case.answered_on = today.isoformat()
    if not law.is_open(case.state):
        case.closed_at = now
        case.expires_at = now + timedelta(days=current().case_retention_days)
        case.further_reasons_asked_on = None
    case.messages = [
        *case.messages,
        _message(kind, body, sent_by=me.name or me.email, ground=ground if kind in law.REFUSALS else None,
                 legal_text=legal, expected_on=expected_on, at=now),
    ]  # fmt: skip
    store.save(case, reminders)
    _mail_requester(case, kind, body, legal, expected_on)
    return case


def _mail_requester(
    case: InformationRequest, kind: str, body: str, legal: str | None, expected_on: date | None
) -> None:
    email = (case.requester or {}).get("email")
    if not email:
        return
    language = _language(case)
    org = organisations.organisation(case.org_id)
    parts = [body]
    if expected_on:
        parts.append(text("transparency.expected_on", language, date=when(expected_on, language)))
    if legal:
        parts.append(legal)
    mail.send(
        email,
        f"information_request_{kind}",
        language,
        organisation=org.name,
        case_number=case.case_number,
        message="\n\n".join(parts),
    )


def further_reasons_by_hand(
    actor: Actor, case_id: str, asked_on: date, body: str, now: datetime | None = None
) -> InformationRequest:
    """The requester asked for further reasons by letter or e-mail: entered with its real date."""
    if asked_on > _today(now or utcnow()):
        raise invalid(received_on="field.date_in_future")
    case = store.case(actor.org_id, case_id)
    org = organisations.organisation(actor.org_id)
    return _reopen(case, org, asked_on, body, by=(case.requester or {}).get("name") or "")


def erase_requester(actor: Actor, case_id: str) -> None:
    """The requester's name, addresses and link are erased now; the case and its messages stay."""
    case = store.case(actor.org_id, case_id)
    if case.token_hash:
        store.forget_token(case.token_hash)
    case.requester = None
    case.token_hash = None
    store.save(case)
    account_store.log_event(
        actor.org_id, "information_request_erased", actor=_me(actor).email, subject=case.case_number
    )


def statistics(actor: Actor, year: int) -> dict[str, Any]:
    """The year's figures for the organisation: one Query on GSI2."""
    cases = store.of_year(actor.org_id, year)
    return {
        "year": year,
        **law.year_statistics(
            law.Closed(
                state=c.closing_state
                if c.state == "further_reasons_requested" and c.closing_state
                else c.state,
                received_on=date.fromisoformat(c.received_on),
                due_on=date.fromisoformat(_first_due(c)),
                answered_on=date.fromisoformat(c.answered_on) if c.answered_on else None,
                extended=bool(c.extended),
                ground=c.ground,
            )
            for c in cases
        ),
    }


def _first_due(case: InformationRequest) -> str:
    """The deadline the first answer was held to: the extension's date, or three weeks."""
    for m in case.messages:
        if m["kind"] == "extension" and m.get("expected_on"):
            return str(m["expected_on"])
    return law.answer_due(date.fromisoformat(case.received_on)).isoformat()
