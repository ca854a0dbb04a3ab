"""Risk in the browser: a buyer's supply chain (summary, charts, the list with explanations, a
filter, CSV and XLSX downloads), a producer's own sites with why and what would lower the risk,
IEH staff's hotspots with nobody named, and a producer naming the goods a site makes."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from infra.seed import DEMO_USERS, DEMO_WORLD
from tests.e2e.test_member_journeys import log_in
from tests.support import decimal_points

pytestmark = pytest.mark.e2e
STAFF, BUYER, PRODUCER, FJELLSPORT, LUCIA = (
    DEMO_USERS[0],
    DEMO_USERS[1],
    DEMO_USERS[3],
    DEMO_USERS[4],
    DEMO_USERS[5],
)  # Ingrid (IEH), Kari, Ayşe, Per, Lucía
NORDLYS_SITES = {"ZS-4KQ7-TR1", "ZS-4KQ7-TR2", "ZS-8M2P-BD1"}  # Anatolia's two sites and Dhaka's one
LUCIA_SITE = "ZS-6H1L-PE1"
PILLAR_NAMES = (
    "Arbeidsstandarder",
    "Helse og sikkerhet",
    "Miljø",
    "Forretningsetikk",
)  # Frutas del Sur – Ica: agriculture in Peru


def api_get(page: Page, path: str) -> dict:
    answer = page.request.get(f"/api/v1{path}", headers={"accept-language": "nb"})
    assert answer.status == 200, answer.text()
    return answer.json()


def overview_sites(page: Page, query: str = "") -> tuple[dict, list[dict]]:
    """The buyer's overview as the API gives it, and every site in it, page after page."""
    first = api_get(page, f"/risk/overview?{query}")
    sites, cursor = list(first["sites"]), first["next_cursor"]
    while cursor:
        more = api_get(page, f"/risk/overview?{'&'.join(filter(None, [query, f'cursor={cursor}']))}")
        sites, cursor = sites + more["sites"], more["next_cursor"]
    return first, sites


