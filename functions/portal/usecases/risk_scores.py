"""Risk on the write path: a site's scores, stored whenever their inputs change (a new site, a saved
site, a submitted SAQ — each in the transaction that writes the input, with the platform counts), the
views each buyer may read (with every link decision, and after every score change, for each active
link that covers the site, conditioned on the link's version), and the batch recompute after a new
model or data version. Called by the supply and sharing use cases and the recompute function."""

from __future__ import annotations

import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from portal.clock import utcnow
from portal.domain.risk import (
    PILLARS,
    SiteInputs,
    assess,
    band,
    controls_from_answers,
    data,
    red_flags_from_answers,
)
from portal.errors import conflict
from portal.policy import link_allows
from portal.store import links as link_store
from portal.store import producers as producer_store
from portal.store import risk as risk_store
from portal.store.models import Link, RiskView, Site

KEYS = (*PILLARS, "overall")  # what a score can be read as: one pillar, or the site's highest
Cell = tuple[str, str]  # (country, sector)


# -- a site's score ------------------------------------------------------------------------------------
def inputs(site: Site) -> SiteInputs:
    controls = site.saq_controls
    return SiteInputs(
        country=site.country,
        sector=site.sector,
        goods=tuple(site.goods or ()),
        workforce=site.workforce,
        controls=frozenset(controls) if controls is not None else None,
        flags=frozenset(site.saq_flags or ()),
    )


def read_saq(site: Site, answers: Mapping[str, Any]) -> None:
    """What the risk model reads from a submitted SAQ, set on the site: its controls and red flags."""
    site.saq_controls = sorted(controls_from_answers(answers))
    site.saq_flags = sorted(red_flags_from_answers(answers))


def record(site: Site, now: datetime | None = None) -> dict[str, Any]:
    """What is stored on the site: both scores, every factor and improvement, the model version."""
    result = assess(inputs(site))
    return {
        "version": data().version,
        "computed_at": (now or utcnow()).isoformat(),
        "saq": site.saq_controls is not None,
        "scores": {**result.scores, "overall": result.overall},
        "inherent": {**result.inherent, "overall": max(result.inherent.values())},
        "factors": [f.as_list() for f in result.factors],
        "improvements": [f.as_list() for f in result.improvements],
    }


def _contribution(
    country: str, sector: str | None, rec: Mapping[str, Any] | None
) -> dict[Cell, Counter[str]]:
    if not rec:
        return {}
    counts: Counter[str] = Counter(sites=1)
    for key in KEYS:
        score = rec["scores"][key]
        counts[f"{key}_{band(score)}"] += 1
        counts[f"{key}_sum"] += round(score * 10)
    return {(country, sector or "other"): counts}


def cell_deltas(before: Site | None, after: Site) -> dict[Cell, dict[str, int]]:
    """What a site's new score changes in the platform counts (nothing for an unchanged band)."""
    total: dict[Cell, Counter[str]] = defaultdict(Counter)
    for cell, counts in _contribution(after.country, after.sector, after.risk).items():
        total[cell].update(counts)
    if before is not None:
        for cell, counts in _contribution(before.country, before.sector, before.risk).items():
            total[cell].subtract(counts)
    return {cell: {k: v for k, v in c.items() if v} for cell, c in total.items() if any(c.values())}


def score_new_site(site: Site) -> Scored:
    """A new site's score, set on it before it is registered (its put carries it); returns the
    counts it adds and its customers' views (a link for all sites covers it at once)."""
    site.risk = record(site)
    site.risk_seq = 1
    return Scored([], None, cell_deltas(None, site), plan_views(site))


def change_site(
    org_id: str, site_id: str, change: Callable[[Site], None], revision: int | None = None
) -> Site:
    """Apply `change` to the stored site, score it, and write both with the counts they move and
    its customers' views, in one transaction, under the condition that neither the score (nor, given
    `revision`, the profile) nor a customer's link changed since they were read. A changed profile
    is the caller's conflict (409); anything else written in between is read again and redone."""
    for _ in range(5):
        before = producer_store.site(org_id, site_id)
        if revision is not None and before.revision != revision:
            raise conflict()
        after = Site.from_raw_data(before.to_dynamodb_dict())
        change(after)
        after.risk = record(after)
        seq = int(before.risk_seq or 0)
        condition = Site.risk_seq == seq if seq else Site.risk_seq.does_not_exist()
        if revision is not None:
            condition &= Site.revision == revision
        views = plan_views(after)
        actions, deltas = _site_actions(before, after), cell_deltas(before, after)
        if risk_store.write_site_risk(after, condition, actions, deltas, views.write):
            after.risk_seq = seq + 1
            views.follow_up(after)
            return after
    raise conflict()


_STORED = ("name", "address", "sector", "goods", "workforce", "certifications", "confirmed_at", "revision",
           "saq_controls", "saq_flags")  # fmt: skip


def _site_actions(before: Site, after: Site) -> list[Any]:
    """The update that turns `before` into `after`: changed fields, the score and its sequence."""
    actions = []
    for name in _STORED:
        value = getattr(after, name)
        if value != getattr(before, name):
            attribute = getattr(Site, name)
            actions.append(attribute.remove() if value is None else attribute.set(value))
    seq = int(before.risk_seq or 0) + 1
    return [*actions, Site.risk.set(after.risk), Site.risk_seq.set(seq)]


