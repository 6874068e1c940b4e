"""The organisation's forms, rendered by crispy-forms-gds in the GOV.UK Design System style.

Forms only check what was typed (a real date, a time on the 24-hour clock); the rules about
what may change live in council.services, whose ``ValidationError`` the views put back on the
form (``add_service_errors``). Error messages follow the Design System's wording: they say
what to do ("Enter the council's name"), not what went wrong.
"""

from __future__ import annotations

import datetime

from crispy_forms_gds.choices import Choice
from crispy_forms_gds.fields import DateInputField
from crispy_forms_gds.layout import Field, Fluid, Size
from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator

from core.forms import form_helper, search_button, submit_button

from .choices import DeadlineConvention, Nation

# The working-day calendar counts deadlines between these years (council.calendar).
FIRST_YEAR, LAST_YEAR = 2000, 2100

# What each deadline convention means, in the words shown wherever a due date is explained
# (DESIGN.md, The working-day calendar).
DEADLINE_CONVENTION_NAMES = {
    DeadlineConvention.DEEMED_RECEIPT: "Deemed receipt (the default)",
    DeadlineConvention.ICO: "ICO convention",
}
DEADLINE_CONVENTION_EXPLANATIONS = {
    DeadlineConvention.DEEMED_RECEIPT: (
        "Anything received on a day that is not a working day, or at or after the daily "
        "cut-off time, is treated as received at the start of the next working day. That day "
        "is day 0, and a deadline of 10 working days is the 10th working day after it. A "
        "Saturday email and a Monday 9am email get the same deadline."
    ),
    DeadlineConvention.ICO: (
        "The Information Commissioner's convention for freedom of information requests: day 1 "
        "is the first working day after the date something was received, whatever the time or "
        "day it arrived. The cut-off time is not used."
    ),
}


# Signing in --------------------------------------------------------------------------------


