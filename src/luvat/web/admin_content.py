"""Administrators see envelopes, not customers' content, unless they ask and it is logged.

An admin that holds customers' content (a message payload to an authority system, an event's
body) mixes in :class:`ContentBehindAccessLog` and names the fields: its list, change page and
search never show them; the change page links to a "show content" page, and the "Show
content" action does the same for the selected rows. Each showing writes one access-log entry
per object naming the administrator and the object, in the company's log when the object is a
company's (``content_subject``).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from luvat.audit.actors import Actor, ActorKind
from luvat.audit.services import access_record


def administrator_of(request: HttpRequest) -> Actor:
    """The administrator using the admin site (its Django user)."""
    user = request.user
    return Actor(
        kind=ActorKind.ADMINISTRATOR,
        ref=f"user:{user.pk}",
        label=str(getattr(user, "username", "") or user.pk),
    )


class ContentBehindAccessLog(admin.ModelAdmin):  # type: ignore[type-arg]
    """Keep ``content_fields`` off every admin page but the logged "show content" page."""

    content_fields: Sequence[str] = ()
    actions = ["show_content"]

    def content_subject(self, obj: Any) -> str:
        """The business ID of the company whose content ``obj`` holds ("" if none)."""
        return ""

    def content_object_type(self) -> str:
        return f"{self.model._meta.app_label}.{self.model._meta.model_name}"

    # -- the envelope only ----------------------------------------------------------------

    def get_fields(self, request: HttpRequest, obj: Any = None) -> list[Any]:
        hidden = {*self.content_fields, "show_content_link"}
        fields = [f for f in super().get_fields(request, obj) if f not in hidden]
        return [*fields, "show_content_link"] if obj is not None else fields

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        fields = super().get_readonly_fields(request, obj)
        return [*(f for f in fields if f not in self.content_fields), "show_content_link"]

    def get_exclude(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [*(super().get_exclude(request, obj) or ()), *self.content_fields]

    def get_list_display(self, request: HttpRequest) -> list[Any]:
        return [f for f in super().get_list_display(request) if f not in self.content_fields]

    def get_search_fields(self, request: HttpRequest) -> list[str]:
        return [
            f
            for f in super().get_search_fields(request)
            if f.lstrip("^=@").split("__")[0] not in self.content_fields
        ]

    @admin.display(description=_("content"))
    def show_content_link(self, obj: Model) -> str:
        info = (self.model._meta.app_label, self.model._meta.model_name)
        url = reverse("admin:{}_{}_content".format(*info), args=[obj.pk])
        return format_html(
            '<a href="{}">{}</a> ({})',
            url,
            _("Show content"),
            _("the showing is written to the access log"),
        )

    # -- the logged showing ---------------------------------------------------------------

    def get_urls(self) -> list[URLPattern]:
        info = (self.model._meta.app_label, self.model._meta.model_name)
        own = [
            path(
                "<path:object_id>/content/",
                self.admin_site.admin_view(self.content_view),
                name="{}_{}_content".format(*info),
            )
        ]
        return own + super().get_urls()  # type: ignore[return-value]

    def content_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        obj = self.get_object(request, object_id)
        if obj is None:
            raise Http404("no such object")
        if not self.has_view_permission(request, obj):
            raise PermissionDenied
        return self._show(request, [obj])

    @admin.action(description=_("Show content (written to the access log)"))
    def show_content(self, request: HttpRequest, queryset: QuerySet[Any]) -> HttpResponse:
        return self._show(request, list(queryset))

    def _show(self, request: HttpRequest, objects: list[Any]) -> HttpResponse:
        actor = administrator_of(request)
        shown = []
        for obj in objects:
            access_record(
                actor=actor,
                object_type=self.content_object_type(),
                object_id=obj.pk,
                purpose=f"admin:{self.content_object_type()}.show-content",
                subject_business_id=self.content_subject(obj),
            )
            shown.append(
                {
                    "object": obj,
                    "fields": [
                        (
                            self.model._meta.get_field(name).verbose_name,
                            json.dumps(
                                getattr(obj, name), indent=2, ensure_ascii=False, default=str
                            ),
                        )
                        for name in self.content_fields
                    ],
                }
            )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Content"),
            "shown": shown,
        }
        return TemplateResponse(request, "web/admin_content.html", context)
