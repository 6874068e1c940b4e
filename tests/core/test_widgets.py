"""core.widgets.LongSelect renders exactly what Django's Select does, without a template per
option (the enquiry queue's officer picker)."""

import pytest
from django import forms
from django.test.html import parse_html

from core.widgets import LongSelect, RowChoiceField
from council.models import Officer
from tests import factories


def same_html(ours: str, djangos: str) -> bool:
    """Equal as HTML (Django's templates add whitespace between the options)."""
    return parse_html(ours) == parse_html(djangos)


@pytest.mark.parametrize("value", [None, "", "2", ["1"]])
def test_long_select_renders_what_select_renders(value):
    choices = [("", "Anyone"), ("1", "O'Brien & <Sons>"), ("2", 'Say "hi"'), (3, "Three")]
    attrs = {"class": "govuk-select", "id": "id_assignee", "aria-describedby": "a b"}
    expected = forms.Select(choices=choices).render("assignee", value, attrs)
    assert same_html(LongSelect(choices=choices).render("assignee", value, attrs), expected)


def test_long_select_renders_option_groups_as_select_does():
    choices = [("Highways", [("1", "Ann"), ("2", "Bob")]), ("Parks", [("3", "Cy")])]
    expected = forms.Select(choices=choices).render("officer", "3")
    assert same_html(LongSelect(choices=choices).render("officer", "3"), expected)


def test_long_select_renders_model_choices_as_select_does(db):
    council = factories.CouncilFactory()
    officers = [factories.OfficerFactory(council=council) for _ in range(5)]
    queryset = Officer.objects.filter(council=council)
    plain = forms.ModelChoiceField(queryset=queryset, empty_label="Anyone")
    long = forms.ModelChoiceField(queryset=queryset, empty_label="Anyone", widget=LongSelect)
    chosen = officers[2].pk
    assert same_html(long.widget.render("x", chosen), plain.widget.render("x", chosen))


def test_row_choice_field_offers_and_cleans_what_a_model_choice_field_does(db):
    council = factories.CouncilFactory()
    officers = [factories.OfficerFactory(council=council) for _ in range(5)]
    queryset = Officer.objects.filter(council=council).order_by("full_name", "id")
    plain = forms.ModelChoiceField(queryset=queryset, empty_label="Anyone", widget=LongSelect)
    rows = RowChoiceField(
        queryset=queryset,
        empty_label="Anyone",
        label_columns=("full_name", "job_title"),
        label_from_row=Officer.display_name,
    )
    chosen = officers[3].pk
    assert same_html(rows.widget.render("x", chosen), plain.widget.render("x", chosen))
    assert rows.clean(str(chosen)) == officers[3]
    with pytest.raises(forms.ValidationError):
        rows.clean("999999")


def test_row_choice_field_reads_the_options_in_one_query(db, django_assert_num_queries):
    council = factories.CouncilFactory()
    for _ in range(30):
        factories.OfficerFactory(council=council)
    field = RowChoiceField(
        queryset=Officer.objects.filter(council=council),
        label_columns=("full_name", "job_title"),
        label_from_row=Officer.display_name,
    )
    with django_assert_num_queries(1):
        field.widget.render("x", None)
