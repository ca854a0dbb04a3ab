"""The one place that decides who may do what: actor × action × resource.

Routes are decided from the authorization matrix (data/authorization.json); resources by the
functions below. A resource the actor may not see is `not_found` (404), never a hint that it exists.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from portal import data as packaged
from portal.errors import PortalError, not_found

ANONYMOUS = "anonymous"


@dataclass(frozen=True)
class Actor:
    user_id: str
    org_id: str
    role: str  # admin | member, within the organisation
    org_type: str  # buyer | producer | both | audit_company | ieh
    is_staff: bool
    mfa: bool  # gave a second factor at login
    session_id: str
    csrf_token: str
    duties: tuple[str, ...] = ()  # e.g. "information_requests" (User.duties)

    @property
    def kinds(self) -> frozenset[str]:
        kinds = {"member"}
        if self.role == "admin":
            kinds.add("org_admin")
        if self.org_type in ("producer", "both"):
            kinds.add("producer")
            if self.role == "admin":
                kinds.add("producer_admin")  # decides which customers see the producer's data
        if self.org_type in ("buyer", "both"):
            kinds.add("buyer")
            if self.role == "admin":
                kinds.add("buyer_admin")  # verifies the corrective actions its suppliers ask it to
        if self.org_type == "audit_company":
            kinds.add("auditor")  # uploads audits for the sites it is invited to, while invited
            if self.role == "admin":
                kinds.add("auditor_admin")  # accepts or declines the invitations
        if self.org_type in ("buyer", "producer", "both") and (
            self.role == "admin" or "information_requests" in self.duties
        ):
            kinds.add("request_handler")  # handles the organisation's Transparency Act requests
        if self.is_staff:
            kinds = {"staff"}  # IEH staff act as staff, not as a member organisation
        return frozenset(kinds)

    @property
    def mfa_setup_required(self) -> bool:
        return self.is_staff and not self.mfa


@dataclass(frozen=True)
class Rule:
    actors: frozenset[str]
    mfa_setup: bool = False
    link: str | None = None  # a buyer reads a producer's data: the least link level the route needs


@cache
def matrix() -> dict[str, Rule]:
    data = packaged.load("authorization.json")
    rules = {}
    for route, rule in data["routes"].items():
        spec: dict[str, Any] = {"actors": rule} if isinstance(rule, list) else rule
        rules[route] = Rule(frozenset(spec["actors"]), bool(spec.get("mfa_setup", False)), spec.get("link"))
    return rules


def authorize_route(actor: Actor | None, method: str, route: str) -> None:
    """May this actor call this route at all? Unknown routes are refused (deny by default)."""
    rule = matrix().get(f"{method} {route}")
    if rule is None:
        raise not_found()
    if ANONYMOUS in rule.actors:
        return
    if actor is None:
        raise PortalError(401, "not_authenticated")
    if actor.mfa_setup_required and not rule.mfa_setup:
        raise PortalError(403, "mfa_setup_required")
    if not actor.kinds & rule.actors:
        raise not_found()


def require_org_member(actor: Actor, org_id: str) -> None:
    """Users, events and settings of an organisation: its own members only."""
    if actor.org_id != org_id:
        raise not_found()


def authorize_user_change(actor: Actor, org_id: str, user_id: str) -> None:
    """An organisation's admins manage its users; nobody changes their own role or access, so an
    organisation always keeps the admin who is acting."""
    require_org_member(actor, org_id)
    if "org_admin" not in actor.kinds:
        raise not_found()
    if user_id == actor.user_id:
        raise PortalError(409, "cannot_change_self")


LEVELS = ("profile", "saq", "audits")  # each level includes the ones before it


def link_allows(link: Any, kind: str, site_id: str | None = None) -> bool:
    """May the buyer of this link see this kind of the producer's data (for this site)?"""
    if link is None or link.status != "active" or link.level not in LEVELS:
        return False
    if LEVELS.index(link.level) < LEVELS.index(kind):
        return False
    return site_id is None or link.sites is None or site_id in link.sites


def require_link(link: Any, kind: str, site_id: str | None = None) -> None:
    """A buyer reads a producer's data only through an active link whose level covers it; anything
    else is 404, the same whether the producer, the data or a link exists or not."""
    if not link_allows(link, kind, site_id):
        raise not_found()


def require_active_invitation(invitation: Any) -> None:
    """An audit company reaches a site (its producer's partition) only through its own invitation
    for that site while it is active; anything else is 404, whether the site exists or not."""
    if invitation is None or invitation.status != "active":
        raise not_found()


def require_audit_change(actor: Actor, audit: Any) -> None:
    """Who may change an audit and its findings: the producer its own uploads; an audit company's
    upload only that company (the producer sees it, so it is told why not: 403). The producer still
    plans and reports the corrective actions, comments and disputes (see portal.usecases.auditing)."""
    uploaded_by = audit.uploaded_by or None
    if uploaded_by is None:
        if actor.org_type == "audit_company":
            raise not_found()
        return
    if actor.org_id != uploaded_by.get("org_id"):
        if actor.org_type == "audit_company":
            raise not_found()
        raise PortalError(403, "audit_by_company")
