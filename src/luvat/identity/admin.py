"""Admin of people, roles, stand-in mandates and API clients. Changes go through the services
so that they are audited like any other change."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _

from luvat.audit.services import access_record, audit_record
from luvat.identity.door import actor_from_request
from luvat.identity.forms import PersonAdminForm, national_id_digest_or_none
from luvat.identity.models import ApiClient, ApiKey, LocalMandate, OfficialRole, Person
from luvat.identity.services import (
    api_key_issue,
    api_key_revoke,
    mandate_revoke,
    person_account_create,
)


class OfficialRoleInline(admin.TabularInline[OfficialRole, Person]):
    model = OfficialRole
    extra = 0
    fields = ["authority_code", "service_codes", "is_authority_admin", "source"]


class LocalMandateInline(admin.TabularInline[LocalMandate, Person]):
    model = LocalMandate
    extra = 0
    fields = ["business_id", "company_name", "role", "revoked_at"]


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin[Person]):
    form = PersonAdminForm
    list_display = ["__str__", "email", "last_login_method", "is_service_admin", "demo_key"]
    list_filter = ["last_login_method", "is_service_admin"]
    search_fields = ["given_name", "family_name", "email", "virtu_id", "demo_key"]
    readonly_fields = [
        "user",
        "national_id_digest",
        "virtu_id",
        "last_login_method",
        "last_level_of_assurance",
        "created_at",
    ]
    inlines = [OfficialRoleInline, LocalMandateInline]

    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        access_record(
            actor=actor_from_request(request),
            object_type="identity.person",
            object_id="list",
            purpose="admin:identity.person.changelist",
        )
        return super().changelist_view(request, extra_context)

    def save_model(self, request: HttpRequest, obj: Person, form: Any, change: bool) -> None:
        # A person can be registered before their first log-in (e.g. to grant an official role);
        # they get an account without a password, used only through strong log-in.
        if not change:
            obj.user = person_account_create()
        super().save_model(request, obj, form, change)
        audit_record(
            actor=actor_from_request(request),
            action="person.change" if change else "person.create",
            target=obj,
            details={"fields": sorted(form.changed_data)},
        )

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[Person], search_term: str
    ) -> tuple[QuerySet[Person], bool]:
        digest = national_id_digest_or_none(search_term)
        if digest:
            return queryset.filter(national_id_digest=digest), False
        return super().get_search_results(request, queryset, search_term)

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        # Opening a person is a read of personal data: it goes to the access log.
        access_record(
            actor=actor_from_request(request),
            object_type="identity.person",
            object_id=object_id,
            subject_person_ref=f"person:{object_id}",
            purpose="admin:identity.person.change",
        )
        return super().change_view(request, object_id, form_url, extra_context)


@admin.register(LocalMandate)
class LocalMandateAdmin(admin.ModelAdmin[LocalMandate]):
    list_display = ["person", "business_id", "company_name", "role", "revoked_at"]
    list_filter = ["role"]
    search_fields = ["business_id", "company_name", "person__family_name"]
    autocomplete_fields = ["person"]
    actions = ["revoke"]

    @admin.action(description=_("Revoke the selected mandates"))
    def revoke(self, request: HttpRequest, queryset: QuerySet[LocalMandate]) -> None:
        actor = actor_from_request(request)
        for mandate in queryset:
            mandate_revoke(mandate=mandate, actor=actor)


@admin.register(OfficialRole)
class OfficialRoleAdmin(admin.ModelAdmin[OfficialRole]):
    list_display = ["person", "authority_code", "is_authority_admin", "source"]
    list_filter = ["authority_code", "is_authority_admin", "source"]
    search_fields = ["authority_code", "person__family_name"]
    autocomplete_fields = ["person"]


class ApiKeyInline(admin.TabularInline[ApiKey, ApiClient]):
    model = ApiKey
    extra = 0
    can_delete = False
    fields = ["key_id", "created_at", "expires_at", "revoked_at", "last_used_at"]
    readonly_fields = ["key_id", "created_at", "expires_at", "revoked_at", "last_used_at"]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(ApiClient)
class ApiClientAdmin(admin.ModelAdmin[ApiClient]):
    list_display = ["name", "authority_code", "is_active", "created_at"]
    list_filter = ["authority_code", "is_active"]
    search_fields = ["name", "authority_code"]
    inlines = [ApiKeyInline]
    actions = ["issue_key", "revoke_keys"]

    @admin.action(description=_("Issue a new API key (older keys stay valid for 7 days)"))
    def issue_key(self, request: HttpRequest, queryset: QuerySet[ApiClient]) -> None:
        actor = actor_from_request(request)
        for client in queryset:
            issued = api_key_issue(client=client, actor=actor)
            messages.warning(
                request,
                _("New key for %(client)s, shown only now: %(token)s")
                % {"client": client, "token": issued.token},
            )

    @admin.action(description=_("Revoke every key of the selected clients now"))
    def revoke_keys(self, request: HttpRequest, queryset: QuerySet[ApiClient]) -> None:
        actor = actor_from_request(request)
        for key in ApiKey.objects.filter(client__in=queryset, revoked_at__isnull=True):
            api_key_revoke(key=key, actor=actor)
