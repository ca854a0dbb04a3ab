"""What a member should do next ("needs your attention" on the home page): set up or consider a
second factor, confirm an out-of-date company or site profile, submit a site's first SAQ."""

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
    params: dict[str, str] = field(default_factory=dict)


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