def test_a_buyer_sees_its_supply_chain_filters_it_and_downloads_it(page, tmp_path):
    log_in(page, BUYER)
    page.goto("/members/risk/")
    overview, sites = overview_sites(page)
    ids = [s["site_id"] for s in sites]
    assert set(ids) >= NORDLYS_SITES
    assert len(ids) <= 25  # one page of the list

    # The summary: a box per band with its count, and the totals.
    summary = page.locator("#risk-summary")
    for band, count in overview["total"]["bands"].items():
        expect(summary.locator(f"[data-band='{band}'] dd")).to_have_text(str(count))
    expect(summary.locator(".ieh-risk-totals")).to_contain_text(
        f"{overview['total']['sites']} produksjonssteder"
    )
    expect(summary.locator(".ieh-risk-totals")).to_contain_text(f"{overview['suppliers']} leverandører")

    # Both charts are drawn, named for screen readers, with their figures in a table.
    pillars = page.locator("#risk-pillar-chart svg[role='img']")
    expect(pillars).to_be_visible()
    expect(pillars.locator("title")).to_contain_text("Arbeidsstandarder")
    expect(pillars.locator("g[data-pillar]")).to_have_count(4)
    expect(page.locator("#risk-pillar-chart table[data-chart-table] tbody tr")).to_have_count(4)
    countries = page.locator("#risk-country-chart svg[role='img']")
    expect(countries).to_be_visible()
    expect(countries.locator("g[data-country]")).to_have_count(len(overview["by_country"]))
    expected_order = [c["code"] for c in overview["by_country"]]
    assert [
        g.get_attribute("data-country") for g in countries.locator("g[data-country]").all()
    ] == expected_order
    expect(page.locator("#risk-country-chart table[data-chart-table] tbody tr")).to_have_count(
        len(expected_order)
    )

    # The list, highest risk first; a row opens to its explanation.
    rows = page.locator("#risk-table tbody tr[data-site-id]")
    expect(rows).to_have_count(len(ids))
    assert [r.get_attribute("data-site-id") for r in rows.all()] == ids
    scores = [float(r.locator("[data-score]").get_attribute("data-score")) for r in rows.all()]
    assert scores == sorted(scores, reverse=True)
    first = rows.first
    button = first.locator("[data-action=explain]")
    expect(button).to_have_attribute("aria-expanded", "false")
    button.click()
    expect(button).to_have_attribute("aria-expanded", "true")
    detail = page.locator(f"#risk-table tr[data-detail-for='{ids[0]}']")
    expect(detail).to_be_visible()
    expect(detail.locator(".ieh-risk-why[data-pillar]")).to_have_count(4)
    expect(detail.locator("li[data-code='country']").first).to_contain_text(sites[0]["country_name"])
    expect(detail).to_contain_text("Dette gir poengsummen")
    button.click()
    expect(detail).to_be_hidden()

    # A filter narrows the list, the summary and the downloads.
    _, turkish = overview_sites(page, "country=TR")
    turkish_ids = [s["site_id"] for s in turkish]
    assert set(turkish_ids) >= {"ZS-4KQ7-TR1", "ZS-4KQ7-TR2"}
    assert "ZS-8M2P-BD1" not in turkish_ids
    page.locator("#risk-country").select_option("TR")
    expect(rows).to_have_count(len(turkish_ids))
    expect(page.locator("#risk-overview-message")).to_contain_text(
        f"{len(turkish_ids)} produksjonssteder passer"
    )
    assert [r.get_attribute("data-site-id") for r in rows.all()] == turkish_ids
    expect(page.locator("#risk-country-chart g[data-country]")).to_have_count(1)

    with page.expect_download() as csv_download:
        page.locator("#risk-export-csv").click()
    saved = tmp_path / csv_download.value.suggested_filename
    csv_download.value.save_as(saved)
    assert re.fullmatch(r"risiko-\d{4}-\d{2}-\d{2}\.csv", saved.name)
    assert saved.read_bytes().startswith("\ufeff".encode())  # Excel reads the file as UTF-8
    # As Excel with a Norwegian locale opens it: semicolons between the fields, decimal commas.
    table = list(csv.reader(io.StringIO(saved.read_text("utf-8-sig")), delimiter=";"))
    assert table[0][:3] == ["Leverandør", "Produksjonssted", "Produksjonssted-ID"]
    assert sorted(r[2] for r in table[1:]) == sorted(turkish_ids)
    scores = {s["site_id"]: s["scores"]["labour"] for s in turkish}
    assert {r[2]: float(r[5].replace(",", ".")) for r in table[1:]} == scores
    assert all(re.fullmatch(r"\d+(,\d)?", r[5]) for r in table[1:])
    assert table[0][-4:] == [f"Forklaring: {name}" for name in PILLAR_NAMES]

    with page.expect_download() as xlsx_download:
        page.locator("#risk-export-xlsx").click()
    from openpyxl import load_workbook

    saved = tmp_path / xlsx_download.value.suggested_filename
    xlsx_download.value.save_as(saved)
    values = list(load_workbook(Path(saved)).active.values)
    assert list(values[0]) == table[0]
    assert sorted(v[2] for v in values[1:]) == sorted(turkish_ids)
    assert {v[2]: v[5] for v in values[1:]} == scores  # numbers, not text


