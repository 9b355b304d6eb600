"""``request.actor`` is typed: the door sets it on every request that passed it, and views are
annotated with ``ActorRequest`` so that mypy checks their use of it (no ``type: ignore``)."""

from __future__ import annotations

import re
import typing
from pathlib import Path

import pytest
from django.http import HttpResponse
from django.test import RequestFactory

from luvat.audit.actors import Actor, ActorKind
from luvat.identity.door import ActorRequest, require_actor

SRC = Path(__file__).resolve().parents[2] / "src" / "luvat"
UNTYPED = re.compile(r"request\.actor\b.*# type: ignore")


def test_the_actor_attribute_is_declared():
    assert typing.get_type_hints(ActorRequest)["actor"] is Actor


def test_no_view_reads_the_actor_past_the_type_checker():
    untyped = [
        f"{path.relative_to(SRC)}:{number}"
        for path in sorted(SRC.rglob("*.py"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if UNTYPED.search(line)
    ]
    assert untyped == []


@pytest.mark.django_db
def test_the_decorator_hands_the_view_the_actor(django_user_model):
    seen: list[Actor] = []

    @require_actor(ActorKind.ADMINISTRATOR)
    def view(request: ActorRequest) -> HttpResponse:
        seen.append(request.actor)
        return HttpResponse("ok")

    request = RequestFactory().get("/")
    request.user = django_user_model.objects.create_user("admin", is_staff=True)
    request.session = {}  # type: ignore[assignment]
    # Django's URL dispatch passes the plain request; the decorator makes it an ActorRequest.
    assert view(typing.cast(ActorRequest, request)).status_code == 200
    assert [actor.kind for actor in seen] == [ActorKind.ADMINISTRATOR]
