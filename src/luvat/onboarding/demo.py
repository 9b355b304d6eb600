"""Demo joinings: Helsinki environmental protection (HKI-ENV, administered by demo person
``ville``) with one service in production, one in pilot and one API integration in testing;
Helsinki rescue services and Tukes at earlier phases. Idempotent: an authority that already
has a joining record is left as users changed it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from luvat.audit.actors import Actor
from luvat.catalogue.models import Authority, Service
from luvat.onboarding import services
from luvat.onboarding.demo_history import HistorySpec, load_history
from luvat.onboarding.models import ChecklistItem, ItemState, Joining, Metric, ServiceJoining
from luvat.onboarding.phases import Phase
from luvat.web.demo import DemoResult

ACTOR = Actor.system("load-demo")

# (service code, mode, phases to walk through after "decided")
HKI_ENV_SERVICES = (
    ("noise-notification", "light", (Phase.PREPARING, Phase.TESTING, Phase.PRODUCTION)),
    (
        "environmental-permit-change-municipal",
        "light",
        (Phase.PREPARING, Phase.TESTING, Phase.PILOT),
    ),
    ("biogas-environmental-permit-municipal", "api", (Phase.PREPARING, Phase.TESTING)),
)
HISTORY = (
    HistorySpec("HKI-ENV", "noise-notification", applications=48, months=9, seed=81),
    HistorySpec("HKI-RESCUE", "event-rescue-plan", applications=30, months=6, seed=82),
)


def _done(item: ChecklistItem, owner: str, note: str, day: date) -> None:
    services.checklist_item_update(
        item=item,
        actor=ACTOR,
        owner=owner,
        state=ItemState.DONE,
        evidence_note=note,
        evidence_link="",
        done_on=day,
    )


def _walk(service_joining: ServiceJoining, phases: tuple[Phase, ...]) -> None:
    for phase in phases:
        services.service_joining_move(service_joining=service_joining, phase=phase, actor=ACTOR)


def _hki_env(authority: Authority) -> None:
    today = timezone.localdate()
    joining = services.joining_create(authority=authority, actor=ACTOR)
    services.joining_move(joining=joining, phase=Phase.DECIDED, actor=ACTOR)
    services.joining_move(joining=joining, phase=Phase.PREPARING, actor=ACTOR)
    services.joining_update(
        joining=joining,
        actor=ACTOR,
        decided_on=today - timedelta(days=400),
        planned_go_live_on=today + timedelta(days=60),
        notes="Ympäristönsuojelun ilmoitusasiat siirtyvät Luvat-palveluun vaiheittain.",
    )
    for kind, name, email in (
        ("change_agent", "Ville Ympäristö", "ville.ymparisto@example.invalid"),
        ("technical_contact", "Tero Tekninen", "tero.tekninen@example.invalid"),
        ("local_support", "Liisa Lähituki", "liisa.lahituki@example.invalid"),
    ):
        services.role_add(joining=joining, kind=kind, name=name, email=email, phone="", actor=ACTOR)
    for item in ChecklistItem.objects.filter(joining=joining, service_joining__isnull=True):
        if item.standard != "communication":
            _done(item, "Ville Ympäristö", "Käsitelty ohjausryhmässä.", today - timedelta(days=300))
    for code, mode, phases in HKI_ENV_SERVICES:
        service = Service.objects.filter(code=code).first()
        if service is None:
            continue
        service_joining = services.service_joining_add(
            joining=joining, service=service, mode=mode, actor=ACTOR
        )
        if Phase.PRODUCTION in phases:
            communication = ChecklistItem.objects.get(
                joining=joining, service_joining__isnull=True, standard="communication"
            )
            _done(communication, "Viestintä", "Tiedote julkaistu.", today - timedelta(days=290))
            for item in ChecklistItem.objects.filter(service_joining=service_joining):
                _done(item, "Tero Tekninen", "Testit hyväksytty.", today - timedelta(days=290))
        _walk(service_joining, phases)
        if Phase.PRODUCTION in phases:
            # The demo's history of past applications is the after-state: go-live before it.
            # (The phase history itself keeps the time the demo was loaded.)
            ServiceJoining.objects.filter(pk=service_joining.pk).update(
                production_since=timezone.now() - timedelta(days=31 * 9 + 7)
            )
        if Phase.PILOT in phases:
            services.pilot_company_add(
                service_joining=service_joining,
                business_id="2718282-8",
                company_name="Pohjolan Teräs Oy",
                actor=ACTOR,
            )
    for metric, value, target in (
        (Metric.APPLICATIONS_PER_MONTH, "4", None),
        (Metric.MEDIAN_DAYS_TO_RECEIVED, "3", "1"),
        (Metric.MEDIAN_DAYS_TO_DECISION, "28", "21"),
        (Metric.SHARE_WITHIN_TARGET, "70", "90"),
        (Metric.SUPPLEMENT_RATE, "45", "25"),
    ):
        services.baseline_set(
            joining=joining,
            metric=metric,
            value=Decimal(value),
            target=Decimal(target) if target else None,
            source="Asianhallintajärjestelmän raportti 2024",
            actor=ACTOR,
        )
    year = today.year
    for kind, when, text, amount, measured_by, expected in (
        ("cost", year - 1, "Muutosagentin työpanos", "12000", "", None),
        ("cost", year, "Koulutus ja viestintä", "4000", "", None),
        ("cost", year, "Integraation rakentaminen ja testaus", "25000", "", None),
        ("benefit", year, "Vähemmän täydennyspyyntöjä", "8000", Metric.SUPPLEMENT_RATE.value, "25"),
        (
            "benefit",
            year + 1,
            "Nopeampi käsittely",
            "15000",
            Metric.MEDIAN_DAYS_TO_DECISION.value,
            "21",
        ),
    ):
        services.cost_benefit_add(
            joining=joining,
            kind=kind,
            year=when,
            description=text,
            amount_eur=Decimal(amount),
            metric=measured_by,
            expected_value=Decimal(expected) if expected else None,
            actor=ACTOR,
        )
    for title, likelihood, impact, mitigation, production in (
        (
            "Käsittelijät eivät huomaa palvelun kautta tulevia ilmoituksia",
            3,
            4,
            "Lähituki ja päivittäinen tarkistus",
            True,
        ),
        ("Integraation aikataulu venyy", 4, 3, "Kevytasiointi ensin, rajapinta myöhemmin", False),
        ("Asiakkaat eivät löydä palvelua", 2, 3, "Verkkosivujen ja PTV-kuvausten päivitys", True),
    ):
        services.risk_add(
            joining=joining,
            title=title,
            likelihood=likelihood,
            impact=impact,
            mitigation=mitigation,
            owner="Ville Ympäristö",
            review_on=today + timedelta(days=30),
            production_phase=production,
            actor=ACTOR,
        )


def _simple(authority: Authority, items: tuple[tuple[str, str, tuple[Phase, ...]], ...]) -> None:
    joining = services.joining_create(authority=authority, actor=ACTOR)
    services.joining_move(joining=joining, phase=Phase.DECIDED, actor=ACTOR)
    for code, mode, phases in items:
        service = Service.objects.filter(code=code).first()
        if service is None or service.joining_mode != mode:
            # Not in the catalogue, or joined another way meanwhile (the demo's simulated case
            # system takes HKI-RESCUE's services by API): the catalogue's mode then holds.
            continue
        service_joining = services.service_joining_add(
            joining=joining, service=service, mode=mode, actor=ACTOR
        )
        if Phase.PRODUCTION in phases:
            for item in ChecklistItem.objects.filter(joining=joining):
                if item.service_joining_id in (None, service_joining.pk):
                    _done(item, "Projektipäällikkö", "Valmis.", timezone.localdate())
        _walk(service_joining, phases)


def load_demo_joinings() -> DemoResult:
    created = existing = 0
    plans: dict[str, Callable[[Authority], None]] = {
        "HKI-ENV": _hki_env,
        "HKI-RESCUE": lambda a: _simple(
            a,
            (
                ("event-rescue-plan", "light", (Phase.PREPARING, Phase.TESTING, Phase.PRODUCTION)),
                ("consumer-fireworks-notification", "light", (Phase.PREPARING,)),
            ),
        ),
        "TUKES": lambda a: _simple(
            a, (("tukes-chemical-change-notification", "api", (Phase.PREPARING, Phase.TESTING)),)
        ),
    }
    for code, plan in plans.items():
        authority = Authority.objects.filter(code=code).first()
        if authority is None:
            continue
        if Joining.objects.filter(authority=authority).exists():
            existing += 1
            continue
        plan(authority)
        created += 1
    for spec in HISTORY:
        created += 1 if load_history(spec) else 0
    return DemoResult(created=created, existing=existing)
