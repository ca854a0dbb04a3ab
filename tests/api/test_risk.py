"""Risk from the outside: a producer's own sites, a buyer's supply chain exactly as its links allow,
IEH staff's picture with nobody named, the exports, and scores that follow their inputs."""

from __future__ import annotations

import csv
import dataclasses
import io
import json

import pytest

from infra.seed import DEMO_USERS, DEMO_WORLD
from portal.domain import reference
from portal.domain.risk import PILLARS, assess
from portal.policy import link_allows
from portal.store.models import Link, RiskCell, RiskView, Site
from portal.usecases import risk, risk_scores
from tests.support import Api, decimal_points, dynamodb_calls, logged_in
from tests.usecases.saq_answers import complete_answers

STAFF, NORDLYS, NORDLYS_MEMBER, ANATOLIA, FJELLSPORT, LUCIA = DEMO_USERS[:6]


def all_sites() -> list[Site]:
    return [s for s in Site.scan() if isinstance(s, Site)]


def everything(person: Api, query: str = "") -> tuple[dict, list[dict]]:
    """The overview and every site in it, page after page."""
    first = person.get("/risk/overview", query=query)
    assert first.status == 200, first.body
    answer = first.json()
    rows = list(answer["sites"])
    cursor = answer["next_cursor"]
    while cursor:
        page = person.get("/risk/overview", query="&".join(filter(None, [query, f"cursor={cursor}"]))).json()
        rows += page["sites"]
        cursor = page["next_cursor"]
    return answer, rows


def expected_sites(buyer_id: str) -> dict[str, bool]:
    """What the buyer's links allow, computed from the links themselves: site → with the SAQ."""
    allowed = {}
    for site in all_sites():
        try:
            link = Link.get(*Link.key(site.org_id, buyer_id))
        except Link.DoesNotExist:
            continue
        if link_allows(link, "profile", site.site_id) and site.risk:
            allowed[site.site_id] = link.level in ("saq", "audits") and site.risk["saq"]
    return allowed


def test_a_producer_sees_each_sites_risk_why_and_what_would_lower_it(world):
    ayse = logged_in(world, ANATOLIA)
    answer = ayse.get("/producer/risk").json()

    sites = {s["site_id"]: s for s in answer["sites"]}
    assert set(sites) == {s.site_id for s in all_sites() if s.org_id == "org-anatolia"}
    for site in sites.values():
        assert [p["pillar"] for p in site["pillars"]] == list(PILLARS)
        assert site["score"] == max(p["score"] for p in site["pillars"])
        for pillar in site["pillars"]:
            total = sum(f["points"] for f in pillar["factors"])
            assert pillar["score"] == round(min(10, max(0, total)), 1)  # the explanation adds up
            assert all(f["label"] and "{" not in f["label"] for f in pillar["factors"])
        labour = next(p for p in site["pillars"] if p["pillar"] == "labour")
        assert {f["code"] for f in labour["factors"]} >= {"country", "sector"}
        assert next(f for f in labour["factors"] if f["code"] == "country")["source"] == "ituc_gri"
    assert {s["id"] for s in answer["sources"]} >= {
        "ituc_gri",
        "ti_cpi",
        "environment",
        "health_safety",
        "usdol_goods",
    }
    # and the standards the red flags cite, so a reader can check what an answer breaches
    cited = {s["id"]: s for s in answer["sources"] if s["licence"] is None}
    assert set(cited) == {"eti_base_code", "ilo_forced_labour_indicators", "ilo_c182", "oecd_mne_2023"}
    assert cited["eti_base_code"]["title"] == "ETIs basiskode (ETI Base Code)"
    # In English too, with the country's and the source's names.
    english = ayse.get("/producer/risk", language="en").json()
    labels = [f["label"] for s in english["sites"] for p in s["pillars"] for f in p["factors"]]
    assert any("Türkiye" in label and "ITUC Global Rights Index" in label for label in labels)


LIMITS = {"cap", "workforce_cap", "controls_cap"}


