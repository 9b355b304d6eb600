"""Writes of the projects app: one typed, audited, atomic function per action."""

from luvat.projects.services.applications import (
    application_add,
    application_applied_elsewhere,
    application_drop,
    application_redirect_record,
    application_save_form,
    application_status_change,
    application_submit,
    application_submit_once,
)
from luvat.projects.services.attachments import attachment_add, attachment_remove
from luvat.projects.services.from_assessment import project_create_from_assessment
from luvat.projects.services.projects import (
    project_create,
    shared_data_change_propagate,
    shared_data_set,
)

__all__ = [
    "application_add",
    "application_applied_elsewhere",
    "application_drop",
    "application_redirect_record",
    "application_save_form",
    "application_status_change",
    "application_submit",
    "application_submit_once",
    "attachment_add",
    "attachment_remove",
    "project_create",
    "project_create_from_assessment",
    "shared_data_change_propagate",
    "shared_data_set",
]
