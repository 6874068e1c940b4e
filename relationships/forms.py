"""The declaration pages' forms, in the GOV.UK style (crispy-forms-gds).

Forms check only what was typed; the rules (who may declare for whom, where organisation
memberships go, dates) are in relationships.services, whose ``ValidationError`` the views put
back on the form. People to choose from come from the viewer's council through the selectors.
"""

from __future__ import annotations

from crispy_forms_gds.choices import Choice
from crispy_forms_gds.layout import Field, Fieldset, Fluid, Size
from django import forms

from core.forms import VersionedActionForm, form_helper, search_button, submit_button
from council.forms import GovukDateField

from .choices import DeclarationKind, DeclarationStatus, PartyType
from .parties import External

KIND_HINTS = {
    DeclarationKind.FAMILY: "A relative, by blood or by marriage or partnership.",
    DeclarationKind.BUSINESS: "You work together outside the council, or share a business.",
    DeclarationKind.CLOSE_PERSONAL: "A close personal relationship, including a sexual one.",
    DeclarationKind.FRIENDSHIP: "A friendship others might think affects your judgement.",
    DeclarationKind.ORGANISATION_MEMBERSHIP: "An organisation that is not open to the public "
    "and asks for an oath or secrecy. This always goes to the Monitoring Officer and is never "
    "on a public register.",
    DeclarationKind.CONSTITUENT: "For members: a constituent you know personally.",
    DeclarationKind.OTHER: "Anything else that might be seen to influence your work.",
}


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return str(obj)