def test_a_producer_sees_each_sites_risk_why_and_what_would_lower_it(page):
    log_in(page, PRODUCER)
    page.goto("/members/risk/")
    answer = api_get(page, "/producer/risk")
    cards = page.locator("#risk-sites > li[data-site-id]")
    expect(cards).to_have_count(len(answer["sites"]))
    assert [c.get_attribute("data-site-id") for c in cards.all()] == [s["site_id"] for s in answer["sites"]]
    expect(page.locator("#risk-overview")).to_be_hidden()  # a producer has no supply chain here

    improvements = 0
    for site in answer["sites"]:
        card = page.locator(f"#risk-sites > li[data-site-id='{site['site_id']}']")
        expect(card.locator(".ieh-risk-headline .ieh-band")).to_have_attribute("data-band", site["band"])
        expect(card.locator("[data-pillar-table] tbody tr")).to_have_count(4)
        expect(card.locator("[data-saq-missing]")).to_have_count(0 if site["saq_submitted"] else 1)
        expect(card.locator("a[data-site-link]")).to_have_attribute(
            "href", re.compile(rf"/members/site/\?id={site['site_id']}$")
        )
        for pillar in site["pillars"]:
            why = card.locator(f"details[data-pillar='{pillar['pillar']}']")
            why.locator("summary").click()
            expect(why.locator("[data-list=factors] li")).to_have_count(len(pillar["factors"]))
            expect(why.locator("[data-list=improvements] li")).to_have_count(len(pillar["improvements"]))
            improvements += len(pillar["improvements"])
        labour = card.locator("details[data-pillar='labour']")
        expect(labour.locator("li[data-code='country']")).to_contain_text("Tyrkia")
    assert improvements > 0
    lower = page.locator("[data-list=improvements] li").first
    expect(lower).to_contain_text("\u2212")  # points that lower the score, with their minus sign
    expect(page.locator("main")).to_contain_text("Dette ville senket risikoen")

    # Points with decimal commas; the cap on the SAQ's deductions is a limit, not a "+1,5" line.
    half = page.locator("[data-list=factors] li[data-code='control'] .ieh-risk-points").first
    expect(half).to_have_text("\u22120,5")
    capped = page.locator("li[data-code='controls_cap']").first
    expect(capped).to_contain_text("Fradraget for tiltak er begrenset til 3 poeng")
    expect(capped.locator(".ieh-risk-points")).to_have_text("")
    assert "+" not in capped.inner_text()
    assert not decimal_points(page.locator("#risk-sites").inner_text())


def test_a_customer_without_the_saq_is_told_what_the_saq_would_deduct(page):
    """Per's access to Anatolia's site is the profile only: no pillar says nothing would lower it."""
    log_in(page, FJELLSPORT)
    page.goto("/members/risk/")
    rows = page.locator("#risk-table tbody tr[data-site-id]")
    expect(rows).to_have_count(1)
    rows.first.locator("[data-action=explain]").click()
    detail = page.locator("#risk-table tr[data-detail-for]").first
    expect(detail).to_be_visible()
    expect(detail.locator(".ieh-risk-why[data-pillar]")).to_have_count(4)
    expect(detail.locator("[data-list=improvements] li[data-code='saq']")).to_have_count(4)
    expect(detail.locator("[data-list=improvements] li[data-code='saq']").first).to_contain_text(
        "Tiltak i egenvurderingen (SAQ): opptil 3 poeng i fradrag"
    )
    expect(detail).not_to_contain_text("Modellen har ingen flere tiltak")
    expect(detail.locator("li[data-code='control']")).to_have_count(0)


def test_staff_see_the_platforms_counts_before_any_group_is_big_enough_to_show_alone(page):
    """The demo world has no country with three sites: no country is offered as a filter, yet the
    platform's figures (its bands, its pillars, its countries counted together) are shown."""
    log_in(page, STAFF)
    page.goto("/members/risk/")
    overview = api_get(page, "/admin/risk/overview")
    assert overview["total"]["sites"] >= overview["min_sites"]

    summary = page.locator("#risk-summary")
    for band, count in overview["total"]["bands"].items():
        expect(summary.locator(f"[data-band='{band}'] dd")).to_have_text(str(count))
    expect(summary.locator(".ieh-risk-totals")).to_contain_text(
        f"{overview['total']['sites']} produksjonssteder"
    )
    pillars = page.locator("#risk-pillar-chart svg[role='img']")
    expect(pillars).to_be_visible()
    expect(pillars.locator("g[data-pillar]")).to_have_count(
        len([p for p in overview["by_pillar"] if not p["suppressed"]])
    )
    expect(page.locator("#risk-country-chart")).to_be_visible()
    expect(page.locator("#risk-empty")).to_be_hidden()
    expect(page.locator("main")).not_to_contain_text("Ingen produksjonssteder har fått en risiko ennå")


