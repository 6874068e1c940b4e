"""core.links.reverser: the links ``reverse`` writes, one reverse for a whole page."""

import pytest
from django.urls import NoReverseMatch, reverse, set_script_prefix

from core.links import reverser


@pytest.mark.parametrize("pk", [1, 9, 10, 12345, 2**40])
def test_each_link_is_what_reverse_writes(pk):
    assert reverser("enquiry")(pk) == reverse("enquiry", args=[pk])


def test_under_a_script_prefix_too():
    set_script_prefix("/council/")
    try:
        assert reverser("enquiry")(7) == reverse("enquiry", args=[7]) == "/council/enquiries/7/"
    finally:
        set_script_prefix("/")


def test_an_id_that_is_not_a_number_is_refused():
    with pytest.raises(ValueError):
        reverser("enquiry")("7/../../admin")


def test_a_url_without_an_id_is_refused():
    with pytest.raises(NoReverseMatch):
        reverser("home")
