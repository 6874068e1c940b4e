"""The conduct complaint pages' forms, rendered by crispy-forms-gds in the GOV.UK style.

Forms check only what was typed (a real date, a choice from the list); every rule about
complaints lives in complaints.conduct.services, whose ``ValidationError`` the views put back
on the form (``complaints.forms.add_service_errors``). Choices of people, routes and officers
come from the viewer's council through the selectors, passed in by the views.
"""

from __future__ import annotations

from crispy_forms_gds.layout import HTML, Field, Fieldset, Fluid, Size
from django import forms

from core.forms import VersionedActionForm, form_helper, search_button, submit_button
from core.widgets import LongSelect
from council.forms import GovukDateField

from .choices import (
    DECISION_OUTCOMES,
    ComplaintCategory,
    ComplaintStatus,
    OwnerRule,
    ProtectedCharacteristic,
    RouteKind,
    StageOutcome,
)

INCIDENT_SLOTS = 3


class RaiseConcernForm(forms.Form):
    """Raise a concern about a member or an officer, in plain words (issue 6)."""

    subject = forms.ChoiceField(
        widget=LongSelect,
        label="Who is your concern about?",
        help_text="Choose the councillor or member of staff.",
        error_messages={
            "required": "Select who your concern is about",
            "invalid_choice": "Select who your concern is about from the list",
        },
    )
    categories = forms.MultipleChoiceField(
        label="What kind of behaviour was it?",
        help_text="Select all that apply.",
        choices=ComplaintCategory.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Select at least one kind of behaviour"},
    )
    protected_characteristic = forms.ChoiceField(
        label="If it was discrimination, what was it about?",
        help_text="The protected characteristics of the Equality Act 2010.",
        required=False,
        choices=[("", "Not discrimination"), *ProtectedCharacteristic.choices],
    )
    description = forms.CharField(
        label="What happened?",
        help_text="In your own words. Only the people handling your concern will read it.",
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": "Enter what happened"},
    )

    def __init__(self, data=None, *, people, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["subject"].choices = [("", "Choose a person"), *people]
        incident_fields = []
        for slot in range(1, INCIDENT_SLOTS + 1):
            optional = "" if slot == 1 else " (optional)"
            self.fields[f"incident_{slot}_date"] = GovukDateField(
                name_in_errors=f"date of incident {slot}",
                label=f"Date of incident {slot}{optional}",
                help_text="For example, 16 11 2026",
                required=slot == 1,
            )
            self.fields[f"incident_{slot}_description"] = forms.CharField(
                label=f"What happened on that day{optional}",
                required=False,
                widget=forms.Textarea(attrs={"rows": 3}),
            )
            incident_fields.append(
                Fieldset(
                    Field(
                        f"incident_{slot}_date",
                        context={"legend_size": Size.for_legend(Size.SMALL)},
                    ),
                    Field.textarea(f"incident_{slot}_description"),
                    legend=f"Incident {slot}",
                    legend_size=Size.SMALL,
                )
            )
        self.helper = form_helper(
            Field.select("subject", label_size=Size.SMALL),
            Field.checkboxes("categories", legend_size=Size.SMALL, small=True),
            Field.select("protected_characteristic", label_size=Size.SMALL),
            Field.textarea("description", label_size=Size.SMALL),
            HTML(
                '<h2 class="govuk-heading-m">When did it happen?</h2>'
                '<p class="govuk-body">Give each occasion separately. Harassment means '
                "behaviour on at least two occasions.</p>"
            ),
            *incident_fields,
            submit_button("Send your concern"),
        )

    def clean(self):
        data = super().clean()
        for slot in range(1, INCIDENT_SLOTS + 1):
            day = data.get(f"incident_{slot}_date")
            text = (data.get(f"incident_{slot}_description") or "").strip()
            if day and not text:
                self.add_error(
                    f"incident_{slot}_description", f"Enter what happened on incident {slot}'s date"
                )
            if text and not day and f"incident_{slot}_date" not in self.errors:
                self.add_error(f"incident_{slot}_date", f"Enter the date of incident {slot}")
        return data

    def subject_reference(self) -> tuple[str, str]:
        kind, _, pk = self.cleaned_data["subject"].partition(":")
        return kind, pk

    def incidents(self) -> list[dict]:
        found = []
        for slot in range(1, INCIDENT_SLOTS + 1):
            day = self.cleaned_data.get(f"incident_{slot}_date")
            if day:
                found.append(
                    {
                        "occurred_on": day,
                        "description": self.cleaned_data.get(f"incident_{slot}_description", ""),
                    }
                )
        return found

    SERVICE_FIELDS = {
        **{f"incidents.{slot - 1}.occurred_on": f"incident_{slot}_date" for slot in range(1, 4)},
        **{
            f"incidents.{slot - 1}.description": f"incident_{slot}_description"
            for slot in range(1, 4)
        },
    }


class DashboardFilterForm(forms.Form):
    """The triage dashboard's filters: a GET form, so a view can be bookmarked."""

    category = forms.ChoiceField(
        label="Kind of behaviour",
        required=False,
        choices=[("", "Any"), *ComplaintCategory.choices],
    )
    status = forms.ChoiceField(
        label="Status", required=False, choices=[("", "Any status"), *ComplaintStatus.choices]
    )
    route = forms.ChoiceField(
        label="Who complained about whom",
        required=False,
        choices=[("", "Any"), *RouteKind.choices],
    )

    def __init__(self, data=None, **kwargs):
        super().__init__(data, **kwargs)
        self.helper = form_helper(
            Field.select("category", label_size=Size.SMALL),
            Field.select("status", label_size=Size.SMALL),
            Field.select("route", label_size=Size.SMALL),
            search_button(),
            method="get",
        )

    def filters(self) -> dict:
        if not self.is_bound or not self.is_valid():
            return {}
        data = self.cleaned_data
        return {
            "category": data.get("category") or None,
            "status": data.get("status") or None,
            "route_kind": data.get("route") or None,
        }


# Actions on one complaint -------------------------------------------------------------------


class ComplaintActionForm(VersionedActionForm):
    """One action on the complaint page (core.forms.VersionedActionForm); its fields in the
    GOV.UK sizes of the complaint page."""

    def __init__(self, data=None, *, complaint, url: str, files=None, extra=None, **kwargs):
        self.complaint = complaint
        super().__init__(data, files, record=complaint, url=url, extra=extra, **kwargs)

    def form_prefix(self) -> str:
        return self.action.replace("_", "-")

    def layout_for(self, name: str):
        field = self.fields[name]
        if isinstance(field.widget, forms.Textarea):
            return Field.textarea(name, label_size=Size.SMALL)
        if isinstance(field.widget, forms.RadioSelect):
            return Field.radios(name, legend_size=Size.SMALL, small=True)
        if isinstance(field.widget, forms.Select):
            return Field.select(name, label_size=Size.SMALL)
        if isinstance(field.widget, forms.ClearableFileInput):
            return Field(name)
        return Field.text(name, label_size=Size.SMALL, field_width=Fluid.TWO_THIRDS)


class EscalateForm(ComplaintActionForm):
    action = "escalate"
    title = "Escalate to the next stage"
    button = "Escalate"
    secondary = True
    reason = forms.CharField(
        label="Why should it go to the next stage?",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter why it should go to the next stage"},
    )

    def service_arguments(self):
        return {"reason": self.cleaned_data["reason"]}


class RerouteForm(ComplaintActionForm):
    action = "reroute"
    title = "Re-route"
    button = "Re-route"
    secondary = True
    route = forms.ModelChoiceField(
        label="New route",
        queryset=None,
        empty_label="Choose a route",
        error_messages={
            "required": "Select the new route",
            "invalid_choice": "Select the new route",
        },
    )
    reason = forms.CharField(
        label="Why re-route it?",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter why you are re-routing it"},
    )

    def setup(self, routes=None, **extra):
        self.fields["route"].queryset = routes

    def service_arguments(self):
        return {"route": self.cleaned_data["route"], "reason": self.cleaned_data["reason"]}


class ResolveForm(ComplaintActionForm):
    action = "resolve"
    title = "Decide at this stage"
    button = "Record the outcome"
    outcome = forms.ChoiceField(
        label="Outcome",
        widget=forms.RadioSelect,
        choices=StageOutcome.choices,
        error_messages={"required": "Select the outcome"},
    )
    note = forms.CharField(
        label="What was decided, and why (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def setup(self, **extra):
        stage = self.complaint.current_stage
        allowed = stage.route_stage.allowed_outcomes if stage is not None else []
        self.fields["outcome"].choices = [
            (value, label) for value, label in StageOutcome.choices if value in allowed
        ]

    def service_arguments(self):
        return {"outcome": self.cleaned_data["outcome"], "note": self.cleaned_data["note"]}


class CiteForm(ComplaintActionForm):
    action = "cite"
    title = "Cite protocol clauses"
    button = "Cite clauses"
    secondary = True
    numbers = forms.CharField(
        label="Clause numbers",
        help_text="Separate them with commas, for example 4.5, 15.2. They are read from the "
        "protocol in force on the date of an incident.",
        max_length=300,
        error_messages={"required": "Enter the clause numbers"},
    )

    def numbers_given(self) -> list[str]:
        return [n.strip() for n in self.cleaned_data["numbers"].split(",") if n.strip()]


class NotifySubjectForm(ComplaintActionForm):
    action = "notify_subject"
    title = "Tell the subject"
    button = "Tell the subject about this complaint"
    secondary = True


class AssignInvestigatorForm(ComplaintActionForm):
    action = "assign_investigator"
    title = "Assign an investigator"
    button = "Assign investigator"
    secondary = True
    officer = forms.ModelChoiceField(
        widget=LongSelect,
        label="Officer",
        queryset=None,
        empty_label="Choose an officer",
        error_messages={
            "required": "Select the officer",
            "invalid_choice": "Select the officer",
        },
    )

    def setup(self, officers=None, **extra):
        self.fields["officer"].queryset = officers

    def service_arguments(self):
        return {"officer": self.cleaned_data["officer"]}


class WithdrawForm(ComplaintActionForm):
    action = "withdraw"
    title = "Withdraw"
    button = "Withdraw this complaint"
    secondary = True
    reason = forms.CharField(
        label="Why are you withdrawing it? (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def service_arguments(self):
        return {"reason": self.cleaned_data["reason"]}


class CloseForm(ComplaintActionForm):
    action = "close"
    title = "Close"
    button = "Close this complaint"
    secondary = True


class EvidenceForm(ComplaintActionForm):
    action = "attach"
    title = "Add evidence"
    button = "Upload"
    secondary = True
    file = forms.FileField(
        label="Upload a file",
        help_text="PDF, JPG, PNG, Word (.docx) or text, smaller than 10 MB.",
        error_messages={"required": "Select a file to upload"},
    )

    def service_arguments(self):
        return {"file": self.cleaned_data["file"]}


ACTION_FORMS = {
    form.action: form
    for form in (
        ResolveForm,
        EscalateForm,
        CiteForm,
        NotifySubjectForm,
        AssignInvestigatorForm,
        RerouteForm,
        EvidenceForm,
        WithdrawForm,
        CloseForm,
    )
}


# The Monitoring Officer's routes -------------------------------------------------------------


class RouteStageForm(forms.Form):
    """A stage of a complaint route: its name, who owns it, its target and its outcomes."""

    name = forms.CharField(
        label="Stage name",
        max_length=200,
        error_messages={"required": "Enter the stage's name"},
    )
    owner_rule = forms.ChoiceField(
        label="Who owns it",
        help_text="Resolved when the stage opens; never a party or anyone with a declared "
        "relationship with one: then the next person up.",
        choices=OwnerRule.choices,
        error_messages={"required": "Select who owns the stage"},
    )
    target_working_days = forms.IntegerField(
        label="Target in working days",
        min_value=1,
        max_value=250,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-3"}),
        error_messages={
            "required": "Enter the target in working days",
            "invalid": "Enter the target as a whole number of working days",
            "min_value": "The target must be at least 1 working day",
            "max_value": "The target must be 250 working days or fewer",
        },
    )
    allowed_outcomes = forms.MultipleChoiceField(
        label="Outcomes its owner may decide",
        choices=[(value, StageOutcome(value).label) for value in DECISION_OUTCOMES],
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Select at least one outcome"},
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, data=None, *, button: str, **kwargs):
        super().__init__(data, **kwargs)
        self.helper = form_helper(
            Field.text("name", label_size=Size.SMALL, field_width=Fluid.TWO_THIRDS),
            Field.select("owner_rule", label_size=Size.SMALL),
            Field.text("target_working_days", label_size=Size.SMALL),
            Field.checkboxes("allowed_outcomes", legend_size=Size.SMALL, small=True),
            Field("version"),
            submit_button(button),
        )

    def stage_fields(self) -> dict:
        data = self.cleaned_data
        return {
            name: data[name]
            for name in ("name", "owner_rule", "target_working_days", "allowed_outcomes")
        }