def test_staff_see_the_hotspots_and_nobody_is_named(page, browser, stack):
    # Two more farms in Peru make a country and sector with enough sites to be shown on its own.
    context = browser.new_context(base_url=stack.url, locale="nb-NO")
    try:
        producer = context.new_page()
        log_in(producer, LUCIA)
        token = producer.request.get("/api/v1/me").json()["csrf_token"]
        for n in (2, 3):
            created = producer.request.post(
                "/api/v1/producer/sites",
                headers={"x-csrf-token": token},
                data={
                    "name": f"Frutas del Sur – Finca {n}",
                    "address": {"street": f"Carretera {n}", "city": "Ica"},
                    "country": "PE",
                    "sector": "agriculture",
                    "workforce": {"total": 80, "women": 30, "migrant": 10, "temporary": 40, "agency": 0},
                    "goods": ["grapes"],
                },
            )
            assert created.status == 201, created.text()
    finally:
        context.close()

    log_in(page, STAFF)
    page.goto("/members/risk/")
    overview = api_get(page, "/admin/risk/overview")
    assert any(h["country"] == "PE" and h["sector"] == "agriculture" for h in overview["hotspots"])

    summary = page.locator("#risk-summary")
    for band, count in overview["total"]["bands"].items():
        expect(summary.locator(f"[data-band='{band}'] dd")).to_have_text(str(count))
    expect(page.locator("#risk-pillar-chart svg[role='img']")).to_be_visible()
    expect(page.locator("#risk-country-chart svg[role='img']")).to_be_visible()
    hotspots = page.locator("#risk-hotspots-table tbody tr")
    expect(hotspots).to_have_count(len(overview["hotspots"]))
    peru = page.locator("#risk-hotspots-table tbody tr[data-country='PE'][data-sector='agriculture']")
    expect(peru).to_contain_text("Peru")
    expect(page.locator("#risk-hotspots-note")).to_contain_text(
        f"minst {overview['min_sites']} produksjonssteder"
    )
    expect(page.locator("#risk-hotspots-note")).to_contain_text("Ingen produsent eller innkjøper er navngitt")
    expect(page.locator("#risk-list")).to_be_hidden()  # no list of sites for staff
    expect(page.locator("#risk-export-csv")).to_have_attribute(
        "href", re.compile(r"/api/v1/admin/risk/export\?")
    )

    text = page.locator("main").inner_text()
    for org in DEMO_WORLD:
        assert org.name not in text
        for site_id, site_name, _ in org.sites:
            assert site_id not in text
            assert site_name not in text
    assert "Frutas del Sur" not in text

    # Filtered to fewer sites than the minimum (Peru's farms make no textiles), no figure is shown.
    assert any(o["code"] == "textiles_apparel" for o in overview["options"]["sectors"])
    page.locator("#risk-country").select_option("PE")
    page.locator("#risk-sector").select_option("textiles_apparel")
    fewer = f"Tallene for dette utvalget vises ikke: alene eller sammenholdt med andre tall kunne de gjelde færre enn {overview['min_sites']} produksjonssteder"
    expect(page.locator("#risk-summary")).to_contain_text(fewer)
    expect(page.locator("#risk-summary [data-band]")).to_have_count(0)
    expect(page.locator("#risk-pillar-chart")).to_contain_text(fewer)
    expect(page.locator("#risk-pillar-chart svg")).to_have_count(0)
    expect(page.locator("#risk-overview-message")).to_contain_text(fewer)
    expect(page.locator("#risk-hotspots-empty")).to_contain_text(fewer)
    expect(page.locator("main")).not_to_contain_text("Ingen produksjonssteder passer til filteret")


