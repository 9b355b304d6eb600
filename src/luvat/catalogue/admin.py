"""The catalogue in the admin: maintainers correct what the data files loaded."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from luvat.catalogue.models import (
    Authority,
    AuthorityStatus,
    CatalogueChange,
    CatalogueLoad,
    CatalogueVersion,
    Municipality,
    Service,
    ServicePackage,
    VocabularyField,
)


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin[Municipality]):
    list_display = ("code", "name_fi", "name_sv")
    search_fields = ("code", "name_fi", "name_sv")


class AuthorityStatusInline(admin.TabularInline[AuthorityStatus, Authority]):
    model = AuthorityStatus
    extra = 0
    fields = ("code", "public_status", "label_fi", "label_sv", "label_en", "origin")


@admin.register(Authority)
class AuthorityAdmin(admin.ModelAdmin[Authority]):
    inlines = (AuthorityStatusInline,)
    list_display = ("code", "name_fi", "kind", "nationwide", "valid_from", "valid_until", "origin")
    list_filter = ("kind", "nationwide", "origin")
    search_fields = ("code", "name_fi", "name_sv", "name_en")
    filter_horizontal = ("municipalities",)
    raw_id_fields = ("successor",)


@admin.register(Service)
class ServiceAdmin(admin.ModelAdmin[Service]):
    list_display = ("code", "name_fi", "kind", "authority_kind", "lead_time_days", "active")
    list_filter = ("kind", "authority_kind", "joining_mode", "active", "origin")
    search_fields = ("code", "name_fi", "name_sv", "name_en", "legal_basis")
    filter_horizontal = ("depends_on",)


@admin.register(VocabularyField)
class VocabularyFieldAdmin(admin.ModelAdmin[VocabularyField]):
    list_display = ("code", "group", "type", "label_fi", "personal_data")
    list_filter = ("group", "type")


@admin.register(ServicePackage)
class ServicePackageAdmin(admin.ModelAdmin[ServicePackage]):
    list_display = ("code", "name_fi", "order", "active")
    filter_horizontal = ("services",)


@admin.register(CatalogueLoad)
class CatalogueLoadAdmin(admin.ModelAdmin[CatalogueLoad]):
    list_display = ("loaded_at", "checksum", "source")
    readonly_fields = ("loaded_at", "source", "checksum", "summary")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


class _ReadOnly(admin.ModelAdmin):  # type: ignore[type-arg]
    """Changes and versions are written only by catalogue/editing.py."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(CatalogueChange)
class CatalogueChangeAdmin(_ReadOnly):
    list_display = ("proposed_at", "target_type", "target_code", "authority_code", "status")
    list_filter = ("status", "target_type")


@admin.register(CatalogueVersion)
class CatalogueVersionAdmin(_ReadOnly):
    list_display = ("number", "published_at", "published_by", "change")
