"""Authorities' own status vocabularies: each code with fi/sv/en labels, mapped to one public
status. Declared by the authority's administrator (onboarding) or a service administrator;
authority systems then name the codes in their status events (luvat.integrations.inbound)."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from luvat.audit.actors import Actor
from luvat.audit.services import audit_record
from luvat.catalogue.models import Authority, AuthorityStatus, Origin, PublicStatus
from luvat.identity.policy import authorise, is_administrator, is_authority_administrator

CODE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,59}$")
MAX_LABEL = 200


def may_declare(actor: Actor, authority_code: str) -> bool:
    return is_administrator(actor) or is_authority_administrator(actor, authority_code)


def statuses_of(authority: Authority) -> list[AuthorityStatus]:
    """The authority's vocabulary, by code (one query)."""
    return list(AuthorityStatus.objects.filter(authority=authority).order_by("code"))


@transaction.atomic
def authority_status_declare(
    *,
    actor: Actor,
    authority: Authority,
    code: str,
    public_status: str,
    label_fi: str,
    label_sv: str = "",
    label_en: str = "",
) -> AuthorityStatus:
    """Declare one of the authority's own statuses, or change its labels and mapping."""
    authorise(
        actor,
        may_declare(actor, authority.code),
        object_type="catalogue.authority_status",
        object_id=authority.code,
        purpose="catalogue:authority_status",
    )
    code = code.strip().lower()
    labels = {
        "label_fi": label_fi.strip(),
        "label_sv": label_sv.strip(),
        "label_en": label_en.strip(),
    }
    errors: dict[str, str] = {}
    if not CODE.match(code):
        errors["code"] = _(
            "Use 1 to 60 lower-case letters, digits, hyphens and underscores, e.g. statement-asked."
        )
    if public_status not in PublicStatus.values:
        errors["public_status"] = _("Choose the public status this status stands for.")
    if not labels["label_fi"]:
        errors["label_fi"] = _("Give the label in Finnish.")
    for name, value in labels.items():
        if len(value) > MAX_LABEL:
            errors[name] = _("At most %(max)d characters.") % {"max": MAX_LABEL}
    if errors:
        raise ValidationError(errors)
    status, created = AuthorityStatus.objects.select_for_update().get_or_create(
        authority=authority,
        code=code,
        defaults={"public_status": public_status, "origin": Origin.ADMIN, **labels},
    )
    if not created:
        status.public_status = public_status
        for name, value in labels.items():
            setattr(status, name, value)
        status.save(update_fields=["public_status", *labels])
    audit_record(
        actor=actor,
        action="catalogue.authority_status_declare",
        target=status,
        details={"authority": authority.code, "code": code, "public_status": public_status},
    )
    return status
