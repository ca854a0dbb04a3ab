"""Risk: a site's scores follow its SAQ answers; a buyer's overview follows its links."""

from __future__ import annotations

from typing import Any

from portal.domain import risk as model
from portal.domain import saq
from portal.usecases import risk, sharing, supply
from portal.usecases.risk import Filters
from tests.usecases.saq_answers import complete_answers
from tests.usecases.world import SITE_FIELDS, Member


def control_answers(*, in_place: bool) -> dict[str, Any]:
    """Every management control of the risk model answered as in place, or as missing."""
    questions = {q.id: q for section in saq.questionnaire().sections for q in section.questions}
    chosen: dict[str, Any] = {}
    for control in model.model()["controls"]["items"]:
        for question_id, good in control["any_of"][0].items():
            question = questions[question_id]
            if in_place:
                chosen[question_id] = good[0]
            elif question.type == "yes_no":
                chosen[question_id] = not good[0]
            else:
                chosen[question_id] = next(o.value for o in question.options if o.value not in good)
    return chosen


def submitted(producer: Member, answers: dict[str, Any]) -> dict[str, Any]:
    site = supply.create_site(producer.actor, SITE_FIELDS)
    draft = supply.save_draft(producer.actor, site.site_id, complete_answers(**answers), None)
    supply.submit_saq(producer.actor, site.site_id, draft.draft.version)
    return supply.site(producer.actor, site.site_id).risk


def test_a_sites_risk_changes_with_its_saq_answers(producer: Member):
    before = supply.create_site(producer.actor, {**SITE_FIELDS, "name": "No SAQ yet"}).risk
    good = submitted(producer, control_answers(in_place=True))
    bad = submitted(producer, control_answers(in_place=False))
    assert before["saq"] is False
    assert good["saq"] is bad["saq"] is True
    for pillar in model.PILLARS:
        assert good["scores"][pillar] < bad["scores"][pillar], pillar
    assert good["scores"]["overall"] < before["scores"]["overall"]


def overview_sites(buyer: Member) -> list[str]:
    return [row["site_id"] for row in risk.buyer_overview(buyer.actor, Filters(), None, "en")["sites"]]


def test_a_buyers_risk_overview_shows_the_sites_its_links_allow_and_no_others(
    producer: Member, buyer: Member
):
    site = supply.create_site(producer.actor, SITE_FIELDS)
    assert overview_sites(buyer) == []

    link = sharing.add_customer(producer.actor, buyer.organisation_number, "profile", None)
    assert overview_sites(buyer) == [site.site_id]

    sharing.decide(producer.actor, buyer.org_id, "revoked", None, None, link.version)
    assert overview_sites(buyer) == []


def test_a_producer_sees_its_own_sites_risk_highest_first(producer: Member):
    supply.create_site(producer.actor, SITE_FIELDS)
    supply.create_site(
        producer.actor, {**SITE_FIELDS, "name": "Oslo office", "country": "NO", "sector": "other"}
    )
    rows = risk.producer_risk(producer.actor, "en")
    assert [row["score"] for row in rows] == sorted((row["score"] for row in rows), reverse=True)
    assert {row["country"] for row in rows} == {"TR", "NO"}