def test_an_explanation_writes_numbers_in_the_readers_language_and_limits_without_points(world):
    ayse = logged_in(world, ANATOLIA)
    for language in ("nb", "en"):
        sites = ayse.get("/producer/risk", language=language).json()["sites"]
        lines = [f for s in sites for p in s["pillars"] for f in p["factors"] + p["improvements"]]
        for line in lines:
            assert line["limit"] is (line["code"] in LIMITS), line
            if language == "nb":
                assert not decimal_points(line["label"]), line["label"]
        # Anatolia's SAQ shows more labour controls than the deductions' cap allows.
        capped = next(f for f in lines if f["code"] == "controls_cap")
        assert capped["points"] > 0  # the sum still adds up
        cap = risk.data().model["controls"]["max"]
        written = f"{cap:.0f}" if float(cap).is_integer() else str(cap)
        assert written in capped["label"]
        assert "+" not in capped["label"]
    nb = ayse.get("/producer/risk").json()["sites"]
    assert any(
        "," in f["label"] and "gir" in f["label"]
        for s in nb for p in s["pillars"] for f in p["factors"] if f["code"] == "country"
    )  # fmt: skip
    # The export writes a limit without a signed figure too.
    kari = logged_in(world, NORDLYS)
    exported = kari.get("/risk/export", query="format=csv").body.decode("utf-8-sig")
    capped_nb = next(
        f["label"] for s in nb for p in s["pillars"] for f in p["factors"] if f["code"] == "controls_cap"
    )
    assert capped_nb in exported
    assert f"{capped_nb} (" not in exported


def test_without_the_saq_what_its_controls_could_deduct_is_offered_as_a_way_down(world):
    """A customer who sees a score without the SAQ (profile-only access, or no SAQ submitted) is
    never told that nothing would lower a pillar: the SAQ's controls would."""
    per = logged_in(world, FJELLSPORT)
    _, rows = everything(per)
    assert rows
    assert not any(r["saq_applied"] for r in rows)
    for row in rows:
        for pillar in row["explanation"]["pillars"]:
            saq = [f for f in pillar["improvements"] if f["code"] == "saq"]
            assert len(saq) == 1, pillar
            assert saq[0]["points"] < 0
            assert "egenvurderingen" in saq[0]["label"]
            assert not [f for f in pillar["improvements"] if f["code"] == "control"]  # nothing of the SAQ
    # The same line whether or not the producer has submitted its SAQ: nothing about it leaks.
    answer = json.dumps([p["improvements"] for r in rows for p in r["explanation"]["pillars"]])
    for code in risk.data().model["controls"]["items"]:
        assert code["label"]["nb"] not in answer


def submit(person: Api, site_id: str, answers: dict) -> None:
    draft = person.get(f"/producer/sites/{site_id}/saq").json()["draft"]
    body = {"answers": answers, "version": draft["version"] if draft else None}
    saved = person.call("PUT", f"/producer/sites/{site_id}/saq/draft", body)
    assert saved.status == 200, saved.body
    done = person.post(f"/producer/sites/{site_id}/saq/submit", {"version": saved.json()["draft"]["version"]})
    assert done.status in (200, 201), done.body


def good_answers(**chosen: object) -> dict:
    """A complete SAQ that shows every control of the model in place and raises no red flag, with
    `chosen` answers."""
    controls = risk.data().model["controls"]["items"]
    good = {q: ok[0] for c in controls for q, ok in c["any_of"][0].items()}
    answers = complete_answers(**{**good, "labour.wages.payslips": True, **chosen})
    assert risk_scores.red_flags_from_answers({**answers, **dict.fromkeys(chosen)}) == set()
    return answers


def pillars_of(person: Api, site_id: str, language: str = "nb") -> dict[str, dict]:
    sites = person.get("/producer/risk", language=language).json()["sites"]
    return {p["pillar"]: p for p in next(s for s in sites if s["site_id"] == site_id)["pillars"]}


