"""Reads of the inforequests context, each filtered in the database by the actor's scope and
written to a fixed number of queries."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db.models import Prefetch, QuerySet
from django.http import Http404

from luvat.assessment.models import Assessment
from luvat.audit.actors import Actor
from luvat.audit.services import access_record
from luvat.catalogue.models import Authority, Service, VocabularyField, VocabularyType
from luvat.identity.policy import (
    InforequestRef,
    authorise,
    authority_q,
    can_act_for_company,
    can_answer_inforequest,
    can_read_inforequest,
    company_q,
)
from luvat.inforequests.models import Addressee, Inforequest, InforequestAttachment
from luvat.projects.from_assessment import suggestions
from luvat.projects.models import Project
from luvat.projects.services.projects import authority_for

LIST_LIMIT = 200
# Shared-data fields of the company itself, not of the planned project.
COMPANY_OWN = frozenset({"business_id", "company_name"})


def inforequest_ref(inforequest: Inforequest) -> InforequestRef:
    """The policy's view of ``inforequest`` (one query for the asked authorities' services)."""
    asked: dict[str, set[str]] = defaultdict(set)
    for authority_code, service_code in Addressee.objects.filter(
        inforequest_id=inforequest.pk
    ).values_list("authority__code", "services__code"):
        asked[authority_code]
        if service_code:
            asked[authority_code].add(service_code)
    return InforequestRef(
        business_id=inforequest.business_id,
        asked={code: frozenset(services) for code, services in asked.items()},
    )


def _addressees() -> Prefetch[str]:
    return Prefetch(
        "addressees",
        queryset=Addressee.objects.select_related("authority", "application").prefetch_related(
            Prefetch("services", queryset=Service.objects.order_by("code"))
        ),
    )


@dataclass
class InforequestView:
    """One inforequest as ``actor`` may see it: the company all of it, an official only the
    part of their own authority."""

    inforequest: Inforequest
    addressees: list[Addressee]
    # The customer's files of the question.
    attachments: list[InforequestAttachment]
    is_company: bool
    answerable: list[Addressee] = field(default_factory=list)
    told: list[tuple[str, object]] = field(default_factory=list)
    # The files of each answer the actor may see (by addressee pk).
    answer_files: dict[int, list[InforequestAttachment]] = field(default_factory=dict)

    @property
    def parts(self) -> list[tuple[Addressee, list[InforequestAttachment]]]:
        """Each visible asked authority with the files of its answer."""
        return [(a, self.answer_files.get(a.pk, [])) for a in self.addressees]

    def files_of(self, addressee: Addressee) -> list[InforequestAttachment]:
        return self.answer_files.get(addressee.pk, [])


def inforequest_for(actor: Actor, public_id: UUID | str, *, purpose: str) -> InforequestView:
    """The inforequest if ``actor`` may read it; another company's or authority's answers 404
    like a missing one (access-logged); the read is access-logged."""
    try:
        inforequest = (
            Inforequest.objects.select_related("project")
            .prefetch_related(_addressees(), "attachments")
            .get(public_id=public_id)
        )
    except (Inforequest.DoesNotExist, ValueError, ValidationError):
        raise Http404("no such inforequest") from None
    ref = inforequest_ref(inforequest)
    authorise(
        actor,
        can_read_inforequest(actor, ref),
        object_type="inforequest",
        object_id=inforequest.public_id,
        purpose=purpose,
        subject_business_id=inforequest.business_id,
        known=False,
    )
    access_record(
        actor=actor,
        object_type="inforequest",
        object_id=inforequest.public_id,
        purpose=purpose,
        subject_business_id=inforequest.business_id,
    )
    addressees = list(inforequest.addressees.all())
    is_company = can_act_for_company(actor, inforequest.business_id)
    own = [a for a in addressees if can_answer_inforequest(actor, ref, a.authority.code)]
    visible = addressees if is_company else own
    files = list(inforequest.attachments.all())
    answer_files: dict[int, list[InforequestAttachment]] = defaultdict(list)
    for attachment in files:
        if attachment.addressee_id is not None:
            answer_files[attachment.addressee_id].append(attachment)
    labels = {
        f.code: f.label
        for f in VocabularyField.objects.filter(code__in=list(inforequest.shared_data))
    }
    return InforequestView(
        inforequest=inforequest,
        addressees=visible,
        attachments=[a for a in files if a.addressee_id is None],
        is_company=is_company,
        answerable=[] if is_company else own,
        told=[(labels.get(code, code), value) for code, value in inforequest.shared_data.items()],
        # Another authority's answer and its files stay out of an official's view.
        answer_files={a.pk: answer_files[a.pk] for a in visible if a.pk in answer_files},
    )


def addressee_of(view: InforequestView, public_id: UUID | str) -> Addressee:
    """One asked authority's part of an inforequest the actor may see, or 404."""
    for addressee in view.addressees:
        if str(addressee.public_id) == str(public_id):
            return addressee
    raise Http404("no such addressee")


