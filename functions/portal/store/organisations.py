"""Member organisations and their sites, written together with the public counters they change."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from pynamodb.exceptions import DoesNotExist, TransactWriteError
from pynamodb.expressions.update import Action
from pynamodb.transactions import TransactWrite

from portal.errors import not_found
from portal.store.errors import is_condition_failure
from portal.store.models import (
    CountrySites,
    Organisation,
    OrganisationNumberClaim,
    Site,
    SiteIdClaim,
    SlugClaim,
    Statistics,
    new,
    transaction,
    utcnow,
)


def organisation(org_id: str) -> Organisation:
    """One member organisation (one GetItem), or 404."""
    try:
        return Organisation.get(*Organisation.key(org_id))
    except DoesNotExist:
        raise not_found() from None


def organisations(org_ids: Iterable[str]) -> dict[str, Organisation]:
    """Several organisations by id: one BatchGetItem (none for no ids)."""
    keys = [Organisation.key(org_id) for org_id in set(org_ids)]
    return {o.org_id: o for o in Organisation.batch_get(keys)} if keys else {}


def _statistics() -> Statistics:
    return Statistics(*Statistics.key())


def create_organisation(
    org_id: str, name: str, *, org_type: str, country: str, organisation_number: str | None
) -> Organisation:
    """A new member organisation, counted: for approvals and the demo world alike."""
    org = new_organisation(
        org_id, name, org_type=org_type, country=country, organisation_number=organisation_number
    )
    register_organisation(org)
    return org


def new_organisation(
    org_id: str, name: str, *, org_type: str, country: str, organisation_number: str | None
) -> Organisation:
    return new(
        Organisation,
        Organisation.key(org_id),
        org_id=org_id,
        name=name,
        organisation_number=organisation_number,
        org_type=org_type,
        country=country,
        created_at=utcnow(),
    )


def register_organisation(
    org: Organisation, also: Callable[[TransactWrite], None] = lambda writes: None
) -> None:
    """Store a new member organisation and count it, in one transaction. Its organisation number
    is claimed in the same transaction (as a site's public id is): a number another member holds,
    or that another approval claims at the same moment, cancels the whole transaction.
    `also` adds the writes that go with it (the application's decision)."""
    stats = _statistics()
    if org.org_type in ("buyer", "producer", "both") and not org.slug:
        org.slug = free_slug(org.name)
    actions: list[Action] = [Statistics.members.add(1), Statistics.updated_at.set(utcnow())]
    if org.is_producer:
        actions.append(Statistics.producers.add(1))
    with transaction() as writes:
        writes.save(org, condition=Organisation.pk.does_not_exist())
        if org.organisation_number:
            writes.save(number_claim(org), condition=OrganisationNumberClaim.pk.does_not_exist())
        if org.slug:
            claim = SlugClaim(*SlugClaim.key(org.slug), slug=org.slug, org_id=org.org_id, created_at=utcnow())
            writes.save(claim, condition=SlugClaim.pk.does_not_exist())
        writes.update(stats, actions=actions)
        also(writes)


def number_claim(org: Organisation) -> OrganisationNumberClaim:
    assert org.organisation_number
    return OrganisationNumberClaim(
        *OrganisationNumberClaim.key(org.organisation_number),
        organisation_number=org.organisation_number,
        org_id=org.org_id,
        created_at=utcnow(),
    )


def organisation_by_number(organisation_number: str) -> Organisation | None:
    """The one member holding the number: the claim, then the organisation (two GetItems)."""
    try:
        claim = OrganisationNumberClaim.get(
            *OrganisationNumberClaim.key(organisation_number), consistent_read=True
        )
        return Organisation.get(*Organisation.key(claim.org_id))
    except DoesNotExist:
        return None


def members_by_number(numbers: Iterable[str]) -> dict[str, Organisation]:
    """The members holding any of the numbers (staff's application list): two BatchGetItems."""
    keys = [OrganisationNumberClaim.key(n) for n in sorted(set(numbers))]
    claims = list(OrganisationNumberClaim.batch_get(keys)) if keys else []
    orgs = (
        {o.org_id: o for o in Organisation.batch_get([Organisation.key(c.org_id) for c in claims])}
        if claims
        else {}
    )
    return {c.organisation_number: orgs[c.org_id] for c in claims if c.org_id in orgs}


def producer_of_site(site_id: str) -> str | None:
    """The organisation whose site has this public id: one GetItem on the claim."""
    try:
        return SiteIdClaim.get(*SiteIdClaim.key(site_id), consistent_read=True).org_id
    except DoesNotExist:
        return None


def register_site(site: Site, also: Callable[[TransactWrite], None] = lambda writes: None) -> None:
    """Store a new site and count it; the first site in a country also counts the country. Its
    public id is claimed in the same transaction: a clash with any organisation's site fails it.
    `also` adds the writes that go with a new site (its risk counts and customers' views).

    Whether the country is new is read first; the transaction is conditioned on what was read, so
    if another site got there in between, it is cancelled as a whole and done again.
    """
    stats = _statistics()
    claim = SiteIdClaim(*SiteIdClaim.key(site.site_id), org_id=site.org_id)
    for attempt in range(2):
        now = utcnow()
        try:
            CountrySites.get(*CountrySites.key(site.country), consistent_read=True)
            first_in_country = False
        except CountrySites.DoesNotExist:
            first_in_country = True
        try:
            with transaction() as writes:
                writes.save(site, condition=Site.pk.does_not_exist())
                writes.save(claim, condition=SiteIdClaim.pk.does_not_exist())  # public ids are global
                if first_in_country:
                    country = CountrySites(*CountrySites.key(site.country), country=site.country, sites=1)
                    writes.save(country, condition=CountrySites.pk.does_not_exist())
                    counted = [Statistics.sites.add(1), Statistics.countries.add(1)]
                else:
                    country = CountrySites(*CountrySites.key(site.country))
                    writes.update(
                        country, actions=[CountrySites.sites.add(1)], condition=CountrySites.pk.exists()
                    )
                    counted = [Statistics.sites.add(1)]
                writes.update(stats, actions=[*counted, Statistics.updated_at.set(now)])
                also(writes)
            return
        except TransactWriteError as error:
            if attempt or not is_condition_failure(error):
                raise


def free_slug(name: str) -> str:
    """The organisation's slug from its name, with -2, -3 … where another member holds it."""
    from portal.domain.transparency import slug_of

    base = slug_of(name)
    for n in range(1, 100):
        slug = base if n == 1 else f"{base}-{n}"
        if organisation_by_slug(slug) is None:
            return slug
    raise RuntimeError("no free slug")


def organisation_by_slug(slug: str) -> Organisation | None:
    """The member at /innsyn/<slug>/: the claim, then the organisation (two GetItems)."""
    try:
        claim = SlugClaim.get(*SlugClaim.key(slug))
        return Organisation.get(*Organisation.key(claim.org_id))
    except DoesNotExist:
        return None