def test_red_flag_answers_raise_their_pillar_and_say_why(world):
    """A corruption investigation and 65-hour weeks no longer score as a clean SAQ does."""
    ayse, kari = logged_in(world, ANATOLIA), logged_in(world, NORDLYS)
    site_id = "ZS-4KQ7-TR2"  # its SAQ is a draft; Nordlys's link includes the SAQ
    submit(ayse, site_id, good_answers(**{"labour.hours.longest_week": 60}))
    clean = pillars_of(ayse, site_id)
    submit(
        ayse,
        site_id,
        good_answers(**{"labour.hours.longest_week": 65, "business_ethics.legal_proceedings": True}),
    )
    flagged = pillars_of(ayse, site_id)

    flags = {f["id"]: f for f in risk.data().model["red_flags"]["items"]}
    for pillar, flag in (("business_ethics", "corruption_proceedings"), ("labour", "weeks_over_60_hours")):
        points = flags[flag]["points"]
        assert (
            flagged[pillar]["score"]
            == min(10.0, round(clean[pillar]["score"] + points, 1))
            > clean[pillar]["score"]
        )
        line = next(f for f in flagged[pillar]["factors"] if f["code"] == "red_flag")
        assert line["points"] == points
        assert flags[flag]["label"]["nb"] in line["label"]
        assert "punkt 6.4" in line["label"] if flag == "weeks_over_60_hours" else "OECD" in line["label"]
        fix = next(f for f in flagged[pillar]["improvements"] if f["code"] == "red_flag")
        assert fix["points"] == -points
        assert fix["label"].startswith("Rett opp: ")
    assert flagged["environment"]["score"] == clean["environment"]["score"]
    english = pillars_of(ayse, site_id, "en")["labour"]
    assert any("ETI Base Code, clause 6.4" in f["label"] for f in english["factors"])

    # The customer whose link includes the SAQ sees the raised score and why; the stored score
    # without the SAQ (what a profile-only link shows) has no red flag in it.
    _, rows = everything(kari)
    seen = next(r for r in rows if r["site_id"] == site_id)
    assert seen["saq_applied"]
    assert seen["scores"]["business_ethics"] == flagged["business_ethics"]["score"]
    stored = Site.get(*Site.key("org-anatolia", site_id))
    assert stored.saq_flags == ["corruption_proceedings", "weeks_over_60_hours"]
    unsent = dataclasses.replace(risk_scores.inputs(stored), controls=None, flags=frozenset())
    assert stored.risk["inherent"] == {**assess(unsent).scores, "overall": assess(unsent).overall}
    hidden = risk.explanation(stored.risk, stored.country, "nb", saq=False)
    assert not [f for p in hidden["pillars"] for f in p["factors"] if f["code"] == "red_flag"]
    assert not [f for p in hidden["pillars"] for f in p["improvements"] if f["code"] == "red_flag"]


def test_a_new_model_reads_the_answers_already_submitted_again(world, monkeypatch):
    """Red flags added in a new model version apply to SAQs submitted before it."""
    ayse = logged_in(world, ANATOLIA)
    site_id = "ZS-4KQ7-TR2"
    submit(ayse, site_id, good_answers(**{"business_ethics.legal_proceedings": True}))
    assert Site.get(*Site.key("org-anatolia", site_id)).saq_flags == ["corruption_proceedings"]

    current = risk.data()
    from portal.domain import risk as model

    flag = {
        "id": "no_social_audit",
        "pillar": "labour",
        "question": "management_systems.social_audit",
        "when": {"equals": False},
        "points": 1.0,
        "label": {"nb": "Ingen uavhengig revisjon", "en": "No independent audit"},
        "refs": [{"source": "eti_base_code", "where": {"nb": "punkt 1", "en": "clause 1"}}],
    }
    flags = {**current.model["red_flags"], "items": [*current.model["red_flags"]["items"], flag]}
    stricter = {**current.model, "version": "test-flags", "red_flags": flags}
    new = model.make_data(stricter, current.sources)
    monkeypatch.setattr(risk_scores, "data", lambda: new)
    monkeypatch.setattr(model, "data", lambda: new)
    monkeypatch.setattr(model, "model", lambda: stricter)
    risk_scores.recompute()
    site = Site.get(*Site.key("org-anatolia", site_id))
    assert site.saq_flags == ["corruption_proceedings", "no_social_audit"]
    assert site.risk["version"] == new.version
    raised = {(f[0], f[3]) for f in site.risk["factors"] if f[1] == "red_flag"}
    assert raised == {("business_ethics", "corruption_proceedings"), ("labour", "no_social_audit")}


