"""What a person should act on ("needs your attention" on the home page), most urgent first:
IEH staff's waiting applications; a producer's customers waiting for an answer, overdue corrective
actions, out-of-date profiles and missing SAQs; a buyer's high-risk sites, suppliers with an
out-of-date profile and requests still unanswered; and the second factor."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

STALE_AFTER = timedelta(days=365)  # a profile not confirmed for 12 months is out of date


def is_stale(confirmed_at: datetime | None, now: datetime) -> bool:
    return confirmed_at is None or now - confirmed_at > STALE_AFTER


@dataclass(frozen=True)
class SiteState:
    site_id: str
    name: str
    confirmed_at: datetime | None
    has_saq: bool


@dataclass(frozen=True)
class Attention:
    """One thing to do: its message is `attention.<kind>` with `params`; `link` is a site page."""

    kind: str
    link: str
    params: dict[str, str | int] = field(default_factory=dict)


# Most urgent first: what blocks the person, then what someone else is waiting for, then what is
# late, then what is out of date, then what would merely help.
URGENCY = (
    "mfa_setup",
    "applications_waiting",
    "customer_requests",
    "information_requests_overdue",
    "actions_overdue",
    "information_requests_due",
    "high_risk_sites",
    "profile_stale",
    "site_stale",
    "suppliers_stale",
    "saq_not_submitted",
    "requests_unanswered",
    "mfa_offer",
)


def ranked(found: Iterable[Attention]) -> list[Attention]:
    """The items in order of urgency (a stable sort: sites keep their order within a kind)."""
    return sorted(found, key=lambda item: URGENCY.index(item.kind))


def second_factor(*, is_staff: bool, mfa: bool, totp_enabled: bool) -> list[Attention]:
    """IEH staff must log in with a second factor (until then, setting it up is all they can do);
    anyone else without one is offered it."""
    if is_staff and not mfa:
        return [Attention("mfa_setup", "account/")]
    if not totp_enabled:
        return [Attention("mfa_offer", "account/")]
    return []


def producer(confirmed_at: datetime | None, sites: Iterable[SiteState], now: datetime) -> list[Attention]:
    """A producer's profile and sites kept current, and each site's SAQ submitted at least once."""
    found = [Attention("profile_stale", "producer/")] if is_stale(confirmed_at, now) else []
    for site in sites:
        if is_stale(site.confirmed_at, now):
            found.append(Attention("site_stale", f"site/?id={site.site_id}", {"site": site.name}))
        if not site.has_saq:
            found.append(Attention("saq_not_submitted", f"site/?id={site.site_id}#saq", {"site": site.name}))
    return found


def staff(waiting_applications: int) -> list[Attention]:
    """IEH staff decide on membership applications."""
    if not waiting_applications:
        return []
    return [Attention("applications_waiting", "admin/#applications", {"count": waiting_applications})]


def customer_requests(pending: int) -> list[Attention]:
    """Customers who asked for access wait for the producer's admin to decide."""
    return [Attention("customer_requests", "customers/", {"count": pending})] if pending else []


def information_requests(overdue: int, due_this_week: int) -> list[Attention]:
    """A request handler's Transparency Act cases past their deadline, and due within 7 days."""
    path = "/members/requests/"
    found = [Attention("information_requests_overdue", path, {"count": overdue})] if overdue else []
    if due_this_week:
        found.append(Attention("information_requests_due", path, {"count": due_this_week}))
    return found


def overdue_actions(late: int) -> list[Attention]:
    """Corrective actions past their due date (domain.actions.is_overdue)."""
    return [Attention("actions_overdue", "audits/", {"count": late})] if late else []


def buyer(*, high_risk: int, sites: int, stale_suppliers: list[str], unanswered: int) -> list[Attention]:
    """A buyer follows up its high-risk sites and suppliers whose profile is out of date, and sees
    the requests no producer has answered yet."""
    found = []
    if high_risk:
        found.append(
            Attention(
                "high_risk_sites",
                "risk/",
                {"count": high_risk, "total": sites, "every": "yes" if high_risk == sites else "no"},
            )
        )
    if stale_suppliers:
        shown = sorted(stale_suppliers, key=str.casefold)
        names = ", ".join(shown[:3]) + (" …" if len(shown) > 3 else "")
        found.append(
            Attention("suppliers_stale", "suppliers/", {"count": len(stale_suppliers), "names": names})
        )
    if unanswered:
        found.append(Attention("requests_unanswered", "suppliers/?status=pending", {"count": unanswered}))
    return found