@dataclass(frozen=True)
class Scored:
    """A site's new score for a transaction that writes something else too (a new site, a SAQ):
    the update, the condition that the score is still the one read, the counts it moves, and the
    customers' views."""

    actions: list[Any]
    condition: Any
    deltas: dict[Cell, dict[str, int]]
    views: ViewPlan

    def write(self, writes: Any) -> None:
        risk_store.add_cells(writes, self.deltas)
        self.views.write(writes)


def saq_submitted(site: Site, answers: Mapping[str, Any]) -> tuple[Scored, Site]:
    """The site as the submitted SAQ leaves it (its controls and score), for the submission's
    transaction; and that site, for what follows the transaction."""
    after = Site.from_raw_data(site.to_dynamodb_dict())
    read_saq(after, answers)
    after.risk = record(after)
    seq = int(site.risk_seq or 0)
    condition = Site.risk_seq == seq if seq else Site.risk_seq.does_not_exist()
    actions = [
        Site.saq_controls.set(after.saq_controls),
        Site.saq_flags.set(after.saq_flags),
        Site.risk.set(after.risk),
        Site.risk_seq.set(seq + 1),
    ]
    return Scored(actions, condition, cell_deltas(site, after), plan_views(after)), after


# -- views: what each buyer may see ------------------------------------------------------------------
def view_ops(link: Link, sites: Iterable[Site], *, deletes: bool) -> list[risk_store.ViewOp]:
    """The views a link's state asks for: one per covered site with a score; with `deletes`,
    a delete for every other site (the link was or is being narrowed, revoked or declined)."""
    ops: list[risk_store.ViewOp] = []
    saq = link.level in ("saq", "audits")
    for site in sites:
        view = RiskView(*RiskView.key(link.buyer_id, site.site_id))
        if site.risk and link_allows(link, "profile", site.site_id):
            shown = saq and site.risk["saq"]
            view.producer_id, view.producer_name = link.producer_id, link.producer_name
            view.site_id, view.site_name = site.site_id, site.name
            view.country, view.sector = site.country, site.sector or "other"
            view.scores = site.risk["scores" if shown else "inherent"]
            view.saq_applied, view.risk_version = shown, site.risk["version"]
            ops.append(("put", view))
        elif deletes:
            ops.append(("delete", view))
    return ops


# A customer's view takes two items of a transaction (its link's check and the view); the site,
# its counts and the other writes leave room for this many customers, the rest follow right after.
INLINE_CUSTOMERS = 40


@dataclass(frozen=True)
class ViewPlan:
    inline: list[tuple[Link, risk_store.ViewOp]]
    later: list[Link]

    def write(self, writes: Any) -> None:
        risk_store.add_views(writes, self.inline)

    def follow_up(self, site: Site) -> None:
        for link in self.later:
            _write_views(link, [site])


def plan_views(site: Site) -> ViewPlan:
    """The views of a site's customers (active links that cover it): one Query on the producer's
    links. Written in the site's own transaction, so a failure leaves neither half behind."""
    links = [
        link for link in link_store.producer_links(site.org_id) if link_allows(link, "profile", site.site_id)
    ]
    inline = [(link, op) for link in links[:INLINE_CUSTOMERS] for op in view_ops(link, [site], deletes=True)]
    return ViewPlan(inline, links[INLINE_CUSTOMERS:])


def _write_views(link: Link, sites: list[Site]) -> None:
    for _ in range(3):
        if risk_store.write_views(link, view_ops(link, sites, deletes=True)):
            return
        fresh = link_store.link(link.producer_id, link.buyer_id)
        if fresh is None or fresh.status != "active":
            return  # its own decision removed the views
        link = fresh


def link_views(link: Link, was_active: bool) -> tuple[Callable[[Any], None] | None, Callable[[], None]]:
    """For a link decision: the views to write in its transaction, and what to do after it."""
    if link.status != "active" and not was_active:
        return None, lambda: None
    sites = producer_store.sites(link.producer_id)
    ops = view_ops(link, sites, deletes=True)
    first, rest = risk_store.with_views(ops, room=risk_store.VIEWS_PER_TRANSACTION - 1)

    def after() -> None:
        if rest:
            fresh = link_store.link(link.producer_id, link.buyer_id)
            if fresh is not None:
                _write_views(fresh, sites)

    return first, after


# -- the batch recompute -----------------------------------------------------------------------------
@dataclass(frozen=True)
class Recomputed:
    checked: int
    changed: int
    seconds: float


def recompute(force: bool = False, progress: Callable[[int, int], None] | None = None) -> Recomputed:
    """Score again every site whose score is from another model or data version (or all, with
    `force`) and refresh its customers' views. A site's newest submitted SAQ is read again, so a
    new model's controls and red flags apply to answers given before it. An admin batch job: it
    scans the table."""
    started, checked, changed = time.perf_counter(), 0, 0
    version = data().version
    for site in risk_store.all_sites():
        checked += 1
        if force or not site.risk or site.risk.get("version") != version:
            change_site(site.org_id, site.site_id, _saq_again(site))
            changed += 1
        if progress:
            progress(checked, changed)
    return Recomputed(checked, changed, time.perf_counter() - started)


def _saq_again(site: Site) -> Callable[[Site], None]:
    """The change that reads the site's newest submitted SAQ again (none: nothing to change)."""
    newest = producer_store.latest_saq_version(site.org_id, site.site_id) if site.saq_versions else None
    if newest is None:
        return lambda _: None
    return lambda after: read_saq(after, newest.answers)
