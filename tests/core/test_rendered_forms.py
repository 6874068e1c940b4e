"""core.forms.render_cached and options_fingerprint: a filter form is rendered once per set
of options and submitted values; any change to its options is seen at once, or for a viewer
who was shown it within ``RENDERED_FORM_RECHECK_SECONDS``, once that time has passed."""

import pytest
from crispy_forms.utils import render_crispy_form
from django.core.cache import caches
from django.http import QueryDict

from complaints import selectors
from complaints.forms import QueueFilterForm
from core.forms import RENDERED_FORMS_CACHE, options_fingerprint, render_cached
from council.models import Directorate, Officer
from council.selectors import directorates_for
from tests import factories


@pytest.fixture(autouse=True)
def _empty_cache():
    caches[RENDERED_FORMS_CACHE].clear()


@pytest.fixture
def viewer(db):
    council = factories.CouncilFactory()
    for _ in range(3):
        factories.OfficerFactory(
            council=council, directorate=factories.DirectorateFactory(council=council)
        )
    return factories.person("casework", council)


def queue_form(viewer, query: str | None = None):
    return QueueFilterForm(
        QueryDict(query) if query is not None else None,
        directorates=directorates_for(viewer).order_by("name"),
        officers=selectors.officer_choices(viewer),
    )


@pytest.mark.parametrize("query", [None, "", "status=received", "assignee=0&overdue=on"])
def test_the_cached_form_is_what_crispy_forms_renders(viewer, query):
    expected = str(render_crispy_form(queue_form(viewer, query)))
    assert render_cached(queue_form(viewer, query)) == expected
    assert render_cached(queue_form(viewer, query)) == expected  # from the cache


def test_a_form_shown_again_costs_one_query(viewer, django_assert_num_queries):
    render_cached(queue_form(viewer))
    with django_assert_num_queries(1):  # the options' digest
        render_cached(queue_form(viewer))


def test_a_form_shown_again_to_the_same_viewer_soon_costs_none(viewer, django_assert_num_queries):
    first = render_cached(queue_form(viewer), viewer=viewer)
    with django_assert_num_queries(0):
        assert render_cached(queue_form(viewer), viewer=viewer) == first


def test_a_change_reaches_a_viewer_once_the_recheck_time_has_passed(viewer, settings):
    officer = Officer.objects.filter(council_id=viewer.council_id).first()
    render_cached(queue_form(viewer), viewer=viewer)
    Officer.objects.filter(pk=officer.pk).update(full_name="Zebedee Renamed")
    assert "Zebedee Renamed" not in render_cached(queue_form(viewer), viewer=viewer)
    assert "Zebedee Renamed" in render_cached(queue_form(viewer))  # checked without a viewer
    caches[RENDERED_FORMS_CACHE].delete(
        f"options:complaints.forms.QueueFilterForm:{viewer.pk}"
    )  # as the entry's 30 seconds running out does
    assert "Zebedee Renamed" in render_cached(queue_form(viewer), viewer=viewer)
    settings.RENDERED_FORM_RECHECK_SECONDS = 0  # checked every time
    Officer.objects.filter(pk=officer.pk).update(full_name="Yolanda Renamed")
    assert "Yolanda Renamed" in render_cached(queue_form(viewer), viewer=viewer)


def test_other_submitted_values_are_rendered_apart(viewer):
    officer = Officer.objects.filter(council_id=viewer.council_id).first()
    chosen = render_cached(queue_form(viewer, f"assignee={officer.pk}"))
    assert f'value="{officer.pk}" selected' in chosen
    assert f'value="{officer.pk}" selected' not in render_cached(queue_form(viewer, "status="))


def test_the_digest_changes_with_any_option_however_it_was_written(viewer):
    before = options_fingerprint(queue_form(viewer))
    directorate = Directorate.objects.filter(council_id=viewer.council_id).first()
    Directorate.objects.filter(pk=directorate.pk).update(name="Renamed")
    renamed = options_fingerprint(queue_form(viewer))
    Officer.objects.filter(council_id=viewer.council_id).update(active=False)
    nobody = options_fingerprint(queue_form(viewer))
    assert len({before, renamed, nobody}) == 3


def test_another_councils_options_do_not_change_the_digest(viewer):
    before = options_fingerprint(queue_form(viewer))
    factories.OfficerFactory(council=factories.CouncilFactory())
    assert options_fingerprint(queue_form(viewer)) == before