def test_a_producer_names_the_goods_a_site_makes(page):
    log_in(page, LUCIA)
    page.goto(f"/members/site/?id={LUCIA_SITE}")
    form = page.locator("#site-form")
    search = page.locator("#site-goods-filter")
    for name in ("Kaffe", "Kakao"):
        search.fill(name)
        expect(page.locator("#site-goods-count")).to_contain_text("Viser 1 av")
        form.get_by_label(name, exact=True).check()
    search.fill("")
    expect(page.locator("#site-goods-chosen")).to_contain_text("Kaffe")
    page.locator("#site-submit").click()
    expect(page.locator("#site-save-message")).to_contain_text("lagret")

    page.reload()  # kept on the server, shown when the page opens
    for name in ("Kaffe", "Kakao"):
        expect(form.get_by_label(name, exact=True)).to_be_checked()
    expect(page.locator("#site-goods-chosen")).to_contain_text("Kakao")
    stored = api_get(page, f"/producer/sites/{LUCIA_SITE}")
    assert {"coffee", "cocoa"} <= set(stored["goods"])

    # The site's headline risk links to its explanation on the risk page.
    risk = page.locator("#site-risk")
    shown = risk.locator("[data-score]")
    expect(shown).to_be_visible()
    assert float(shown.get_attribute("data-score") or "nan") == stored["risk"]["score"]
    risk.locator("a[data-risk-link]").click()
    expect(page).to_have_url(re.compile(r"/members/risk/#site-"))
    expect(page.locator(f"#risk-sites > li[data-site-id='{LUCIA_SITE}'] h3")).to_be_focused()


def test_a_red_flag_in_a_suppliers_saq_raises_its_pillar_and_the_model_page_says_why(page):
    """Dhaka Knitwear's SAQ reports a 72-hour week and overtime that is not voluntary: Nordlys,
    whose link includes the SAQ, sees the labour score raised and why; the model page lists the rule."""
    log_in(page, BUYER)
    page.goto("/members/risk/")
    _, sites = overview_sites(page)
    dhaka = next(s for s in sites if s["site_id"] == "ZS-8M2P-BD1")
    assert dhaka["saq_applied"]
    labour = next(p for p in dhaka["explanation"]["pillars"] if p["pillar"] == "labour")
    flags = [f for f in labour["factors"] if f["code"] == "red_flag"]
    assert len(flags) == 2

    row = page.locator("#risk-table tbody tr[data-site-id='ZS-8M2P-BD1']")
    row.locator("[data-action=explain]").click()
    why = page.locator("#risk-table tr[data-detail-for='ZS-8M2P-BD1'] .ieh-risk-why[data-pillar='labour']")
    raised = why.locator("[data-list=factors] li[data-code='red_flag']")
    expect(raised).to_have_count(2)
    hours = raised.filter(has_text="mer enn 60 timer")
    expect(hours).to_contain_text("Rødt flagg i egenvurderingen")
    expect(hours).to_contain_text("punkt 6.4")
    expect(hours.locator(".ieh-risk-points")).to_have_text("+1,0")
    expect(why.locator("[data-list=improvements] li[data-code='red_flag']").first).to_contain_text(
        "Rett opp: "
    )

    page.goto("/risk-model/")
    table = page.locator("table", has=page.locator("th", has_text="Rødt flagg"))
    expect(table).to_be_visible()
    expect(table.locator("tr", has_text="Noen har arbeidet mer enn 60 timer på en uke")).to_contain_text(
        "mer enn 60 timer"
    )
    expect(page.locator("main")).not_to_contain_text("sectors.json")
