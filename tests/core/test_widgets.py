"""core.widgets.LongSelect renders exactly what Django's Select does, without a template per
option (the enquiry queue's officer picker)."""

import pytest
from django import forms
from django.test.html import parse_html

from core.widgets import LongSelect
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
