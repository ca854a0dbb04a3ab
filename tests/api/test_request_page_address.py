"""A member learns its public request page's address (/innsyn/<slug>/) from GET /me, to link it from
its own website (members/requests/ shows it with a copy button); the page answers to that slug."""

from __future__ import annotations

from infra.seed import DEMO_USERS
from tests.support import browser, logged_in

KARI, OLA = DEMO_USERS[1], DEMO_USERS[2]


def test_me_names_the_organisations_request_page_and_the_page_answers_to_it(world):
    slug = logged_in(world, OLA).get("/me").json()["organisation"]["slug"]
    assert slug == "nordlys-dagligvare-as"
    page = browser(world).get(f"/request-pages/{slug}").json()
    assert page["organisation"]["name"] == "Nordlys Dagligvare AS"
    staff = logged_in(world, DEMO_USERS[0]).get("/me").json()["organisation"]
    assert staff["slug"] is None  # IEH itself is no member: no request page