def test_a_saved_site_is_scored_again_and_its_customers_see_the_new_score(world):
    ayse, kari = logged_in(world, ANATOLIA), logged_in(world, NORDLYS)
    site = ayse.get("/producer/sites/ZS-4KQ7-TR1").json()
    before = next(s for s in ayse.get("/producer/risk").json()["sites"] if s["site_id"] == "ZS-4KQ7-TR1")
    labour_before = next(p for p in before["pillars"] if p["pillar"] == "labour")["score"]

    total = site["workforce"]["total"]
    changed = {k: site[k] for k in ("name", "address", "country", "sector", "certifications")}
    changed |= {"workforce": {**site["workforce"], "agency": total, "temporary": 0, "migrant": total},
                "goods": [], "version": site["version"]}  # fmt: skip
    assert ayse.call("PUT", "/producer/sites/ZS-4KQ7-TR1", changed).status == 200

    after = next(s for s in ayse.get("/producer/risk").json()["sites"] if s["site_id"] == "ZS-4KQ7-TR1")
    labour = next(p for p in after["pillars"] if p["pillar"] == "labour")
    assert {"agency", "migrant"} <= {f["code"] for f in labour["factors"]}
    assert labour["score"] >= labour_before
    _, rows = everything(kari)
    seen = next(r for r in rows if r["site_id"] == "ZS-4KQ7-TR1")
    assert seen["scores"]["labour"] == labour["score"]  # Nordlys's link includes the SAQ


def test_a_buyers_overview_contains_nothing_outside_its_links(world):
    for who, buyer_id in ((NORDLYS, "org-nordlys"), (FJELLSPORT, "org-fjellsport")):
        person = logged_in(world, who)
        overview, rows = everything(person)
        allowed = expected_sites(buyer_id)
        assert {r["site_id"]: r["saq_applied"] for r in rows} == allowed, who.email
        assert overview["total"]["sites"] == len(allowed)
        for row in rows:
            site = Site.get(*Site.key(row["producer_id"], row["site_id"]))
            shown = site.risk["scores" if row["saq_applied"] else "inherent"]
            assert row["scores"] == {p: shown[p] for p in PILLARS}
            codes = {f["code"] for p in row["explanation"]["pillars"] for f in p["factors"]}
            assert row["saq_applied"] or "control" not in codes  # no SAQ answer leaks past the level
    # Fjellsport's link is Anatolia's first site at profile level: one site, no SAQ in its score.
    fjellsport = logged_in(world, FJELLSPORT)
    _, rows = everything(fjellsport)
    assert [(r["site_id"], r["saq_applied"]) for r in rows] == [("ZS-4KQ7-TR1", False)]
    text = json.dumps(fjellsport.get("/risk/overview").json())
    assert "Nordlys" not in text
    assert "ZS-4KQ7-TR2" not in text


def test_revoking_or_narrowing_a_link_takes_its_sites_out_of_the_overview_at_once(world):
    ayse, kari = logged_in(world, ANATOLIA), logged_in(world, NORDLYS)
    link = next(c for c in ayse.get("/producer/customers").json()["items"] if c["buyer_id"] == "org-nordlys")
    narrowed = ayse.call("PUT", "/producer/customers/org-nordlys",
                         {"status": "active", "level": "profile", "sites": ["ZS-4KQ7-TR2"], "version": link["version"]})  # fmt: skip
    assert narrowed.status == 200, narrowed.body
    _, rows = everything(kari)
    anatolia = [(r["site_id"], r["saq_applied"]) for r in rows if r["producer_id"] == "org-anatolia"]
    assert anatolia == [("ZS-4KQ7-TR2", False)]

    revoked = ayse.call(
        "PUT", "/producer/customers/org-nordlys", {"status": "revoked", "version": narrowed.json()["version"]}
    )
    assert revoked.status == 200, revoked.body
    _, rows = everything(kari)
    assert not [r for r in rows if r["producer_id"] == "org-anatolia"]
    assert not [
        v
        for v in RiskView.query("ORG#org-nordlys")
        if isinstance(v, RiskView) and v.producer_id == "org-anatolia"
    ]


