"""Authorities keep their own entries: propose, a second person reviews, a version is kept."""

import pytest

from luvat.audit.actors import Actor, ActorKind
from luvat.audit.models import AuditEvent
from luvat.catalogue.editing import (
    ChangedSinceProposal,
    ChangeInvalid,
    ReviewRefused,
    catalogue_change_propose,
    catalogue_change_review,
    changes_to_review,
    target_for,
)
from luvat.catalogue.models import (
    Authority,
    CatalogueVersion,
    ChangeStatus,
    ChangeTarget,
    Service,
)
from luvat.identity.policy import Denied
from tests.identity.factories import OfficialRoleFactory, PersonFactory

CONTACTS = {
    "phone": "029 5052 000",
    "email": "kirjaamo@tukes.fi",
    "visiting_address": "Opastinsilta 12 B, 00520 Helsinki",
    "postal_address": "PL 66, 00521 Helsinki",
    "website": "https://tukes.fi",
}


def authority_admin(code: str) -> Actor:
    role = OfficialRoleFactory.create(authority_code=code, is_authority_admin=True)
    return Actor(kind=ActorKind.OFFICIAL, ref=f"person:{role.person_id}", on_behalf_of=code)


def administrator() -> Actor:
    person = PersonFactory.create(administrator=True)
    return Actor(kind=ActorKind.ADMINISTRATOR, ref=f"person:{person.pk}")


def test_a_second_person_publishes_a_service_change_as_a_new_version(catalogue):
    first, second = authority_admin("TUKES"), authority_admin("TUKES")
    target = target_for(ChangeTarget.SERVICE, "explosives-storage-permit")
    assert target.authority_code == "TUKES"  # the only authority of the service's kind
    change = catalogue_change_propose(
        actor=first,
        target=target,
        values={
            "processing_time_days": "120",
            "fee_fi": "Tukesin maksuasetuksen mukaan.",
            "fee_sv": "Enligt Tukes avgiftsförordning.",
            "fee_en": "Under the Tukes fee decree.",
            "fee_url": "",
        },
    )
    assert Service.objects.get(code="explosives-storage-permit").processing_time_days is None
    with pytest.raises(ReviewRefused):
        catalogue_change_review(actor=first, change=change, approve=True)
    assert changes_to_review(first) == [] and changes_to_review(second) == [change]

    version = catalogue_change_review(actor=second, change=change, approve=True)

    service = Service.objects.get(code="explosives-storage-permit")
    assert service.processing_time_days == 120
    assert service.fee_en == "Under the Tukes fee decree."
    assert "processing_time_published" not in service.fact_sources
    assert version is not None and version.diff["processing_time_days"] == ["", 120]
    assert version.published_by == second.ref
    change.refresh_from_db()
    assert change.status == ChangeStatus.PUBLISHED
    assert AuditEvent.objects.filter(action="catalogue.change.publish").count() == 1


def test_published_contact_details_are_no_longer_not_found(catalogue):
    change = catalogue_change_propose(
        actor=authority_admin("RESCUE-POHJOIS-SAVO"),
        target=target_for(ChangeTarget.AUTHORITY, "RESCUE-POHJOIS-SAVO"),
        values={"phone": "040 000 0000", "website": "https://pelastustoimi.fi/pohjois-savo"},
    )
    catalogue_change_review(actor=administrator(), change=change, approve=True)
    authority = Authority.objects.get(code="RESCUE-POHJOIS-SAVO")
    assert authority.phone == "040 000 0000"
    assert "phone" not in authority.not_found and "email" in authority.not_found


