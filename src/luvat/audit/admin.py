from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from luvat.audit.models import AccessEvent, AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin[AuditEvent]):
    """Read-only: the audit log can be searched but not changed."""

    list_display = [
        "occurred_at",
        "action",
        "actor_kind",
        "actor_label",
        "target_type",
        "target_id",
    ]
    list_filter = ["actor_kind", "action"]
    search_fields = ["action", "actor_ref", "target_id", "request_id", "on_behalf_of"]
    date_hierarchy = "occurred_at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(AccessEvent)
class AccessEventAdmin(admin.ModelAdmin[AccessEvent]):
    """The access log (use and disclosure log), searchable and read-only."""

    list_display = [
        "occurred_at",
        "actor_kind",
        "actor_label",
        "actor_organisation",
        "subject_business_id",
        "object_type",
        "object_id",
        "purpose",
        "outcome",
    ]
    list_filter = ["actor_kind", "outcome", "object_type"]
    search_fields = [
        "subject_business_id",
        "actor_ref",
        "actor_label",
        "actor_organisation",
        "object_id",
        "purpose",
        "request_id",
        "x_road_client",
    ]
    date_hierarchy = "occurred_at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
