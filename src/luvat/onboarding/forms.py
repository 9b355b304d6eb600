"""Forms of onboarding's pages: they parse input; the service functions decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from luvat.catalogue.models import JoiningMode, PublicStatus
from luvat.onboarding.models import (
    CostBenefitKind,
    ItemState,
    Level,
    Metric,
    RoleKind,
)
from luvat.web.forms.dates import DateInputField

# GOV.UK Frontend classes of each kind of input (text boxes sized to their content).
_GOVUK_CLASSES: dict[type[forms.Widget], str] = {
    forms.RadioSelect: "govuk-radios__input",
    forms.CheckboxInput: "govuk-checkboxes__input",
    forms.Select: "govuk-select",
    forms.Textarea: "govuk-textarea",
    forms.NumberInput: "govuk-input govuk-input--width-5",
    forms.EmailInput: "govuk-input govuk-input--width-30",
    forms.TextInput: "govuk-input govuk-!-width-three-quarters",
}


class OnboardingForm(forms.Form):
    """GOV.UK classes on every input; marks fields with errors invalid for assistive
    technology."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            for kind, classes in _GOVUK_CLASSES.items():
                if isinstance(field.widget, kind):
                    field.widget.attrs.setdefault("class", classes)
                    break

    def mark_invalid(self) -> None:
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                widget.attrs["aria-invalid"] = "true"
                widget.attrs["aria-describedby"] = f"{name}-error"


class JoiningCreateForm(OnboardingForm):
    authority = forms.ChoiceField(label=_("Authority"))

    def __init__(self, *args: Any, authorities: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["authority"].choices = [("", "—"), *authorities]  # type: ignore[attr-defined]


class JoiningForm(OnboardingForm):
    decided_on = DateInputField(label=_("Joining decided on"), required=False)
    planned_go_live_on = DateInputField(label=_("Planned go-live"), required=False)
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class PhaseForm(OnboardingForm):
    phase = forms.ChoiceField(label=_("Move to phase"))
    note = forms.CharField(label=_("Note"), required=False, max_length=2000)

    def __init__(self, *args: Any, targets: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["phase"].choices = targets  # type: ignore[attr-defined]


class ServiceJoiningAddForm(OnboardingForm):
    service = forms.ChoiceField(label=_("Service"))
    mode = forms.ChoiceField(label=_("Joining mode"), choices=JoiningMode.choices)

    def __init__(self, *args: Any, services: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["service"].choices = [("", "—"), *services]  # type: ignore[attr-defined]


class ModeChangeForm(OnboardingForm):
    mode = forms.ChoiceField(label=_("New joining mode"), choices=JoiningMode.choices)
    effective_on = DateInputField(
        label=_("In force from"),
        help_text=_("Applications started before this keep their current route until closed."),
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=2000)


class PilotCompanyForm(OnboardingForm):
    business_id = forms.CharField(label=_("Business ID"), max_length=20)
    company_name = forms.CharField(label=_("Company name"), max_length=300, required=False)


class RoleForm(OnboardingForm):
    kind = forms.ChoiceField(label=_("Role"), choices=RoleKind.choices)
    name = forms.CharField(label=_("Name"), max_length=200)
    email = forms.EmailField(label=_("E-mail"), required=False)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    reserved_from = DateInputField(label=_("Time reserved from"), required=False)
    reserved_until = DateInputField(label=_("Time reserved until"), required=False)


class ChecklistItemForm(OnboardingForm):
    owner = forms.CharField(label=_("Owner"), max_length=200, required=False)
    state = forms.ChoiceField(label=_("State"), choices=ItemState.choices)
    evidence_note = forms.CharField(
        label=_("Evidence"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    evidence_link = forms.URLField(
        label=_("Evidence link"), required=False, max_length=500, assume_scheme="https"
    )
    evidence_file = forms.FileField(
        label=_("Evidence file"),
        required=False,
        help_text=_("PDF, image, office document or text, at most 20 MB."),
    )
    remove_file = forms.BooleanField(label=_("Remove the stored file"), required=False)
    done_on = DateInputField(label=_("Date"), required=False)


class OwnItemForm(OnboardingForm):
    title = forms.CharField(label=_("Item"), max_length=300)
    service_joining = forms.ChoiceField(label=_("Concerns"), required=False)
    mandatory = forms.BooleanField(label=_("Mandatory for go-live"), required=False, initial=True)
    owner = forms.CharField(label=_("Owner"), max_length=200, required=False)

    def __init__(self, *args: Any, services: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["service_joining"].choices = [("", _("every service")), *services]  # type: ignore[attr-defined]


class BaselineForm(OnboardingForm):
    metric = forms.ChoiceField(label=_("Metric"), choices=Metric.choices)
    value = forms.DecimalField(label=_("Before (baseline)"), max_digits=12, decimal_places=2)
    target = forms.DecimalField(label=_("Target"), max_digits=12, decimal_places=2, required=False)
    source = forms.CharField(label=_("How it was measured"), max_length=300, required=False)


class CostBenefitForm(OnboardingForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=CostBenefitKind.choices)
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    description = forms.CharField(label=_("Description"), max_length=300)
    amount_eur = forms.DecimalField(label=_("Amount (EUR)"), max_digits=12, decimal_places=2)
    metric = forms.ChoiceField(
        label=_("Measured by"), choices=[("", "—"), *Metric.choices], required=False
    )
    expected_value = forms.DecimalField(
        label=_("Expected value of the metric"), max_digits=12, decimal_places=2, required=False
    )


class RiskForm(OnboardingForm):
    title = forms.CharField(label=_("Risk"), max_length=300)
    likelihood = forms.TypedChoiceField(label=_("Likelihood"), choices=Level.choices, coerce=int)
    impact = forms.TypedChoiceField(label=_("Impact"), choices=Level.choices, coerce=int)
    mitigation = forms.CharField(
        label=_("Mitigation"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    owner = forms.CharField(label=_("Owner"), max_length=200, required=False)
    review_on = DateInputField(label=_("Next review"), required=False)
    production_phase = forms.BooleanField(label=_("Concerns the production phase"), required=False)
    closed = forms.BooleanField(label=_("Closed"), required=False)


class FeedbackForm(OnboardingForm):
    rating = forms.TypedChoiceField(
        label=_("Overall, how well did the service work?"),
        choices=Level.choices,
        coerce=int,
        widget=forms.RadioSelect,
    )
    worked_well = forms.CharField(
        label=_("What worked well?"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    to_improve = forms.CharField(
        label=_("What should be improved?"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class MetricsFilterForm(OnboardingForm):
    service = forms.ChoiceField(label=_("Service"), required=False)
    start = DateInputField(label=_("From"), required=False)
    end = DateInputField(label=_("To"), required=False)

    def __init__(self, *args: Any, services: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["service"].choices = [("", _("all services")), *services]  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", _("The end cannot be before the start."))
        return data


class AuthorityStatusForm(OnboardingForm):
    """One of the authority's own statuses (luvat.catalogue.statuses checks it)."""

    code = forms.CharField(label=_("Code"), max_length=60)
    public_status = forms.ChoiceField(
        label=_("Public status it stands for"), choices=PublicStatus.choices
    )
    label_fi = forms.CharField(label=_("Label in Finnish"), max_length=200)
    label_sv = forms.CharField(label=_("Label in Swedish"), max_length=200, required=False)
    label_en = forms.CharField(label=_("Label in English"), max_length=200, required=False)
