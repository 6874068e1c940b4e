"""{% jinja %}: the project's Jinja templates escape as the Django engine does and refuse a
variable they were not given."""

import pytest
from django.template import Context, Template
from django.utils.safestring import mark_safe
from jinja2 import UndefinedError

from complaints.views import ListRow

ROW = ListRow(
    pk=1,
    href="/enquiries/1/",
    reference="ENQ-1",
    subject='<script>alert("x")</script>',
    member_name="Cllr O'Brien & Co",
    status_label="Received",
    status_class="govuk-tag--blue",
    assignee_name=None,
    directorate_name=mark_safe("<em>Highways</em>"),
    due=True,
    due_text="9 Dec 2026",
    overdue=True,
    due_today=False,
)


def render(source, **context):
    return Template("{% load councilcase %}" + source).render(Context(context))


def test_text_is_escaped_and_safe_markup_is_kept():
    html = render(
        '{% jinja "complaints/_rows.jinja" rows=rows hide_member=no hide_assignee=no %}',
        rows=[ROW],
    )
    assert "&lt;script&gt;" in html and "<script>" not in html
    assert "O&#39;Brien &amp; Co" in html
    assert "<em>Highways</em>" in html
    assert "Not assigned" in html and "Overdue" in html


def test_hidden_columns_are_left_out():
    html = render(
        '{% jinja "complaints/_rows.jinja" rows=rows hide_member=True hide_assignee=True %}',
        rows=[ROW],
    )
    assert "O&#39;Brien" not in html and "Not assigned" not in html


def test_a_variable_not_given_is_an_error():
    with pytest.raises(UndefinedError):
        render(
            '{% jinja "complaints/_rows.jinja" rowz=rows hide_member=0 hide_assignee=0 %}',
            rows=[ROW],
        )
