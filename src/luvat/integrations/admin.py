"""Admin of the integrations: authority endpoints (with write-only secrets) and their breakers."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from luvat.integrations.endpoints import authority_endpoint_save
from luvat.integrations.models import (
    AuthorityEndpoint,
    ConformanceRun,
    EndpointCircuit,
    InboundEvent,
    OutboxMessage,
    OutboxStatus,
)
from luvat.integrations.outbox_admin import outbox_redeliver
from luvat.web.admin_content import ContentBehindAccessLog, administrator_of

admin_actor = administrator_of


class AuthorityEndpointForm(forms.ModelForm[AuthorityEndpoint]):
    new_signing_secret = forms.CharField(
        label=_("new signing secret"),
        required=False,
        strip=True,
        min_length=24,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
        help_text=_(
            "Shared with the authority's system; signs deliveries and verifies its status "
            "events. Stored encrypted and never shown again. Leave empty to keep the current one."
        ),
    )

    class Meta:
        model = AuthorityEndpoint
        fields = [
            "code",
            "authority_code",
            "name",
            "transport",
            "url",
            "xroad_client",
            "xroad_service",
            "connect_timeout_seconds",
            "read_timeout_seconds",
            "verify_tls",
            "ca_bundle",
            "amqp_exchange",
            "amqp_queue",
            "enabled",
        ]


class CircuitInline(admin.StackedInline[EndpointCircuit, AuthorityEndpoint]):
    model = EndpointCircuit
    can_delete = False
    extra = 0
    readonly_fields = [
        "status",
        "consecutive_failures",
        "opened_at",
        "last_failure",
        "last_failure_at",
        "last_success_at",
    ]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(AuthorityEndpoint)
class AuthorityEndpointAdmin(admin.ModelAdmin[AuthorityEndpoint]):
    form = AuthorityEndpointForm
    inlines = [CircuitInline]
    list_display = [
        "code",
        "authority_code",
        "transport",
        "enabled",
        "circuit_status",
        "has_secret",
        "endpoint_changed_at",
    ]
    list_filter = ["transport", "enabled"]
    search_fields = ["code", "authority_code", "url", "xroad_service"]
    readonly_fields = ["endpoint_changed_at", "created_at", "updated_at"]
    actions = ["close_circuits"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[AuthorityEndpoint]:
        return super().get_queryset(request).select_related("circuit")

    @admin.display(description=_("circuit breaker"))
    def circuit_status(self, obj: AuthorityEndpoint) -> str:
        circuit = getattr(obj, "circuit", None)
        return circuit.status if circuit is not None else "closed"

    @admin.display(description=_("signing secret set"), boolean=True)
    def has_secret(self, obj: AuthorityEndpoint) -> bool:
        return bool(obj.signing_secret_encrypted)

    def save_model(
        self, request: HttpRequest, obj: AuthorityEndpoint, form: Any, change: bool
    ) -> None:
        authority_endpoint_save(
            endpoint=obj,
            actor=admin_actor(request),
            signing_secret=form.cleaned_data.get("new_signing_secret") or None,
        )

    @admin.action(description=_("Close the circuit breaker (resume deliveries now)"))
    def close_circuits(self, request: HttpRequest, queryset: QuerySet[AuthorityEndpoint]) -> None:
        from luvat.integrations.endpoints import circuit_close

        for endpoint in queryset:
            circuit_close(endpoint=endpoint, actor=admin_actor(request))
        self.message_user(request, _("Deliveries resume at once."), messages.SUCCESS)


@admin.register(OutboxMessage)
class OutboxMessageAdmin(ContentBehindAccessLog):
    """What is pending and why, dead letters first to see, and one-click redelivery. The
    envelope only: the payload (whole applications, personal data) is shown by the logged
    "show content" page or action."""

    content_fields = ("payload",)

    list_display = [
        "created_at",
        "kind",
        "authority_code",
        "application_reference",
        "status",
        "attempts",
        "next_attempt_at",
        "short_error",
    ]
    list_filter = ["status", "kind", "authority_code"]
    search_fields = ["message_id", "application_reference", "authority_code", "last_error"]
    date_hierarchy = "created_at"
    actions = ["redeliver", "show_content"]
    readonly_fields = [
        "message_id",
        "kind",
        "authority_code",
        "application",
        "application_reference",
        "status",
        "attempts",
        "next_attempt_at",
        "last_error",
        "created_at",
        "delivered_at",
    ]

    def content_subject(self, obj: OutboxMessage) -> str:
        application = obj.application
        return application.project.business_id if application is not None else ""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.display(description=_("last error"))
    def short_error(self, obj: OutboxMessage) -> str:
        return obj.last_error[:120]

    def changelist_view(self, request: HttpRequest, extra_context: Any = None) -> Any:
        dead = OutboxMessage.objects.filter(status=OutboxStatus.DEAD).count()
        if dead:
            self.message_user(
                request,
                _(
                    "%(count)d message(s) could not be delivered and wait for you: filter by "
                    "status “given up”, fix the cause, then redeliver."
                )
                % {"count": dead},
                messages.WARNING,
            )
        return super().changelist_view(request, extra_context)

    @admin.action(description=_("Redeliver (same message id)"))
    def redeliver(self, request: HttpRequest, queryset: QuerySet[OutboxMessage]) -> None:
        count = 0
        for message in queryset:
            outbox_redeliver(message=message, actor=admin_actor(request))
            count += 1
        self.message_user(
            request, _("%(count)d message(s) queued again.") % {"count": count}, messages.SUCCESS
        )


class ReadOnlyAdmin(admin.ModelAdmin[Any]):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(InboundEvent)
class InboundEventAdmin(ContentBehindAccessLog, ReadOnlyAdmin):
    """An authority system's status events: the envelope; the event's body (notes, decision
    texts) only through the logged "show content" page or action."""

    content_fields = ("body",)

    def content_subject(self, obj: InboundEvent) -> str:
        application = obj.application
        return application.project.business_id if application is not None else ""

    list_display = [
        "received_at",
        "authority_code",
        "event_id",
        "type",
        "occurred_at",
        "outcome",
        "status_after",
        "case_reference",
    ]
    list_filter = ["type", "outcome", "authority_code", "transport"]
    search_fields = ["event_id", "case_reference", "authority_code"]


@admin.register(ConformanceRun)
class ConformanceRunAdmin(ReadOnlyAdmin):
    list_display = ["started_at", "authority_code", "transport", "endpoint_url", "passed"]
    list_filter = ["passed", "transport", "authority_code"]