def attachment_of(view: InforequestView, public_id: UUID | str) -> InforequestAttachment:
    """A file of the question or of an answer the actor may see, or 404."""
    answers = [f for files in view.answer_files.values() for f in files]
    for attachment in [*view.attachments, *answers]:
        if str(attachment.public_id) == str(public_id):
            return attachment
    raise Http404("no such attachment")


def project_inforequests(project: Project) -> list[Inforequest]:
    """A project's inforequests with every asked authority (three queries), newest first."""
    return list(
        Inforequest.objects.filter(project=project).prefetch_related(_addressees())[:LIST_LIMIT]
    )


def company_inforequests(actor: Actor) -> QuerySet[Inforequest]:
    """The inforequests of the companies the actor acts for."""
    return Inforequest.objects.filter(company_q(actor, "business_id"))


def addressees_for_authority(actor: Actor, *, answered: bool | None = None) -> list[Addressee]:
    """The questions put to the official's authority (within the services of their role),
    unanswered first, oldest first (two queries)."""
    rows = Addressee.objects.filter(
        authority_q(actor, "authority__code", "services__code")
    ).distinct()
    if answered is not None:
        rows = rows.filter(answered_at__isnull=not answered)
    return list(
        rows.select_related("authority", "inforequest", "inforequest__project")
        .prefetch_related(Prefetch("services", queryset=Service.objects.order_by("code")))
        .order_by("-answered_at", "inforequest__asked_at", "id")[:LIST_LIMIT]
    )


def open_count_for_authority(actor: Actor) -> int:
    """How many questions to the official's authority wait for an answer (one query)."""
    return (
        Addressee.objects.filter(
            authority_q(actor, "authority__code", "services__code"), answered_at__isnull=True
        )
        .values("pk")
        .distinct()
        .count()
    )


def answered_for_company(actor: Actor) -> list[Addressee]:
    """Answers the company has not yet made into an application, newest first (one query):
    what waits for the customer."""
    return list(
        Addressee.objects.filter(
            company_q(actor, "inforequest__business_id"),
            answered_at__isnull=False,
            application__isnull=True,
        )
        .select_related("authority", "inforequest", "inforequest__project")
        .order_by("-answered_at")[:LIST_LIMIT]
    )


@dataclass(frozen=True)
class AskOption:
    """An authority the customer may ask, with the permits of the project it handles."""

    authority: Authority
    services: tuple[Service, ...]


def ask_options_from(pairs: list[tuple[Service, Authority | None]]) -> list[AskOption]:
    """Group (permit, its authority) pairs by authority, in name order; permits without an
    authority (kept by the company itself) cannot be asked about."""
    by_authority: dict[int, tuple[Authority, list[Service]]] = {}
    for service, authority in pairs:
        if authority is None:
            continue
        entry = by_authority.setdefault(authority.pk, (authority, []))
        if service not in entry[1]:
            entry[1].append(service)
    return sorted(
        (AskOption(authority, tuple(services)) for authority, services in by_authority.values()),
        key=lambda option: (option.authority.name, option.authority.code),
    )


def project_ask_options(project: Project) -> list[AskOption]:
    """Whom the company may ask about ``project``: the authority of each permit it has an
    application for or its service package holds, as the project's site resolves them."""
    services: dict[int, Service] = {}
    for application in project.applications.exclude(
        status__in=["cancelled", "withdrawn"]
    ).select_related("service"):
        services.setdefault(application.service.pk, application.service)
    if project.package_id is not None:
        for service in Service.objects.filter(
            packages__pk=project.package_id, active=True
        ).order_by("code"):
            services.setdefault(service.pk, service)
    return ask_options_from(
        [
            (service, authority_for(service=service, project=project))
            for service in services.values()
        ]
    )


def assessment_ask_options(assessment: Assessment) -> list[AskOption]:
    """Whom the company may ask about an assessment's result: the authority of each suggested
    permit, as the result named it (two queries)."""
    items = suggestions(assessment.result)
    services = {s.code: s for s in Service.objects.filter(code__in=[i.code for i in items])}
    authorities = {
        a.code: a for a in Authority.objects.filter(code__in=[i.authority_code for i in items])
    }
    return ask_options_from(
        [
            (services[item.code], authorities.get(item.authority_code))
            for item in items
            if item.code in services
        ]
    )


def question_fields(options: list[AskOption]) -> list[VocabularyField]:
    """The shared-data fields the asked permits' forms take, to tell the authority about the
    project with the question (the company's own identity is known already)."""
    codes = {
        code
        for option in options
        for service in option.services
        for code in (service.shared_data_mapping or {}).values()
    } - COMPANY_OWN
    return list(
        VocabularyField.objects.filter(code__in=sorted(codes))
        .exclude(type__in=[VocabularyType.MUNICIPALITY, VocabularyType.BUSINESS_ID])
        .order_by("order", "code")
    )


def file_document(attachment: InforequestAttachment) -> dict[str, Any]:
    """One file of a question or an answer as both APIs (the customer's and the authority
    systems') describe it."""
    return {
        "id": attachment.public_id,
        "file_name": attachment.original_name,
        "content_type": attachment.content_type,
        "size": attachment.size,
        "sha256": attachment.sha256,
    }
