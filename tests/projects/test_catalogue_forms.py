"""Every service of the shipped catalogue renders as an application form, in every language,
with its shared fields marked and its attachment types named in the page's language; an empty
form names every required field on submit."""

from __future__ import annotations

import pytest
from django.utils.html import escape

from luvat.audit.actors import Actor, ActorKind
from luvat.catalogue.models import Service
from luvat.projects.schema_forms import validate_form
from luvat.projects.services import project_create
from luvat.projects.services.applications import submission_problems
from luvat.projects.services.attachments import attachment_name
from tests.identity.factories import FESTIVAALI, LocalMandateFactory
from tests.identity.helpers import act_for_company

ACTOR = Actor(kind=ActorKind.CUSTOMER, ref="person:0", label="Test", on_behalf_of=FESTIVAALI)


def test_catalogue_attachment_types_are_named_in_three_languages(catalogue):
    """The catalogue files write ``name: {fi, sv, en}``; the loader stores ``name_<lang>``."""
    specs = [
        (service.code, spec)
        for service in Service.objects.all()
        for spec in service.attachments or []
    ]
    assert specs, "the shipped catalogue has attachment types"
    for code, spec in specs:
        for language in ("fi", "sv", "en"):
            assert spec[f"name_{language}"], (code, language)
            assert attachment_name(spec, language) == spec[f"name_{language}"]
    nested = {"code": "x", "name": {"fi": "Kartta", "sv": "Karta", "en": "Map"}}
    assert attachment_name(nested, "sv") == "Karta"


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_every_catalogue_form_renders(client, catalogue, language):
    act_for_company(client, LocalMandateFactory.create(business_id=FESTIVAALI).person, FESTIVAALI)
    services = list(Service.objects.order_by("code"))
    assert len(services) > 40
    project = project_create(
        actor=ACTOR,
        business_id=FESTIVAALI,
        name="Kaikki lomakkeet",
        services=services,
        shared_data={"site_municipality": "091"},
    )
    applications = project.applications.select_related("service").order_by("id")
    for application in applications:
        service = application.service
        url = f"/{language}/projects/{project.public_id}/applications/{application.public_id}/"
        page = client.get(url)
        assert page.status_code == 200, service.code
        html = page.text
        schema = service.form_schema or {}
        mapping = service.shared_data_mapping or {}
        for name in schema.get("properties", {}):
            if service.joining_mode == "redirect" and name not in mapping:
                continue  # the authority's own e-service asks the rest
            assert f'id="field-{name}"' in html, (service.code, name)
            prop = schema["properties"][name]
            label = prop["title"] if language == "fi" else prop[f"title_{language}"]
            assert escape(label) in html, (service.code, name, language)
        if service.joining_mode == "redirect":
            assert f"/applications/{application.public_id}/redirect/" in html, service.code
            continue
        for spec in service.attachments or []:
            assert spec[f"name_{language}"] in html, (service.code, spec["code"])


def test_an_empty_catalogue_form_names_every_required_field(catalogue):
    services = list(Service.objects.filter(joining_mode="light").order_by("code"))
    project = project_create(actor=ACTOR, business_id=FESTIVAALI, name="Tyhjät", services=services)
    for application in project.applications.select_related("service", "authority"):
        schema = application.service.form_schema or {}
        required = set(schema.get("required") or [])
        assert set(validate_form(schema, {})) == required, application.service.code
        problems = submission_problems(application, {})
        expected = required | {
            f"attachment:{spec['code']}"
            for spec in application.service.attachments or []
            if spec.get("required")
        }
        assert expected <= set(problems), application.service.code


def test_a_label_without_a_translation_falls_back_to_finnish_marked_as_finnish():
    from django.utils import translation

    from luvat.projects.schema_forms import form_fields

    schema = {
        "type": "object",
        "properties": {
            "a": {"type": "string", "title": "Järjestäjä", "title_sv": "Arrangör"},
            "b": {"type": "string", "title": "Melulähde"},
        },
    }
    with translation.override("sv"):
        a, b = form_fields(schema, mapping={}, data={})
    assert (a.label, a.label_lang) == ("Arrangör", "")
    assert (b.label, b.label_lang) == ("Melulähde", "fi")
    with translation.override("fi"):
        assert form_fields(schema, mapping={}, data={})[1].label_lang == ""
