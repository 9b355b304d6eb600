"""Onboarding: authorities' joining records, the go-live checklist and planning helpers."""

from luvat.onboarding.models.checklist import ChecklistItem, ItemState, StandardItem
from luvat.onboarding.models.joinings import (
    Joining,
    JoiningRole,
    ModeChange,
    PhaseChange,
    PilotCompany,
    RoleKind,
    ServiceJoining,
    mode_at,
)
from luvat.onboarding.models.planning import (
    CostBenefitKind,
    CostBenefitLine,
    Level,
    Metric,
    MetricBaseline,
    PilotFeedback,
    RespondentKind,
    Risk,
)

__all__ = [
    "ChecklistItem",
    "CostBenefitKind",
    "CostBenefitLine",
    "ItemState",
    "Joining",
    "JoiningRole",
    "Level",
    "Metric",
    "MetricBaseline",
    "ModeChange",
    "PhaseChange",
    "PilotCompany",
    "PilotFeedback",
    "RespondentKind",
    "Risk",
    "RoleKind",
    "ServiceJoining",
    "StandardItem",
    "mode_at",
]