class SignInForm(AuthenticationForm):
    """Email address and password. Rate limiting of sign-in attempts is not done yet: it needs
    its own limiter keyed safely behind the proxy (DESIGN.md, Security decisions)."""

    username = forms.CharField(
        label="Email address",
        max_length=254,
        error_messages={"required": "Enter your email address"},
        widget=forms.TextInput(
            attrs={"input_type": "email", "autocomplete": "email", "spellcheck": "false"}
        ),
    )
    password = forms.CharField(
        label="Password",
        strip=False,
        error_messages={"required": "Enter your password"},
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    error_messages = {
        "invalid_login": "Enter a correct email address and password",
        "inactive": "This account cannot sign in. Ask your Councilcase administrator",
    }

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.helper = form_helper(
            Field.text("username", field_width=Fluid.TWO_THIRDS),
            Field.text("password", field_width=Fluid.TWO_THIRDS),
            submit_button("Sign in"),
        )


# The people directory ----------------------------------------------------------------------


class PeopleSearchForm(forms.Form):
    KINDS = [
        Choice("all", "Everyone"),
        Choice("member", "Members"),
        Choice("officer", "Officers"),
    ]

    q = forms.CharField(
        label="Search by name, job title or ward",
        required=False,
        max_length=100,
        error_messages={"max_length": "Search words must be 100 characters or fewer"},
    )
    kind = forms.ChoiceField(
        label="Show",
        required=False,
        choices=KINDS,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Select everyone, members or officers"},
    )

    def __init__(self, data=None, **kwargs):
        if data is not None and not data.get("kind"):
            data = data.copy()
            data["kind"] = "all"
        super().__init__(data, **kwargs)
        self.helper = form_helper(
            Field.text("q", label_size=Size.SMALL, field_width=Fluid.TWO_THIRDS),
            Field.radios("kind", legend_size=Size.SMALL, inline=True, small=True),
            search_button("Search"),
            method="get",
        )

    def search(self) -> dict:
        """The search to run: ``query`` and ``kind`` (None for everyone)."""
        if not self.is_valid():
            return {"query": "", "kind": None}
        kind = self.cleaned_data.get("kind")
        return {"query": self.cleaned_data.get("q", ""), "kind": None if kind == "all" else kind}


# Council settings --------------------------------------------------------------------------


class GovukDateField(DateInputField):
    """A date typed as day, month and year (the Design System's date input), with messages
    that name the date: "Closure date must include a month"."""

    def __init__(self, *, name_in_errors: str, **kwargs):
        kwargs.setdefault("require_all_fields", False)
        super().__init__(**kwargs)
        self.name_in_errors = name_in_errors
        capitalised = name_in_errors[:1].upper() + name_in_errors[1:]
        self.real_date_message = f"{capitalised} must be a real date"
        self.error_messages.update(
            required=f"Enter the {name_in_errors}",
            incomplete=f"Enter the {name_in_errors}",
            invalid=self.real_date_message,
        )
        for part, pattern, subfield in zip(
            ("day", "month", "year"),
            (r"^\d{1,2}$", r"^\d{1,2}$", r"^\d{4}$"),
            self.fields,
            strict=True,
        ):
            subfield.error_messages["incomplete"] = f"{capitalised} must include a {part}"
            subfield.validators = [RegexValidator(pattern, self.real_date_message)]

    def compress(self, data_list):
        try:
            return super().compress(data_list)
        except ValidationError:
            raise ValidationError(self.real_date_message, code="invalid") from None

    def clean(self, value):
        date = super().clean(value)
        if date is not None and not FIRST_YEAR <= date.year <= LAST_YEAR:
            capitalised = self.name_in_errors[:1].upper() + self.name_in_errors[1:]
            raise ValidationError(
                f"{capitalised} must be between {FIRST_YEAR} and {LAST_YEAR}", code="range"
            )
        return date


class ClosureDayForm(forms.Form):
    date = GovukDateField(
        name_in_errors="closure date",
        label="Date",
        help_text="For example, 24 12 2027",
    )
    reason = forms.CharField(
        label="Reason (optional)",
        required=False,
        max_length=200,
        help_text="For example, Christmas shutdown",
        error_messages={"max_length": "Reason must be 200 characters or fewer"},
    )

    def __init__(self, *args, action: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(
            Field("date", context={"legend_size": Size.for_legend(Size.SMALL)}),
            Field.text("reason", field_width=Fluid.TWO_THIRDS),
            submit_button("Add closure day"),
        )
        self.helper.form_action = action


class RemoveClosureDayForm(forms.Form):
    date = forms.DateField(widget=forms.HiddenInput)


class CouncilSettingsForm(forms.Form):
    name = forms.CharField(
        label="Council name",
        max_length=200,
        error_messages={
            "required": "Enter the council's name",
            "max_length": "Council name must be 200 characters or fewer",
        },
    )
    nation = forms.ChoiceField(
        label="Nation",
        help_text="Bank holidays follow this nation's calendar.",
        choices=Nation.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the council's nation"},
    )
    cutoff_time = forms.TimeField(
        label="Daily cut-off time",
        help_text=(
            "Use the 24-hour clock, for example 17:00. Anything received at or after this time "
            "counts from the next working day."
        ),
        input_formats=["%H:%M", "%H.%M"],
        widget=forms.TextInput(attrs={"class": "govuk-input--width-5", "spellcheck": "false"}),
        error_messages={
            "required": "Enter the daily cut-off time",
            "invalid": "Enter the cut-off time on the 24-hour clock, like 17:00",
        },
    )
    deadline_convention = forms.ChoiceField(
        label="How deadlines are counted",
        choices=[
            Choice(value, DEADLINE_CONVENTION_NAMES[value], hint=explanation)
            for value, explanation in DEADLINE_CONVENTION_EXPLANATIONS.items()
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Select how deadlines are counted"},
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, council=None, **kwargs):
        if council is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "name": council.name,
                "nation": council.nation,
                "cutoff_time": council.cutoff_time.strftime("%H:%M"),
                "deadline_convention": council.deadline_convention,
                "version": council.version,
            }
        super().__init__(*args, **kwargs)
        self.helper = form_helper(
            Field.text("name", label_size=Size.SMALL, field_width=Fluid.TWO_THIRDS),
            Field.radios("nation", legend_size=Size.SMALL),
            Field.text("cutoff_time", label_size=Size.SMALL),
            Field.radios("deadline_convention", legend_size=Size.SMALL),
            Field("version"),
            submit_button("Save settings"),
        )

    def changes(self) -> dict:
        """The fields to pass to ``update_council``."""
        data = self.cleaned_data
        cutoff: datetime.time = data["cutoff_time"]
        return {
            "name": data["name"].strip(),
            "nation": data["nation"],
            "cutoff_time": cutoff.replace(second=0, microsecond=0),
            "deadline_convention": data["deadline_convention"],
        }


# API tokens and CSV imports (issue 7) ------------------------------------------------------


def _scope_choices() -> list[Choice]:
    from .choices import API_SCOPE_RESOURCES

    choices = [Choice("*", "Everything in the council (*)")]
    for resource in API_SCOPE_RESOURCES:
        label = resource.replace("-", " ").capitalize()
        choices.append(Choice(f"{resource}:read", f"{label}: read"))
        choices.append(Choice(f"{resource}:write", f"{label}: read and change"))
    return choices


class ApiTokenForm(forms.Form):
    """Issue a token: what it is for, what it may do, and when it stops working."""

    name = forms.CharField(
        label="What is this token for?",
        help_text="For example, the name of the system that will use it, such as HR sync",
        max_length=200,
        error_messages={"required": "Enter what the token is for"},
    )
    scopes = forms.MultipleChoiceField(
        label="What may it do?",
        choices=_scope_choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Select at least one thing the token may do"},
    )
    expires_in_days = forms.IntegerField(
        label="Stop working after this many days (optional)",
        help_text="Leave blank for a token that works until it is revoked",
        required=False,
        min_value=1,
        max_value=3650,
        # The Design System's number input is a text input: type="number" rounds and drops
        # what was typed (and takes scroll-wheel changes), hiding the mistake from the error.
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "spellcheck": "false", "autocomplete": "off"}
        ),
        error_messages={
            "invalid": "Enter the number of days as a whole number, like 90",
            "min_value": "The number of days must be 1 or more",
            "max_value": "The number of days must be 3650 or fewer",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(
            Field.text("name", field_width=Fluid.TWO_THIRDS),
            Field.checkboxes("scopes", legend_size=Size.SMALL, small=True),
            Field.text("expires_in_days", field_width=Fluid.ONE_QUARTER),
            submit_button("Issue token"),
        )


class CsvImportForm(forms.Form):
    """Upload a CSV file of members or officers for a preview of what it would change."""

    KINDS = [Choice("officers", "Officers"), Choice("members", "Members")]
    MAX_BYTES = 5 * 1024 * 1024

    kind = forms.ChoiceField(
        label="What does the file list?",
        choices=KINDS,
        widget=forms.RadioSelect,
        error_messages={"required": "Select officers or members"},
    )
    file = forms.FileField(
        label="CSV file",
        help_text="A file exported from Councilcase, or one with the same column headings",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
        error_messages={"required": "Select a CSV file", "empty": "The selected file is empty"},
    )

    def __init__(self, *args, kinds=("officers", "members"), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [c for c in self.KINDS if c.value in kinds]
        if len(kinds) == 1:
            # One thing to import (the HR team's officers): no question with a single answer.
            self.fields["kind"].widget = forms.HiddenInput()
            self.fields["kind"].initial = kinds[0]
            kind = Field("kind")
        else:
            kind = Field.radios("kind", legend_size=Size.SMALL)
        self.helper = form_helper(kind, Field("file"), submit_button("Preview the changes"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > self.MAX_BYTES:
            raise ValidationError("The file must be smaller than 5 MB")
        try:
            return upload.read().decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise ValidationError("The file must be a CSV file saved as UTF-8") from error