def test_the_overview_page_costs_three_dynamodb_calls_however_many_suppliers(world):
    from infra.bench.risk import supply_chain

    kari = logged_in(world, NORDLYS)
    kari.get("/risk/overview")  # the session's sliding expiry is written at most once a minute
    with dynamodb_calls() as few:
        small = kari.get("/risk/overview").json()
    added = supply_chain("org-nordlys", 12)  # 12 more suppliers, 24 more sites, at every level
    with dynamodb_calls() as many:
        large = kari.get("/risk/overview").json()

    assert few == many == ["GetItem", "Query", "BatchGetItem"]  # session, the buyer's views, the page's sites
    assert large["total"]["sites"] == small["total"]["sites"] + added
    assert large["suppliers"] == small["suppliers"] + 12
    assert len(large["sites"]) == 25
    assert all("explanation" in s for s in large["sites"])
    _, rows = everything(kari)
    assert len(rows) == len({r["site_id"] for r in rows}) == large["total"]["sites"]
    assert [r["score"] for r in rows] == sorted((r["score"] for r in rows), reverse=True)


def test_filters_narrow_the_overview_and_sort_by_the_chosen_pillar(world):
    kari = logged_in(world, NORDLYS)
    overview, rows = everything(kari)
    countries = {r["country"] for r in rows}
    assert len(countries) >= 2
    assert {o["code"] for o in overview["options"]["countries"]} == countries
    for country in countries:
        narrowed, only = everything(kari, f"country={country}")
        assert {r["country"] for r in only} == {country}
        assert narrowed["total"]["sites"] == len(only)
        assert {o["code"] for o in narrowed["options"]["countries"]} == countries  # options stay whole
    _, by_environment = everything(kari, "pillar=environment")
    scores = [r["score"] for r in by_environment]
    assert scores == sorted(scores, reverse=True)
    assert all(r["score"] == r["scores"]["environment"] for r in by_environment)
    bad = kari.get("/risk/overview", query="country=XQ")
    assert bad.status == 422
    assert set(bad.json()["error"]["fields"]) == {"country"}
    assert kari.get("/risk/overview", query="pillar=nope").status == 422


