"""What every app's page forms share: the GOV.UK form layout (crispy-forms-gds), the submit
button, and putting a service's ``ValidationError`` back on the form."""

from __future__ import annotations

import hashlib

from crispy_forms.utils import render_crispy_form
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import HTML, Field, Layout, Submit
from django import forms
from django.conf import settings
from django.core.cache import caches
from django.core.exceptions import EmptyResultSet, ValidationError
from django.db import connection
from django.utils.html import format_html
from django.utils.safestring import mark_safe

# The process's own cache of rendered forms (settings.CACHES): content-addressed, so it never
# needs invalidating, and kept out of Redis so a page never waits on it.
RENDERED_FORMS_CACHE = "rendered"


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
    if method == "get":
        # A GET form (filters, search) changes nothing; a token would only land in URLs.
        helper.disable_csrf = True
    return helper


def search_button(text: str = "Apply filters") -> HTML:
    """The button of a GET form (filters, search): secondary, and unnamed, so that it adds
    nothing to the URL a person may bookmark or share."""
    return HTML(
        format_html(
            '<button type="submit" class="govuk-button govuk-button--secondary" '
            'data-module="govuk-button">{}</button>',
            text,
        )
    )


def submit_button(text: str, *, secondary: bool = False, name: str = "submit") -> Submit:
    attrs = {"data-module": "govuk-button", "data-prevent-double-click": "true"}
    if secondary:
        attrs["css_class"] = "govuk-button--secondary"
    return Submit(name, text, **attrs)


class VersionedActionForm(forms.Form):
    """One action on a record's page (acknowledge, respond, escalate...): a small form that
    posts the version the person saw, so that a change made meanwhile is refused rather than
    overwritten (core.versioning). Subclasses name the ``action`` (the form's prefix and its
    button's name), the ``button`` text and their fields; ``setup`` fills choices that depend
    on the record, before the layout is built from ``layout_for`` each field."""

    action: str = ""
    title = ""
    button = ""
    secondary = False
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, data=None, files=None, *, record, url: str, extra=None, **kwargs):
        kwargs.setdefault("initial", {"version": record.version})
        super().__init__(data, files, prefix=self.form_prefix(), **kwargs)
        self.record = record
        self.setup(**(extra or {}))
        self.helper = form_helper(
            *[self.layout_for(name) for name in self.fields if name != "version"],
            Field("version"),
            submit_button(self.button, secondary=self.secondary, name=f"{self.action}-submit"),
            action=url,
        )

    def form_prefix(self) -> str:
        return self.action

    def setup(self, **extra) -> None:
        """Fill choices that depend on the record (before the layout is built)."""

    def layout_for(self, name: str):
        return Field(name)

    def service_arguments(self) -> dict:
        """The service's keyword arguments from the cleaned data (beyond the record, ``by``
        and the version)."""
        return {}


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


def options_fingerprint(form: forms.Form) -> str:
    """A digest of every model choice field's options, as the form would list them, in one
    query: PostgreSQL hashes the rows (id and label columns, in the field's order) itself, so
    none of them travel. Any change to an option (a new officer, a renamed directorate, a
    leaver) changes it, whichever way it was written."""
    selects, params = [], []
    for field in form.fields.values():
        queryset = getattr(field, "queryset", None)
        if queryset is None:
            continue
        columns = getattr(field, "label_columns", None) or [
            model_field.attname for model_field in queryset.model._meta.concrete_fields
        ]
        try:
            sql, field_params = queryset.values_list("pk", *columns).query.sql_with_params()
        except EmptyResultSet:
            selects.append("'none'")
            continue
        # Django's own SQL for the queryset; every value in it is a parameter.
        selects.append(f"(SELECT md5(string_agg(q::text, E'\\n')) FROM ({sql}) AS q)")  # noqa: S608
        params.extend(field_params)
    if not selects:
        return ""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(selects)}", params)
        return ":".join(value or "" for value in cursor.fetchone())


def render_cached(form: forms.Form, *, viewer=None) -> str:
    """``form`` rendered by crispy-forms, from the process's cache when the same form was
    rendered before with the same submitted values and the same options.

    For forms whose markup depends on nothing else: GET filter forms (no CSRF token, no
    errors added by the view). A queue's filter lists every officer of the council, and
    rendering it was a third of the page (bench/lists.py); its options are checked in one
    query (``options_fingerprint``) instead of read and rendered on every page, and for the
    same ``viewer`` that check is reused for ``RENDERED_FORM_RECHECK_SECONDS`` (30 by
    default: the query and building it were a sixth of the page): a renamed, new or departed
    officer shows in that viewer's filter within that time. The rows listed are never
    affected: only the filter's option labels can lag."""
    data = form.data
    submitted = (
        [
            (name, data.getlist(name) if hasattr(data, "getlist") else data.get(name))
            for name in form.fields
        ]
        if form.is_bound
        else None
    )
    identity = (
        type(form).__module__,
        type(form).__qualname__,
        _recent_fingerprint(form, viewer),
        submitted,
    )
    key = "form:" + hashlib.sha256(repr(identity).encode()).hexdigest()
    cache = caches[RENDERED_FORMS_CACHE]
    html = cache.get(key)
    if html is None:
        html = str(render_crispy_form(form))
        cache.set(key, html)
    return mark_safe(html)  # noqa: S308 - rendered by crispy-forms' escaping templates


def _recent_fingerprint(form: forms.Form, viewer) -> str:
    seconds = settings.RENDERED_FORM_RECHECK_SECONDS
    viewer_id = getattr(viewer, "pk", None)
    if not seconds or viewer_id is None:
        return options_fingerprint(form)
    cache = caches[RENDERED_FORMS_CACHE]
    key = f"options:{type(form).__module__}.{type(form).__qualname__}:{viewer_id}"
    fingerprint = cache.get(key)
    if fingerprint is None:
        fingerprint = options_fingerprint(form)
        cache.set(key, fingerprint, timeout=seconds)
    return fingerprint
