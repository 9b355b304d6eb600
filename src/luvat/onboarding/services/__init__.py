"""Onboarding's writes; every function records who did it in the audit log."""

from luvat.onboarding.services.checklist import (
    checklist_item_add,
    checklist_item_update,
)
from luvat.onboarding.services.joinings import (
    joining_create,
    joining_move,
    joining_update,
    pilot_company_add,
    pilot_company_remove,
    role_add,
    role_remove,
    service_joining_add,
    service_joining_move,
    service_joining_schedule_mode,
)
from luvat.onboarding.services.planning import (
    baseline_set,
    cost_benefit_add,
    cost_benefit_remove,
    pilot_feedback_give,
    risk_add,
    risk_update,
)

__all__ = [
    "baseline_set",
    "checklist_item_add",
    "checklist_item_update",
    "cost_benefit_add",
    "cost_benefit_remove",
    "joining_create",
    "joining_move",
    "joining_update",
    "pilot_company_add",
    "pilot_company_remove",
    "pilot_feedback_give",
    "risk_add",
    "risk_update",
    "role_add",
    "role_remove",
    "service_joining_add",
    "service_joining_move",
    "service_joining_schedule_mode",
]
