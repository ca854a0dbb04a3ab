"""The demo world's Transparency Act information requests: every member organisation has its slug
(the public request page /innsyn/<slug>/), Ola handles Nordlys's requests, and Nordlys Dagligvare AS
has open, overdue, extended, answered, partly refused and refused cases with their messages.

Dates are relative to the day the world is seeded, so the list always shows a mix of deadlines.
Written through the use cases (the statutory clock decides every state), with no e-mail sent: the
requesters' addresses are set on the stored cases afterwards."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from infra.demo_world import DEMO_WORLD
from portal.policy import Actor
from portal.store import accounts as account_store
from portal.store import information_requests as request_store
from portal.store import organisations
from portal.store.models import Marker, Organisation, SlugClaim, new
from portal.usecases import information_requests as requests

MARKER = Marker.key("demo-requests-v1")
NORDLYS = "org-nordlys"
HANDLER = "ola@nordlys.example"  # DEMO_USERS[2]: has the duty; Kari is org admin and may anyway


def _is_seeded() -> bool:
    try:
        Marker.get(*MARKER)
    except Marker.DoesNotExist:
        return False
    return True


def claim_slugs(org_ids: list[str]) -> None:
    """Every member organisation of a world seeded before slugs existed gets its slug."""
    for org in Organisation.batch_get([Organisation.key(o) for o in org_ids]):
        if org.slug or org.org_type not in ("buyer", "producer", "both"):
            continue
        slug = organisations.free_slug(org.name)
        new(SlugClaim, SlugClaim.key(slug), slug=slug, org_id=org.org_id).save(
            condition=SlugClaim.pk.does_not_exist()
        )
        org.update(actions=[Organisation.slug.set(slug)])


def _actor(email: str) -> Actor:
    user = account_store.user_by_email(email)
    assert user is not None, email
    return Actor(
        user.user_id, user.org_id, user.role, "buyer", False, False, "", "", tuple(user.duties or ())
    )


def _at(day_offset: int, hour: int = 9) -> datetime:
    day = requests.today() + timedelta(days=day_offset)
    return datetime.combine(day, time(hour - 1), tzinfo=UTC)  # hh:00 in Oslo in winter


CASES = (
    # (days ago received, name, e-mail, language, question, concerns, by hand, steps: (day, kind, text, ground, expected +days))
    (3, "Ingrid Haugen", "ingrid.haugen@example.org", "nb",
     "Hvilke leverandører av kaffe bruker dere, og hvordan sikrer dere at plukkerne får en lønn å leve av?",
     "Kaffe (egne merker)", False, ()),
    (12, "Marius Berg", "marius@journalist.example", "nb",
     "Har dere funnet tvangsarbeid hos leverandørene av sjømat i Thailand, og hva har dere gjort med det?",
     "Frosne reker", False, ((2, "in_progress", "", None, None),)),
    (26, "Framtiden i våre hender", None, "nb",
     "Vi ber om en oversikt over fabrikkene som produserer tekstilene dere selger, med land og antall ansatte.",
     "Tekstiler", True, ((4, "in_progress", "", None, None),)),
    (16, "Emma Clarke", "emma.clarke@example.co.uk", "en",
     "Which audits have you done of your tomato suppliers in southern Spain, and what did they find about migrant workers' housing?",
     "Tomatoes", False,
     ((1, "in_progress", "", None, None),
      (5, "extension", "We need to collect information from eleven growers and their audit reports. You will have our answer by the date below.", None, 40))),
    (45, "Ola Hansen", "ola.hansen@example.no", "nb",
     "Hvor produseres bananene deres, og er plantasjene sertifisert?",
     "Bananer", False,
     ((2, "in_progress", "", None, None),
      (11, "answer", "Bananene kommer fra tre plantasjer i Ecuador og Colombia. Alle er Fairtrade-sertifisert, og vi har besøkt to av dem det siste året. Vedlagt finner du lenker til sertifikatene.", None, None))),
    (60, "Kari Lunde", "kari.lunde@example.no", "nb",
     "Jeg vil se de fullstendige revisjonsrapportene og innkjøpsprisene for alle leverandørene deres i Bangladesh.",
     "Klær", False,
     ((3, "in_progress", "", None, None),
      (19, "partial_refusal", "Vi har sendt deg en oversikt over de fire fabrikkene, funnene fra revisjonene og hva som er gjort med dem. Innkjøpsprisene og de fullstendige rapportene gir vi ikke ut.", "business_secret", None))),
    (75, "Per Olsen", "per.olsen@example.no", "nb",
     "Send meg alt dere har om alt.",
     None, False,
     ((6, "refusal", "Kravet ditt sier ikke hva det gjelder, så vi kan ikke finne fram til opplysningene. Du er velkommen til å sende et nytt krav om et bestemt produkt eller en bestemt leverandør.", "unclear", None),)),
)  # fmt: skip


def seed_requests() -> None:
    claim_slugs([demo.org_id for demo in DEMO_WORLD])
    if _is_seeded():
        return
    ola = account_store.user_by_email(HANDLER)
    if ola is not None and "information_requests" not in (ola.duties or []):
        ola.duties = [*(ola.duties or []), "information_requests"]
        account_store.save_user(ola)
    kari = _actor("kari@nordlys.example")
    handler = _actor(HANDLER)
    for ago, name, email, language, question, concerns, by_hand, steps in CASES:
        form = requests.RequestForm(name, None, "Postboks 100, 0101 Oslo", question, concerns, language)
        received = requests.today() - timedelta(days=ago)
        case = requests.enter_by_hand(kari, form, received, now=_at(-ago))
        for day, kind, text, ground, expected in steps:
            when = _at(-ago + day, 10)
            if kind == "in_progress":
                requests.start(handler, case.case_id)
                continue
            due = received + timedelta(days=expected) if expected else None
            requests.send_message(handler, case.case_id, kind, text, ground, due, now=when)
        stored = request_store.case(NORDLYS, case.case_id)
        stored.entered_by_hand = by_hand
        stored.requester = {
            "name": name,
            "email": email,
            "postal_address": None if email else form.postal_address,
        }
        request_store.save(stored)
    new(Marker, MARKER).save()
