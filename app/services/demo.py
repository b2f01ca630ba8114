"""Deterministic demo data: the demo logins of CONTRACT.md and their organisations."""

import random
from dataclasses import dataclass

from sqlmodel import Session, select

from app.auth.passwords import hash_password
from app.models import Organisation, User
from app.models.vocabulary import Region, Role, ServiceType

DEMO_DOMAIN = "example.org"
STAFF = [
    ("admin", "Anne Admin", Role.ADMIN),
    ("advisor", "Karsten Konsulent", Role.ADVISOR),
    ("advisor2", "Lene Konsulent", Role.ADVISOR),
    ("board", "Birgitte Bestyrelse", Role.BOARD),
]
_PLACE_NAMES = [
    "Egebo", "Lindegården", "Solsikken", "Fjordhuset", "Bakkely", "Skovbrynet", "Havblik",
    "Kastanjehuset", "Engly", "Rosenhøj", "Mosegården", "Birkelund", "Strandlyst", "Toftegård",
    "Kildebo", "Lærkereden", "Højbjerg", "Vesterled", "Nørremark", "Granly", "Bøgely",
    "Ådalen", "Klitgården", "Pilegården", "Sønderbo", "Hyldebo", "Stjernen", "Regnbuen",
]
_FIRST_NAMES = ["Mette", "Søren", "Hanne", "Jesper", "Louise", "Mads", "Camilla", "Niels",
                "Pernille", "Anders", "Sofie", "Thomas", "Ida", "Rasmus", "Maria", "Jonas"]
_LAST_NAMES = ["Jensen", "Nielsen", "Hansen", "Pedersen", "Andersen", "Christensen",
               "Larsen", "Sørensen", "Rasmussen", "Jørgensen", "Madsen", "Kristensen"]
# Most LOS members are residential services for children and young people.
_SERVICE_WEIGHTS = {
    ServiceType.DOEGNTILBUD: 8, ServiceType.DAGBEHANDLING: 3, ServiceType.KOSTSKOLE: 2,
    ServiceType.LAENGEREVARENDE_BOTILBUD: 3, ServiceType.MIDLERTIDIGT_BOTILBUD: 3,
    ServiceType.SOCIALPAEDAGOGISK_STOETTE: 2, ServiceType.MISBRUGSBEHANDLING: 1,
    ServiceType.KVINDEKRISECENTER: 1, ServiceType.FORSORGSHJEM: 1,
}


class DemoAlreadyLoaded(Exception):
    pass


@dataclass
class DemoSummary:
    organisations: int
    users: list[tuple[str, str]]  # (email, role)


def demo_is_loaded(session: Session) -> bool:
    return session.exec(select(User).where(User.email == f"admin@{DEMO_DOMAIN}")).first() \
        is not None


def load_demo(*, session: Session, password: str, members: int = 40, seed: int = 2026
              ) -> DemoSummary:
    if demo_is_loaded(session):
        raise DemoAlreadyLoaded()
    rng = random.Random(seed)
    password_hash = hash_password(password)  # one hash: argon2 is slow on purpose
    staff = {}
    for local, name, role in STAFF:
        staff[local] = User(email=f"{local}@{DEMO_DOMAIN}", name=name, role=role,
                            password_hash=password_hash)
        session.add(staff[local])
    session.flush()
    advisors = [staff["advisor"], staff["advisor2"]]
    service_types = list(_SERVICE_WEIGHTS)
    weights = list(_SERVICE_WEIGHTS.values())
    regions = list(Region)
    users = [(u.email, u.role.value) for u in staff.values()]
    for number in range(1, members + 1):
        service_type = rng.choices(service_types, weights)[0]
        place = _PLACE_NAMES[(number - 1) % len(_PLACE_NAMES)]
        suffix = "" if number <= len(_PLACE_NAMES) else f" {number // len(_PLACE_NAMES) + 1}"
        organisation = Organisation(
            name=f"{place}{suffix}",
            cvr=f"{30000000 + number * 7919 % 9999999:08d}",
            company_name=f"{place} ApS",
            service_type=service_type,
            region=regions[(number - 1) % len(regions)],
            places=rng.randint(4, 40),
            advisor_id=advisors[number % 2].id,
        )
        session.add(organisation)
        session.flush()
        member = User(
            email=f"member{number}@{DEMO_DOMAIN}",
            name=f"{rng.choice(_FIRST_NAMES)} {rng.choice(_LAST_NAMES)}",
            role=Role.MEMBER,
            organisation_id=organisation.id,
            password_hash=password_hash,
        )
        session.add(member)
        users.append((member.email, Role.MEMBER.value))
    session.commit()
    return DemoSummary(organisations=members, users=users)
