"""The member enquiry pages' forms, rendered by crispy-forms-gds in the GOV.UK style.

Forms check only what was typed (a real date, a time on the 24-hour clock, a choice from the
list); every rule about enquiries lives in complaints.services, whose ``ValidationError`` the
views put back on the form (``add_service_errors``). Choices of people and directorates come
from the viewer's council through the selectors, passed in by the views.
"""

from __future__ import annotations

import datetime

from crispy_forms_gds.layout import Field, Fieldset, Fluid, Size
from django import forms

from core.forms import VersionedActionForm, form_helper, search_button, submit_button
from core.widgets import LongSelect, RowChoiceField
from council.calendar import LONDON
from council.forms import GovukDateField
from council.models import Member, Officer

from .choices import EnquiryChannel, EnquiryStatus

# The channels an officer logs an enquiry from; members raise theirs through the portal.
OFFICER_CHANNELS = [
    (value, label) for value, label in EnquiryChannel.choices if value != EnquiryChannel.PORTAL
]


# The officer's queue -------------------------------------------------------------------------


# The columns each picker's labels are made from (Officer.display_name, Member.display_name).
OFFICER_LABEL_COLUMNS = ("full_name", "job_title")
MEMBER_LABEL_COLUMNS = ("full_name", "kind")


class QueueFilterForm(forms.Form):
    """The queue's filters: a GET form, so a filtered queue can be bookmarked and shared."""

    status = forms.ChoiceField(
        label="Status",
        required=False,
        choices=[("", "Any status"), *EnquiryStatus.choices],
        error_messages={"invalid_choice": "Select a status from the list"},
    )
    directorate = forms.ModelChoiceField(
        widget=LongSelect,
        label="Directorate",
        required=False,
        queryset=None,
        empty_label="Any directorate",
        error_messages={"invalid_choice": "Select a directorate from the list"},
    )
    assignee = RowChoiceField(
        label_columns=OFFICER_LABEL_COLUMNS,
        label_from_row=Officer.display_name,
        label="Assigned to",
        required=False,
        queryset=None,
        empty_label="Anyone",
        error_messages={"invalid_choice": "Select an officer from the list"},
    )
    overdue = forms.BooleanField(label="Only overdue enquiries", required=False)

    def __init__(self, data=None, *, directorates, officers, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["directorate"].queryset = directorates
        self.fields["assignee"].queryset = officers
        self.helper = form_helper(
            Field.select("status", label_size=Size.SMALL),
            Field.select("directorate", label_size=Size.SMALL),
            Field.select("assignee", label_size=Size.SMALL),
            Field.checkboxes("overdue", small=True),
            search_button(),
            method="get",
        )

    def filters(self) -> dict:
        """The filters to apply (empty when the form is invalid)."""
        if not self.is_bound or not self.is_valid():
            return {}
        data = self.cleaned_data
        return {
            "status": data.get("status") or None,
            "directorate": data.get("directorate"),
            "assignee": data.get("assignee"),
            "overdue": bool(data.get("overdue")),
        }


# Logging an enquiry ------------------------------------------------------------------------


class _ConstituentAndSubject(forms.Form):
    """What an officer and a member both give: the constituent and what it is about."""

    constituent_name = forms.CharField(
        label="Name (optional)",
        required=False,
        max_length=200,
        error_messages={"max_length": "Name must be 200 characters or fewer"},
    )
    constituent_email = forms.EmailField(
        label="Email address (optional)",
        required=False,
        max_length=254,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        error_messages={
            "invalid": "Enter an email address in the correct format, like name@example.com"
        },
    )
    constituent_phone = forms.CharField(
        label="Phone number (optional)",
        required=False,
        max_length=40,
        error_messages={"max_length": "Phone number must be 40 characters or fewer"},
    )
    constituent_address = forms.CharField(
        label="Address (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    subject = forms.CharField(
        label="Subject",
        max_length=200,
        help_text="For example, Overgrown hedge blocking the pavement on Mill Lane",
        error_messages={
            "required": "Enter what the enquiry is about",
            "max_length": "Subject must be 200 characters or fewer",
        },
    )
    description = forms.CharField(
        label="Description (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )

    CONSTITUENT_LAYOUT = (
        "constituent_name",
        "constituent_email",
        "constituent_phone",
        "constituent_address",
    )

    def constituent_fieldset(self):
        return Fieldset(
            Field.text("constituent_name", field_width=Fluid.TWO_THIRDS),
            Field.text("constituent_email", field_width=Fluid.TWO_THIRDS),
            Field.text("constituent_phone", field_width=Fluid.ONE_THIRD),
            Field.textarea("constituent_address"),
            legend="The constituent",
            legend_size=Size.MEDIUM,
        )

    def constituent(self) -> dict:
        data = self.cleaned_data
        return {
            name: data.get(f"constituent_{name}", "")
            for name in ("name", "email", "phone", "address")
        }

    # The service's names for the fields it checks, as this form calls them.
    SERVICE_FIELDS = {
        f"constituent.{name}": f"constituent_{name}"
        for name in ("name", "email", "phone", "address")
    }


class LogEnquiryForm(_ConstituentAndSubject):
    """An officer logs an enquiry on a member's behalf, in one form."""

    member = RowChoiceField(
        label_columns=MEMBER_LABEL_COLUMNS,
        label_from_row=Member.display_name,
        label="Member",
        queryset=None,
        empty_label="Choose a member",
        error_messages={
            "required": "Select the member who raised the enquiry",
            "invalid_choice": "Select the member who raised the enquiry",
        },
    )
    directorate = forms.ModelChoiceField(
        label="Directorate (optional)",
        required=False,
        queryset=None,
        empty_label="Not decided yet",
        error_messages={"invalid_choice": "Select a directorate from the list"},
    )
    channel = forms.ChoiceField(
        label="How did the enquiry arrive?",
        choices=OFFICER_CHANNELS,
        widget=forms.RadioSelect,
        error_messages={"required": "Select how the enquiry arrived"},
    )
    received_date = GovukDateField(
        name_in_errors="date received",
        label="Date received",
        help_text="For example, 16 11 2026",
    )
    received_time = forms.TimeField(
        label="Time received",
        help_text="Use the 24-hour clock, for example 09:30",
        input_formats=["%H:%M", "%H.%M"],
        widget=forms.TextInput(attrs={"class": "govuk-input--width-5", "spellcheck": "false"}),
        error_messages={
            "required": "Enter the time received",
            "invalid": "Enter the time received on the 24-hour clock, like 09:30",
        },
    )
    assigned_officer = RowChoiceField(
        label_columns=OFFICER_LABEL_COLUMNS,
        label_from_row=Officer.display_name,
        label="Assign to (optional)",
        required=False,
        queryset=None,
        empty_label="Leave for the casework team",
        error_messages={"invalid_choice": "Select an officer from the list"},
    )

    SERVICE_FIELDS = {
        **_ConstituentAndSubject.SERVICE_FIELDS,
        "received_at": "received_date",
    }

    def __init__(self, data=None, *, members, directorates, officers, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["member"].queryset = members
        self.fields["directorate"].queryset = directorates
        self.fields["assigned_officer"].queryset = officers
        self.helper = form_helper(
            Field.select("member", label_size=Size.SMALL),
            self.constituent_fieldset(),
            Fieldset(
                Field.text("subject", field_width=Fluid.FULL),
                Field.textarea("description"),
                Field.select("directorate"),
                Field.radios("channel", legend_size=Size.SMALL),
                Field("received_date", context={"legend_size": Size.for_legend(Size.SMALL)}),
                Field.text("received_time", label_size=Size.SMALL),
                Field.select("assigned_officer"),
                legend="The enquiry",
                legend_size=Size.MEDIUM,
            ),
            submit_button("Log enquiry"),
        )

    def received_at(self) -> datetime.datetime | None:
        """The moment typed, in UK time."""
        day = self.cleaned_data.get("received_date")
        time = self.cleaned_data.get("received_time")
        if day is None or time is None:
            return None
        return datetime.datetime.combine(day, time.replace(second=0, microsecond=0), LONDON)


class RaiseEnquiryForm(_ConstituentAndSubject):
    """A member raises their own enquiry through Councilcase (the portal channel)."""

    directorate = forms.ModelChoiceField(
        label="Which service is it about? (optional)",
        required=False,
        queryset=None,
        empty_label="I do not know",
        error_messages={"invalid_choice": "Select a service from the list"},
    )

    SERVICE_FIELDS = _ConstituentAndSubject.SERVICE_FIELDS

    def __init__(self, data=None, *, directorates, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["directorate"].queryset = directorates
        self.helper = form_helper(
            self.constituent_fieldset(),
            Fieldset(
                Field.text("subject", field_width=Fluid.FULL),
                Field.textarea("description"),
                Field.select("directorate"),
                legend="Your enquiry",
                legend_size=Size.MEDIUM,
            ),
            submit_button("Raise enquiry"),
        )


# Actions on one enquiry --------------------------------------------------------------------


class ActionForm(VersionedActionForm):
    """One action on the enquiry page (core.forms.VersionedActionForm)."""

    def __init__(self, data=None, *, enquiry, url: str, **kwargs):
        super().__init__(data, record=enquiry, url=url, **kwargs)


class AcknowledgeForm(ActionForm):
    action = "acknowledge"
    title = "Acknowledge"
    button = "Acknowledge enquiry"


class HoldingResponseForm(ActionForm):
    action = "holding_response"
    title = "Send a holding response"
    button = "Send holding response"
    secondary = True
    reason = forms.CharField(
        label="Why does the enquiry need more time?",
        help_text="The member is told this with the new due date.",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter the reasons for the holding response"},
    )

    def service_arguments(self):
        return {"reason": self.cleaned_data["reason"]}


class RespondForm(ActionForm):
    action = "respond"
    title = "Respond"
    button = "Send response"
    response = forms.CharField(
        label="Response to the member",
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Enter the response to send the member"},
    )

    def service_arguments(self):
        return {"response": self.cleaned_data["response"]}


class AssignForm(ActionForm):
    action = "assign"
    title = "Assign"
    button = "Assign enquiry"
    secondary = True
    officer = forms.ModelChoiceField(
        label="Officer",
        queryset=None,
        empty_label="Choose an officer",
        error_messages={
            "required": "Select the officer to assign",
            "invalid_choice": "Select the officer to assign",
        },
    )

    override_reason = forms.CharField(
        label="Why must this officer take it anyway?",
        help_text="This officer cannot normally take this case. Your reason is recorded, and "
        "only the Monitoring Officer and the Chief Executive can read it.",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, data=None, *, officers, cannot_take=(), offer_override=False, **kwargs):
        """``cannot_take``: the officers with a declared conflict with this enquiry, marked in
        the picker without saying why. ``offer_override``: show the reason field (after a
        refusal, to someone allowed to override)."""
        self.cannot_take = {officer.pk for officer in cannot_take}
        self.offer_override = offer_override
        if not offer_override:
            # Before the base builds the layout from the fields.
            self.base_fields = {
                name: field for name, field in self.base_fields.items() if name != "override_reason"
            }
        super().__init__(data, **kwargs)
        self.fields["officer"].queryset = officers
        self.fields["officer"].label_from_instance = self._officer_label

    def _officer_label(self, officer) -> str:
        if officer.pk in self.cannot_take:
            return f"{officer} - Cannot take this case"
        return str(officer)

    def service_arguments(self):
        return {
            "officer": self.cleaned_data["officer"],
            "override_reason": self.cleaned_data.get("override_reason") or None,
        }


class EscalateForm(ActionForm):
    action = "escalate"
    title = "Escalate"
    button = "Escalate enquiry"
    secondary = True
    reason = forms.CharField(
        label="Why are you escalating it?",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter why you are escalating the enquiry"},
    )

    def service_arguments(self):
        return {"reason": self.cleaned_data["reason"]}


class MemberEscalateForm(EscalateForm):
    """A member who remains dissatisfied escalates (city council protocol 10.3.2)."""

    title = "Not satisfied?"
    button = "Escalate enquiry"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].label = "Why are you not satisfied?"


class CloseForm(ActionForm):
    action = "close"
    title = "Close"
    button = "Close enquiry"
    secondary = True


ACTION_FORMS = {
    form.action: form
    for form in (
        AcknowledgeForm,
        HoldingResponseForm,
        RespondForm,
        AssignForm,
        EscalateForm,
        CloseForm,
    )
}
