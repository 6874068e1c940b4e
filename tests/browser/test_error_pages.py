"""The error pages Django renders without a view's context, checked with axe-core."""

import pytest
from django.template.loader import render_to_string
from playwright.sync_api import Page, expect

from .conftest import assert_accessible

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("template", ["400.html", "403.html", "403_csrf.html", "500.html"])
def test_error_pages_are_accessible(page: Page, axe, template):
    # Rendered as Django renders them for a failed request: without a request (500, CSRF
    # failure) or with no signed-in person. Shown at the live server's origin so the
    # stylesheets load.
    page.goto("/sign-in/")
    page.set_content(render_to_string(template))
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert_accessible(page, axe)
