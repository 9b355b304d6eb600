from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from luvat.audit.models import AuditEvent


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