def test_the_export_has_every_site_in_csv_and_xlsx(world):
    kari = logged_in(world, NORDLYS)
    _, rows = everything(kari)
    pillars = {p: reference.name_of("pillars", p, "nb") for p in PILLARS}

    # Norwegian: what Excel with a Norwegian locale opens as columns and numbers: a byte-order mark,
    # semicolons between fields, decimal commas.
    as_csv = kari.get("/risk/export", query="format=csv")
    assert as_csv.status == 200
    assert as_csv.header("content-disposition").startswith('attachment; filename="risiko-')
    assert as_csv.body.startswith("\ufeff".encode())
    table = list(csv.reader(io.StringIO(as_csv.body.decode("utf-8-sig")), delimiter=";"))
    header = table[0]
    assert header[:3] == ["Leverandør", "Produksjonssted", "Produksjonssted-ID"]
    assert sorted(r[2] for r in table[1:]) == sorted(r["site_id"] for r in rows)
    by_id = {r["site_id"]: r for r in rows}
    labour = header.index("Arbeidsstandarder")
    for line in table[1:]:
        assert len(line) == len(header)
        score = line[labour]
        assert "." not in score
        assert float(score.replace(",", ".")) == by_id[line[2]]["scores"]["labour"]
    # Why each pillar scores as it does, one column per pillar, each with its own factors.
    explained = [header.index(f"Forklaring: {name}") for name in pillars.values()]
    for line in table[1:]:
        site = by_id[line[2]]
        for column, pillar in zip(explained, site["explanation"]["pillars"], strict=True):
            assert line[column] == "; ".join(risk.factor_text(f, "nb") for f in pillar["factors"]), pillar[
                "pillar"
            ]
            assert "Bransje: " in line[column]
            assert not decimal_points(line[column])  # decimal commas here too

    # English: commas between fields, decimal points.
    english = kari.get("/risk/export", query="format=csv&lang=en").body.decode("utf-8-sig")
    table = list(csv.reader(io.StringIO(english)))
    assert table[0][:3] == ["Supplier", "Site", "Site ID"]
    assert [
        table[0][table[0].index(f"Explanation: {reference.name_of('pillars', p, 'en')}")] for p in PILLARS
    ]
    for line in table[1:]:
        assert float(line[5]) == by_id[line[2]]["scores"]["labour"]

    from openpyxl import load_workbook

    as_xlsx = kari.get("/risk/export", query="format=xlsx&lang=en")  # the page's language, not the browser's
    assert as_xlsx.status == 200
    sheet = load_workbook(io.BytesIO(as_xlsx.body)).active
    values = list(sheet.values)
    assert values[0][:3] == ("Supplier", "Site", "Site ID")
    assert list(values[0]) == table[0]
    assert sorted(v[2] for v in values[1:]) == sorted(r["site_id"] for r in rows)
    assert all(isinstance(v[c], float | int) for v in values[1:] for c in range(5, 10))  # numbers, not text
    assert all(sheet.cell(row=2, column=c).number_format == "0.0" for c in range(6, 11))
    assert all(all(v[-4:]) for v in values[1:])  # every pillar explained


def test_staffs_export_writes_numbers_as_each_language_does(world):
    lucia = logged_in(world, LUCIA)
    for n in (2, 3):  # two more farms in Peru make a country and sector big enough to show alone
        created = lucia.call("POST", "/producer/sites", {
            "name": f"Frutas del Sur – Finca {n}", "address": {"street": f"Carretera {n}", "city": "Ica"},
            "country": "PE", "sector": "agriculture", "goods": ["grapes"],
            "workforce": {"total": 80, "women": 30, "migrant": 10, "temporary": 40, "agency": 0},
        })  # fmt: skip
        assert created.status == 201, created.body
    admin = logged_in(world, STAFF)
    hotspots = admin.get("/admin/risk/overview").json()["hotspots"]
    assert hotspots

    norwegian = admin.get("/admin/risk/export", query="format=csv")
    assert norwegian.body.startswith("\ufeff".encode())
    table = list(csv.reader(io.StringIO(norwegian.body.decode("utf-8-sig")), delimiter=";"))
    assert table[0] == ["Land", "Bransje", "Produksjonssteder", "Gjennomsnitt", "Lav", "Middels", "Høy"]
    averages = {(h["country_name"], h["sector_name"]): h["average"] for h in hotspots}
    assert {(r[0], r[1]): float(r[3].replace(",", ".")) for r in table[1:]} == averages
    assert all("." not in r[3] for r in table[1:])
    assert any("," in r[3] for r in table[1:])

    english = admin.get("/admin/risk/export", query="format=csv&lang=en").body.decode("utf-8-sig")
    table = list(csv.reader(io.StringIO(english)))
    assert table[0][:4] == ["Country", "Sector", "Sites", "Average"]
    assert all("," not in r[3] and float(r[3]) for r in table[1:])