class DeclareForm(forms.Form):
    """Declare a relationship, in plain words (city council protocol 4.5, 13.1-13.2)."""

    declarant = forms.ChoiceField(
        label="Who is declaring? (optional)",
        required=False,
        help_text="As the Monitoring Officer you can record a declaration made to you in "
        "writing. Leave this blank to declare your own.",
    )
    counterpart_type = forms.ChoiceField(
        label="Who is the relationship with?",
        choices=[
            Choice(PartyType.MEMBER, "A councillor or other member of the council"),
            Choice(PartyType.OFFICER, "Someone who works for the council"),
            Choice(
                PartyType.EXTERNAL,
                "Someone outside the council",
                hint="A person or an organisation, such as a constituent or a company.",
            ),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Select who the relationship is with"},
    )
    counterpart_member = PersonChoiceField(
        label="If a member: which member?",
        required=False,
        queryset=None,
        empty_label="Choose a member",
        error_messages={"invalid_choice": "Select a member from the list"},
    )
    counterpart_officer = PersonChoiceField(
        label="If someone who works for the council: who?",
        required=False,
        queryset=None,
        empty_label="Choose a person",
        error_messages={"invalid_choice": "Select a person from the list"},
    )
    counterpart_name = forms.CharField(
        label="If someone outside the council: their name, or the organisation's",
        required=False,
        max_length=200,
        error_messages={"max_length": "The name must be 200 characters or fewer"},
    )
    counterpart_email = forms.EmailField(
        label="Their email address (optional)",
        required=False,
        help_text="It helps to tell apart two people with the same name.",
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        error_messages={
            "invalid": "Enter an email address in the correct format, like name@example.com"
        },
    )
    kind = forms.ChoiceField(
        label="What kind of relationship is it?",
        choices=[
            Choice(value, label, hint=KIND_HINTS[value]) for value, label in DeclarationKind.choices
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Select what kind of relationship it is"},
    )
    description = forms.CharField(
        label="Describe the relationship",
        help_text="For example, \u201cHe is my brother-in-law\u201d. Only the person you declare "
        "to reads this.",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Describe the relationship"},
    )
    started_on = GovukDateField(
        name_in_errors="date the relationship started",
        label="When did it start?",
        help_text="For example, 27 3 2019. If you are not sure, give your best estimate.",
    )

    def __init__(self, data=None, *, members, officers, declarants=None, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["counterpart_member"].queryset = members
        self.fields["counterpart_officer"].queryset = officers
        layout = []
        if declarants is None:
            del self.fields["declarant"]
        else:
            self.fields["declarant"].choices = [("", "Myself"), *declarants]
            layout.append(Field.select("declarant", label_size=Size.SMALL))
        self.helper = form_helper(
            *layout,
            Fieldset(
                Field.radios("counterpart_type", legend_size=Size.SMALL),
                Field.select("counterpart_member"),
                Field.select("counterpart_officer"),
                Field.text("counterpart_name", field_width=Fluid.TWO_THIRDS),
                Field.text("counterpart_email", field_width=Fluid.TWO_THIRDS),
                legend="The other person",
                legend_size=Size.MEDIUM,
            ),
            Field.radios("kind", legend_size=Size.MEDIUM),
            Field.textarea("description", label_size=Size.MEDIUM),
            Field("started_on", context={"legend_size": Size.for_legend(Size.MEDIUM)}),
            submit_button("Send declaration"),
        )

    def clean(self):
        data = super().clean()
        kind = data.get("counterpart_type")
        if kind == PartyType.MEMBER and not data.get("counterpart_member"):
            self.add_error("counterpart_member", "Select the member")
        if kind == PartyType.OFFICER and not data.get("counterpart_officer"):
            self.add_error("counterpart_officer", "Select the person who works for the council")
        if kind == PartyType.EXTERNAL and not (data.get("counterpart_name") or "").strip():
            self.add_error("counterpart_name", "Enter their name, or the organisation's")
        return data

    def counterpart(self):
        data = self.cleaned_data
        kind = data["counterpart_type"]
        if kind == PartyType.MEMBER:
            return data["counterpart_member"]
        if kind == PartyType.OFFICER:
            return data["counterpart_officer"]
        return External(data["counterpart_name"], data.get("counterpart_email") or "")

    # The service's names for the fields it checks, as this form calls them.
    SERVICE_FIELDS = {
        "counterpart": "counterpart_type",
        "counterpart.name": "counterpart_name",
    }


class RegisterFilterForm(forms.Form):
    """The register's search and filters: a GET form, so a search can be bookmarked."""

    q = forms.CharField(label="Search", required=False, help_text="Names or words used.")
    kind = forms.ChoiceField(
        label="Kind", required=False, choices=[("", "Any kind"), *DeclarationKind.choices]
    )
    status = forms.ChoiceField(
        label="Status", required=False, choices=[("", "Any status"), *DeclarationStatus.choices]
    )
    person = forms.ChoiceField(label="Person", required=False)
    active_on = GovukDateField(
        name_in_errors="date",
        label="Active on (optional)",
        required=False,
        help_text="For example, 1 4 2026",
    )

    def __init__(self, data=None, *, people, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["person"].choices = [("", "Anyone"), *people]
        self.helper = form_helper(
            Field.text("q", label_size=Size.SMALL),
            Field.select("kind", label_size=Size.SMALL),
            Field.select("status", label_size=Size.SMALL),
            Field.select("person", label_size=Size.SMALL),
            Field("active_on", context={"legend_size": Size.for_legend(Size.SMALL)}),
            search_button(),
            method="get",
        )

    def filters(self) -> dict:
        if not self.is_bound or not self.is_valid():
            return {}
        from .selectors import parse_party_reference

        data = self.cleaned_data
        return {
            "query": data.get("q") or "",
            "kind": data.get("kind") or None,
            "status": data.get("status") or None,
            "person": parse_party_reference(data.get("person") or ""),
            "active_on_date": data.get("active_on"),
        }


class DeclarationActionForm(VersionedActionForm):
    """One action on the declaration page (core.forms.VersionedActionForm)."""

    def __init__(self, data=None, *, declaration, url: str, **kwargs):
        super().__init__(data, record=declaration, url=url, **kwargs)


class AcknowledgeForm(DeclarationActionForm):
    action = "acknowledge"
    title = "Acknowledge"
    button = "Acknowledge declaration"


class AdviceForm(DeclarationActionForm):
    action = "advise"
    title = "Record advice"
    button = "Record advice"
    advice = forms.CharField(
        label="Advice to both parties",
        help_text="Both people named in the declaration are told there is advice, and can "
        "read it here.",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Enter the advice"},
    )

    def service_arguments(self):
        return {"advice": self.cleaned_data["advice"]}


class EndForm(DeclarationActionForm):
    action = "end"
    title = "The relationship has ended"
    button = "End declaration"
    secondary = True


ACTION_FORMS = {form.action: form for form in (AcknowledgeForm, AdviceForm, EndForm)}
