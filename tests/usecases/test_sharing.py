"""Sharing on the producer's terms, rule by rule, on a producer, a buyer and a site."""

from __future__ import annotations

import pytest

from portal.errors import PortalError
from portal.usecases import sharing, supply
from tests.usecases.saq_answers import complete_answers
from tests.usecases.world import SITE_FIELDS, Member, member


def site_with_saq(producer: Member, **fields):
    """A site of the producer with one submitted SAQ: a buyer's 404 for it is the link's doing."""
    site = supply.create_site(producer.actor, {**SITE_FIELDS, **fields})
    draft = supply.save_draft(producer.actor, site.site_id, complete_answers(), None)
    supply.submit_saq(producer.actor, site.site_id, draft.draft.version)
    return site


def not_found(call, *args):
    with pytest.raises(PortalError) as refused:
        call(*args)
    return refused.value.status == 404


def test_a_producers_data_is_invisible_to_a_buyer_without_a_link(producer: Member, buyer: Member):
    site = site_with_saq(producer)
    assert not_found(sharing.supplier, buyer.actor, producer.org_id)
    assert not_found(sharing.supplier_saq, buyer.actor, producer.org_id, site.site_id)
    assert not_found(sharing.supplier_audits, buyer.actor, producer.org_id)
    assert sharing.customers(producer.actor) == []


def test_a_grant_shows_exactly_its_level_and_every_read_is_logged(producer: Member, buyer: Member):
    site = site_with_saq(producer)
    sharing.add_customer(producer.actor, buyer.organisation_number, "profile", None)

    granted, organisation, sites = sharing.supplier(buyer.actor, producer.org_id)
    assert (granted.status, organisation.name, [s.site_id for s in sites]) == (
        "active",
        producer.name,
        [site.site_id],
    )
    assert not_found(sharing.supplier_saq, buyer.actor, producer.org_id, site.site_id)  # level: profile
    events, _ = sharing.access_log(producer.actor, None)
    assert [(e.buyer_name, e.action) for e in events] == [(buyer.name, "viewed_profile")]


def test_a_grant_for_some_sites_hides_the_others(producer: Member, buyer: Member):
    shown = site_with_saq(producer)
    hidden = site_with_saq(producer, name="Bursa dye house")
    sharing.add_customer(producer.actor, buyer.organisation_number, "saq", [shown.site_id])

    _, _, sites = sharing.supplier(buyer.actor, producer.org_id)
    assert [s.site_id for s in sites] == [shown.site_id]
    assert sharing.supplier_saq(buyer.actor, producer.org_id, shown.site_id).number == 1
    assert not_found(sharing.supplier_saq, buyer.actor, producer.org_id, hidden.site_id)


def test_revoking_a_link_hides_the_producer_from_the_next_read_on(producer: Member, buyer: Member):
    site = site_with_saq(producer)
    link = sharing.add_customer(producer.actor, buyer.organisation_number, "audits", None)
    assert sharing.supplier_saq(buyer.actor, producer.org_id, site.site_id).number == 1
    assert sharing.supplier(buyer.actor, producer.org_id)[1].org_id == producer.org_id

    sharing.decide(producer.actor, buyer.org_id, "revoked", None, None, link.version)
    assert not_found(sharing.supplier, buyer.actor, producer.org_id)
    assert not_found(sharing.supplier_saq, buyer.actor, producer.org_id, site.site_id)
    # The buyer's list still names the producer it had access to, as revoked.
    items, _, _ = sharing.suppliers(
        buyer.actor, sort="name", status=None, level=None, country=None, cursor=None
    )
    assert [(item.producer_name, item.status) for item in items] == [(producer.name, "revoked")]


def test_a_request_shows_the_buyer_only_what_it_typed_until_the_producer_accepts(
    producer: Member, buyer: Member
):
    sharing.request_access(buyer.actor, site_id=None, organisation_number=producer.organisation_number)
    items, _, _ = sharing.suppliers(
        buyer.actor, sort="name", status=None, level=None, country=None, cursor=None
    )
    assert [(sharing.is_request(i), getattr(i, "reference", None)) for i in items] == [
        (True, producer.organisation_number)
    ]
    [pending] = sharing.customers(producer.actor)
    assert (pending.buyer_name, pending.status) == (buyer.name, "pending")

    sharing.decide(producer.actor, buyer.org_id, "active", "profile", None, pending.version)
    items, _, _ = sharing.suppliers(
        buyer.actor, sort="name", status=None, level=None, country=None, cursor=None
    )
    assert [(sharing.is_request(i), getattr(i, "producer_name", None)) for i in items] == [
        (False, producer.name)
    ]


def test_another_buyer_learns_nothing_of_a_link_it_is_not_party_to(producer: Member, buyer: Member):
    other = member("buyer", "Fjellsport Norge AS")
    sharing.add_customer(producer.actor, buyer.organisation_number, "audits", None)
    assert not_found(sharing.supplier, other.actor, producer.org_id)
    items, _, _ = sharing.suppliers(
        other.actor, sort="name", status=None, level=None, country=None, cursor=None
    )
    assert items == []
