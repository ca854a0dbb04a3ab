"""The demo world's organisations and their sites: who is in it, as data (the seed writes it; the
producers' data and links of infra/seed_producers.py refer to it)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class DemoOrganisation:
    org_id: str
    name: str
    organisation_number: str | None
    org_type: str
    country: str
    sites: tuple[tuple[str, str, str], ...] = ()  # (site id, name, ISO country)


DEMO_WORLD: tuple[DemoOrganisation, ...] = (
    DemoOrganisation("org-nordlys", "Nordlys Dagligvare AS", "923609016", "buyer", "NO"),
    DemoOrganisation("org-fjellsport", "Fjellsport Norge AS", "914778271", "buyer", "NO"),
    DemoOrganisation("org-bergen-kommune", "Bergen kommune", "964338531", "buyer", "NO"),
    DemoOrganisation(
        "org-anatolia",
        "Anatolia Tekstil A.Ş.",
        None,
        "producer",
        "TR",
        (
            ("ZS-4KQ7-TR1", "Anatolia Tekstil – Denizli", "TR"),
            ("ZS-4KQ7-TR2", "Anatolia Tekstil – Bursa", "TR"),
        ),
    ),
    DemoOrganisation(
        "org-dhaka",
        "Dhaka Knitwear Ltd.",
        None,
        "producer",
        "BD",
        (("ZS-8M2P-BD1", "Dhaka Knitwear – Gazipur", "BD"),),
    ),
    DemoOrganisation(
        "org-mekong",
        "Mekong Seafood JSC",
        None,
        "producer",
        "VN",
        (("ZS-3T9W-VN1", "Mekong Seafood – Can Tho", "VN"), ("ZS-3T9W-VN2", "Mekong Seafood – Ca Mau", "VN")),
    ),
    DemoOrganisation(
        "org-andes",
        "Frutas del Sur S.A.",
        None,
        "producer",
        "PE",
        (("ZS-6H1L-PE1", "Frutas del Sur – Ica", "PE"),),
    ),
    DemoOrganisation(
        "org-norsk-fisk",
        "Norsk Fiskeforedling AS",
        "987217866",
        "both",
        "NO",
        (
            ("ZS-2N5F-NO1", "Norsk Fiskeforedling – Ålesund", "NO"),
            ("ZS-2N5F-CN1", "Qingdao partner plant", "CN"),
        ),
    ),
)
