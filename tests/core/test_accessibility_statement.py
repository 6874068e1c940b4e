"""The accessibility statement (the Public Sector Bodies (Websites and Mobile Applications)
(No. 2) Accessibility Regulations 2018), public and linked from every page's footer."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_statement_is_public(client):
    response = client.get("/accessibility/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Accessibility statement for Councilcase" in page
    for section in (
        "How accessible this service is",
        "Feedback and contact information",
        "Reporting accessibility problems with this service",
        "Enforcement procedure",
        "Compliance status",
        "Preparation of this accessibility statement",
    ):
        assert section in page


def test_the_statement_names_the_standard_the_enforcers_and_its_dates(client):
    page = client.get(reverse("accessibility-statement")).content.decode()
    assert "Web Content Accessibility Guidelines version 2.2</a> AA standard" in page
    assert "Equality and Human Rights Commission (EHRC)" in page
    assert "Equality Commission for Northern Ireland (ECNI)" in page
    assert "This statement was prepared on 23 November 2026" in page
    assert "Manual testing is still to be done" in page


def test_the_statement_gives_the_councils_contact(client, settings):
    settings.COUNCILCASE_ACCESSIBILITY_CONTACT = "access@city.gov.uk"
    page = client.get(reverse("accessibility-statement")).content.decode()
    assert 'href="mailto:access@city.gov.uk"' in page
    assert "placeholder" not in page


def test_the_default_contact_is_marked_as_a_placeholder(client):
    page = client.get(reverse("accessibility-statement")).content.decode()
    assert 'href="mailto:accessibility@example.invalid"' in page
    assert "This email address is a placeholder" in page


def test_every_page_footer_links_to_the_statement(client):
    page = client.get(reverse("login")).content.decode()
    assert f'<a class="govuk-footer__link" href="{reverse("accessibility-statement")}">' in page


def test_the_statement_takes_no_posts(client):
    assert client.post(reverse("accessibility-statement")).status_code == 405