def test_staff_see_every_site_counted_and_nobody_named(world):
    admin = logged_in(world, STAFF)
    answer = admin.get("/admin/risk/overview")
    assert answer.status == 200, answer.body
    overview = answer.json()
    scored = [s for s in all_sites() if s.risk]
    assert overview["total"]["sites"] == len(scored) > 0
    assert sum(overview["total"]["bands"].values()) == len(scored)
    text = json.dumps(overview) + admin.get("/admin/risk/export", query="format=csv").body.decode("utf-8-sig")
    for org in DEMO_WORLD:
        assert org.name not in text
    for site in scored:
        assert site.site_id not in text
        assert site.name not in text
    assert all(h["sites"] >= overview["min_sites"] for h in overview["hotspots"])
    # A country or sector with fewer sites than that is counted only among "others", never alone.
    for group in ("by_country", "by_sector"):
        rows = overview[group]
        assert all(r["sites"] >= overview["min_sites"] for r in rows if r["code"] != "others")
        assert sum(r["sites"] for r in rows) == len(scored)
    small_countries = {s.country for s in scored} - {r["code"] for r in overview["by_country"]}
    assert small_countries  # the demo world has countries with one or two sites
    assert not small_countries & {o["code"] for o in overview["options"]["countries"]}


def test_staff_cannot_filter_the_platform_view_down_to_one_producer(world):
    """Peru has one demo site: filtered to it, neither the overview nor its export shows a figure."""
    admin = logged_in(world, STAFF)
    peru = [s for s in all_sites() if s.risk and s.country == "PE"]
    assert 0 < len(peru) < risk.HOTSPOT_MIN_SITES
    for query in ("country=PE", "country=PE&pillar=labour", f"country=PE&sector={peru[0].sector}"):
        overview = admin.get("/admin/risk/overview", query=query).json()
        assert overview["total"] == {"sites": None, "average": None, "bands": None, "suppressed": True}
        assert all(p["suppressed"] and p["average"] is None for p in overview["by_pillar"])
        assert all(r["suppressed"] for r in overview["by_country"] + overview["by_sector"])
        assert overview["hotspots"] == []
        exported = admin.get("/admin/risk/export", query=f"{query}&format=csv").body.decode("utf-8-sig")
        assert len(list(csv.reader(io.StringIO(exported)))) == 1  # the header only
    assert "Peru" not in json.dumps(admin.get("/admin/risk/overview", language="en").json()["by_country"])


def test_the_platform_counts_follow_every_change(world):
    """After edits, a SAQ and a recompute, the counts equal a count of the sites themselves."""
    ayse = logged_in(world, ANATOLIA)
    site = ayse.get("/producer/sites/ZS-4KQ7-TR2").json()
    body = {k: site[k] for k in ("name", "address", "country", "certifications", "workforce")}
    assert (
        ayse.call(
            "PUT",
            "/producer/sites/ZS-4KQ7-TR2",
            {**body, "sector": "electronics", "goods": [], "version": site["version"]},
        ).status
        == 200
    )
    risk_scores.recompute(force=True)

    counted: dict[tuple[str, str], dict[str, int]] = {}
    for s in all_sites():
        if s.risk:
            cell = counted.setdefault((s.country, s.sector or "other"), {"sites": 0, "sum": 0})
            cell["sites"] += 1
            cell["sum"] += round(s.risk["scores"]["overall"] * 10)
    stored = {(c.country, c.sector): {"sites": int(c.sites), "sum": int(c.overall_sum)}
              for c in RiskCell.query("RISKSTATS") if int(c.sites)}  # fmt: skip
    assert stored == counted


def test_a_new_model_version_is_recomputed_for_every_site(world, monkeypatch):
    before = {s.site_id: s.risk["version"] for s in all_sites()}
    current = risk.data()
    changed = dict(current.model, version="test-2")
    from portal.domain import risk as model

    monkeypatch.setattr(risk_scores, "data", lambda: model.make_data(changed, current.sources))
    done = risk_scores.recompute()
    assert done.checked == done.changed == len(before)
    assert {s.risk["version"] for s in all_sites()} == {risk_scores.data().version} != set(before.values())
    assert risk_scores.recompute().changed == 0  # nothing left to do


@pytest.mark.parametrize("who", [NORDLYS, FJELLSPORT])
def test_buyers_cannot_read_the_producer_or_staff_risk_routes(world, who):
    person = logged_in(world, who)
    assert person.get("/producer/risk").status == 404
    assert person.get("/admin/risk/overview").status == 404