def test_an_authority_administrator_cannot_edit_another_authoritys_entries(catalogue):
    tukes_admin = authority_admin("TUKES")
    with pytest.raises(Denied):
        catalogue_change_propose(
            actor=tukes_admin,
            target=target_for(ChangeTarget.AUTHORITY, "TRAFICOM"),
            values={"phone": "1"},
        )
    # A service several authorities provide (every municipality's food control) has no
    # single owner: only the service layer may change it.
    with pytest.raises(Denied):
        catalogue_change_propose(
            actor=authority_admin("FOOD-TURKU"),
            target=target_for(ChangeTarget.SERVICE, "mobile-food-sales-notice"),
            values={"processing_time_days": "5"},
        )
    change = catalogue_change_propose(
        actor=authority_admin("TRAFICOM"),
        target=target_for(ChangeTarget.AUTHORITY, "TRAFICOM"),
        values={**CONTACTS, "website": "https://www.traficom.fi/fi/yhteystiedot"},
    )
    with pytest.raises(Denied):
        catalogue_change_review(actor=tukes_admin, change=change, approve=True)
    assert CatalogueVersion.objects.count() == 0


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"email": "not an address"}, "email"),
        ({"website": "http://tukes.fi"}, "website"),
        ({"phone": "1" * 41}, "phone"),
    ],
)
def test_values_breaking_the_loader_rules_are_refused_and_nothing_is_saved(
    catalogue, values, field
):
    with pytest.raises(ChangeInvalid) as refused:
        catalogue_change_propose(
            actor=authority_admin("TUKES"),
            target=target_for(ChangeTarget.AUTHORITY, "TUKES"),
            values={**CONTACTS, **values},
        )
    assert field in refused.value.problems


def test_a_fee_in_one_language_only_is_refused(catalogue):
    with pytest.raises(ChangeInvalid) as refused:
        catalogue_change_propose(
            actor=authority_admin("TUKES"),
            target=target_for(ChangeTarget.SERVICE, "mining-permit"),
            values={"fee_fi": "100 €"},
        )
    assert {"fee_sv", "fee_en"} <= set(refused.value.problems)


def test_two_editors_of_the_same_entry_the_second_is_told_the_difference(catalogue):
    target = target_for(ChangeTarget.AUTHORITY, "TUKES")
    first = catalogue_change_propose(
        actor=authority_admin("TUKES"), target=target, values={**CONTACTS, "phone": "111"}
    )
    second = catalogue_change_propose(
        actor=authority_admin("TUKES"), target=target, values={**CONTACTS, "phone": "222"}
    )
    reviewer = administrator()
    catalogue_change_review(actor=reviewer, change=first, approve=True)
    with pytest.raises(ChangedSinceProposal) as refused:
        catalogue_change_review(actor=reviewer, change=second, approve=True)
    assert refused.value.difference == {"phone": ["029 5052 000", "111"]}
    assert Authority.objects.get(code="TUKES").phone == "111"
    assert CatalogueVersion.objects.count() == 1


def test_a_rejected_change_leaves_the_entry_as_it_was(catalogue):
    change = catalogue_change_propose(
        actor=authority_admin("TUKES"),
        target=target_for(ChangeTarget.AUTHORITY, "TUKES"),
        values={**CONTACTS, "phone": "333"},
    )
    assert catalogue_change_review(actor=administrator(), change=change, approve=False) is None
    assert Authority.objects.get(code="TUKES").phone == "029 5052 000"
    with pytest.raises(ReviewRefused):
        catalogue_change_review(actor=administrator(), change=change, approve=True)


def test_reloading_the_files_keeps_what_was_published_and_reports_it(catalogue):
    from luvat.catalogue.services import catalogue_load

    change = catalogue_change_propose(
        actor=authority_admin("RESCUE-POHJOIS-SAVO"),
        target=target_for(ChangeTarget.AUTHORITY, "RESCUE-POHJOIS-SAVO"),
        values={"phone": "040 000 0000", "website": "https://pelastustoimi.fi/pohjois-savo"},
    )
    catalogue_change_review(actor=administrator(), change=change, approve=True)

    load = catalogue_load(actor=Actor.system("test"))

    authority = Authority.objects.get(code="RESCUE-POHJOIS-SAVO")
    assert authority.phone == "040 000 0000" and "phone" not in authority.not_found
    assert {
        "authority": "RESCUE-POHJOIS-SAVO",
        "field": "phone",
        "kept": "040 000 0000",
        "files": "",
    } in load.summary["conflicts"]
