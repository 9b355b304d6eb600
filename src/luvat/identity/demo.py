"""Demo accounts, people, companies' mandates and API clients. Only loaded when LUVAT_DEMO is on
(never in production). Idempotent: what exists is left as users changed it."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model

from luvat.audit.actors import Actor
from luvat.audit.services import audit_record
from luvat.identity.models import ApiClient, ApiKey, LocalMandate, OfficialRole, Person
from luvat.identity.services import api_key_digest
from luvat.web.demo import DemoLogin, DemoResult

DEMO_ADMIN_USERNAME = "admin"
DEMO_ADMIN_PASSWORD = "luvat-demo"  # noqa: S105  (demo only; refused in production)
TEST_IDP = "test identity provider, /fi/login/test/"

FESTIVAALI = ("3141593-8", "Festivaali Oy")
TERAS = ("2718282-8", "Pohjolan Teräs Oy")
HOIVAKOTI = ("3355779-6", "Hoivakoti Satama Oy")


@dataclass(frozen=True)
class DemoPerson:
    key: str
    given_name: str
    family_name: str
    role: str
    companies: tuple[tuple[str, str], ...] = ()
    authority_code: str = ""
    authority_admin: bool = False
    administrator: bool = False


DEMO_PEOPLE = (
    DemoPerson("maija", "Maija", "Meikäläinen", "Customer", (FESTIVAALI, HOIVAKOTI)),
    DemoPerson("teemu", "Teemu", "Teräsvuori", "Customer", (TERAS,)),
    DemoPerson("nelli", "Nelli", "Nieminen", "Customer without any mandate"),
    DemoPerson("pekka", "Pekka", "Poliisi", "Official", authority_code="HKI-POLICE"),
    DemoPerson("riikka", "Riikka", "Pelastaja", "Official", authority_code="HKI-RESCUE"),
    DemoPerson(
        "ville", "Ville", "Ympäristö", "Official", authority_code="HKI-ENV", authority_admin=True
    ),
    DemoPerson("tiina", "Tiina", "Tarkastaja", "Official", authority_code="TRE-ENV"),
    DemoPerson("leena", "Leena", "Luvanen", "Official", authority_code="LVV"),
    DemoPerson("taneli", "Taneli", "Turvallinen", "Official", authority_code="TUKES"),
    DemoPerson("aino", "Aino", "Ylläpitäjä", "Service-layer administrator", administrator=True),
)


@dataclass(frozen=True)
class DemoApiClient:
    authority_code: str
    name: str
    key_id: str
    secret: str

    @property
    def token(self) -> str:
        return f"luvat_{self.key_id}_{self.secret}"


DEMO_API_CLIENTS = (
    DemoApiClient(
        "HKI-POLICE", "Helsinki police case system (demo)", "demopolice", "demo-only-police-key"
    ),
    DemoApiClient("TUKES", "Tukes case system (demo)", "demotukes", "demo-only-tukes-key"),
)


def _describe(person: DemoPerson) -> str:
    if person.companies:
        return f"{person.role} of " + " and ".join(name for _, name in person.companies)
    if person.authority_code:
        extra = " (authority administrator)" if person.authority_admin else ""
        return f"{person.role} of {person.authority_code}{extra}"
    return person.role


DEMO_LOGINS = (
    DemoLogin(
        role="Service-layer administrator (Django admin, /fi/admin/)",
        username=DEMO_ADMIN_USERNAME,
        how=f"password {DEMO_ADMIN_PASSWORD}",
    ),
    *(
        DemoLogin(role=_describe(person), username=person.key, how=TEST_IDP)
        for person in DEMO_PEOPLE
    ),
    *(
        DemoLogin(
            role=f"Authority system of {client.authority_code} (API /api/v1/)",
            username=client.key_id,
            how=f"Authorization: Bearer {client.token}",
        )
        for client in DEMO_API_CLIENTS
    ),
)


def load_demo_accounts() -> DemoResult:
    User = get_user_model()
    actor = Actor.system("load-demo")
    created = existing = 0
    if User.objects.filter(username=DEMO_ADMIN_USERNAME).exists():
        existing += 1
    else:
        user = User.objects.create_superuser(
            username=DEMO_ADMIN_USERNAME,
            email="admin@example.invalid",
            password=DEMO_ADMIN_PASSWORD,
        )
        audit_record(
            actor=actor,
            action="user.create",
            target=user,
            details={"demo": True, "role": "administrator"},
        )
        created += 1
    for demo in DEMO_PEOPLE:
        if Person.objects.filter(demo_key=demo.key).exists():
            existing += 1
            continue
        _create_person(demo, actor)
        created += 1
    for client in DEMO_API_CLIENTS:
        if ApiKey.objects.filter(key_id=client.key_id).exists():
            existing += 1
            continue
        api_client = ApiClient.objects.create(
            name=client.name, authority_code=client.authority_code
        )
        ApiKey.objects.create(
            client=api_client, key_id=client.key_id, secret_digest=api_key_digest(client.secret)
        )
        audit_record(
            actor=actor, action="api_client.create", target=api_client, details={"demo": True}
        )
        created += 1
    return DemoResult(created=created, existing=existing)


def _create_person(demo: DemoPerson, actor: Actor) -> Person:
    User = get_user_model()
    user = User.objects.create_user(
        username=f"demo-{demo.key}",
        is_staff=demo.administrator,
        is_superuser=demo.administrator,
    )
    user.set_unusable_password()
    user.save(update_fields=["password"])
    person = Person.objects.create(
        user=user,
        given_name=demo.given_name,
        family_name=demo.family_name,
        email=f"{demo.key}@example.invalid",
        demo_key=demo.key,
        is_service_admin=demo.administrator,
    )
    for business_id, name in demo.companies:
        LocalMandate.objects.create(person=person, business_id=business_id, company_name=name)
    if demo.authority_code:
        OfficialRole.objects.create(
            person=person,
            authority_code=demo.authority_code,
            is_authority_admin=demo.authority_admin,
        )
    audit_record(actor=actor, action="person.create", target=person, details={"demo": True})
    return person
