"""What every app's page forms share: the GOV.UK form layout (crispy-forms-gds), the submit
button, and putting a service's ``ValidationError`` back on the form."""

from __future__ import annotations

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Layout, Submit
from django import forms
from django.core.exceptions import ValidationError


def form_helper(*layout, method="post", action: str = "", multipart=False) -> FormHelper:
    helper = FormHelper()
    helper.form_method = method
    # The Design System's error messages replace the browser's own validation.
    helper.attrs = {"novalidate": ""}
    if multipart:
        helper.attrs["enctype"] = "multipart/form-data"
    helper.layout = Layout(*layout)
    if action:
        helper.form_action = action
    return helper


def submit_button(text: str, *, secondary: bool = False, name: str = "submit") -> Submit:
    attrs = {"data-module": "govuk-button", "data-prevent-double-click": "true"}
    if secondary:
        attrs["css_class"] = "govuk-button--secondary"
    return Submit(name, text, **attrs)


def add_service_errors(form: forms.Form, error: ValidationError, renamed=None) -> None:
    """Show a service's ``ValidationError`` on the form: each field's errors beside the field
    that collected it (``renamed`` maps a service's field name to the form's), the rest at the
    top of the error summary."""
    renamed = renamed or {}
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            name = renamed.get(field, field)
            form.add_error(name if name in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)
