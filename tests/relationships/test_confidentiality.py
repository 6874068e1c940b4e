"""Nobody but the Monitoring Officer and the Chief Executive learns a declaration's details —
what kind it is, what was said, the advice, who outside the council it names — through any
endpoint or page: the declaration list and detail, the conflict check, the assign form's
picker and its refusal, the register and its CSV, the audit history, the notifications
(DESIGN.md, Declared relationships; Security decisions). The two parties are not "anybody":
the declarant sees their own, and the member it names reads the advice."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from core.audit import history_url
from relationships import services
from relationships.parties import External
from tests import factories

from .conftest import client_for

SECRETS = (
    "Secret-description-1234",
    "Secret-advice-5678",
    "Lodge of the Silent Owls",
    "close_personal",
    "Close personal relationship",
    "organisation_membership",
    "Membership of an organisation",
)


@pytest.fixture
def secrets(people):
    close = factories.declaration(
        people.officer,
        people.member,
        kind="close_personal",
        description="Secret-description-1234",
        declared_to="chief_executive",
    )
    services.give_advice(declaration=close, by="test", advice="Secret-advice-5678")
    lodge = factories.declaration(
        people.officer,
        External("Lodge of the Silent Owls"),
        kind="organisation_membership",
        description="Secret-description-1234",
    )
    enquiry = factories.enquiry(people.council, member=people.member)
    return {"close": close, "lodge": lodge, "enquiry": enquiry}


def everything(client, people, secrets) -> list[tuple[str, int, str]]:
    """Every page and endpoint that could say something about the declarations, as
    (url, status, body)."""
    close, lodge, enquiry = secrets["close"], secrets["lodge"], secrets["enquiry"]
    urls = [
        reverse("declaration-list"),
        reverse("declaration-detail", args=[close.pk]),
        reverse("declaration-detail", args=[lodge.pk]),
        reverse("declaration-list") + f"?person=officer:{people.officer.pk}",
        reverse("conflict-check") + f"?a=member:{people.member.pk}&b=officer:{people.officer.pk}",
        reverse("enquiry", args=[enquiry.pk]),
        reverse("declaration-register"),
        reverse("declaration-register-csv"),
        reverse("declaration", args=[close.pk]),
        reverse("declaration", args=[lodge.pk]),
        reverse("my-declarations"),
        reverse("notifications"),
        reverse("notification-list"),
        history_url(close),
        history_url(lodge),
        reverse("home"),
    ]
    answers = []
    for url in urls:
        response = client.get(url)
        answers.append((url, response.status_code, response.content.decode()))
    refused = client.post(
        reverse("enquiry-assign", args=[enquiry.pk]), {"officer": people.officer.pk}
    )
    answers.append(("assign", refused.status_code, refused.content.decode()))
    refused_page = client.post(
        reverse("enquiry-action", args=[enquiry.pk, "assign"]),
        {"assign-officer": people.officer.pk, "assign-version": enquiry.version},
    )
    answers.append(("assign page", refused_page.status_code, refused_page.content.decode()))
    return answers


def leaks(answers) -> list[tuple[str, str]]:
    return [(url, secret) for url, _status, body in answers for secret in SECRETS if secret in body]


OTHERS = ("casework", "manager", "director", "administrator", "colleague", "other_member")


@pytest.mark.parametrize("who", OTHERS)
def test_nobody_else_learns_any_detail_anywhere(people, secrets, who):
    record = getattr(people, who)
    client = APIClient()
    client.force_login(record.user)
    assert leaks(everything(client, people, secrets)) == []


def test_a_ward_colleague_of_the_member_learns_nothing(people, secrets):
    assert leaks(everything(client_for(people.ward_colleague), people, secrets)) == []


def test_a_superuser_learns_nothing_through_the_pages_and_api(people, secrets):
    client = Client()
    client.force_login(factories.SuperuserFactory())
    answers = [a for a in everything(client, people, secrets) if "/history/" not in a[0]]
    assert leaks(answers) == []


def test_a_token_with_every_scope_learns_nothing(people, secrets, token_client):
    client = token_client(["*"])
    assert leaks(everything(client, people, secrets)) == []


def test_the_casework_team_learns_only_that_a_conflict_exists(people, secrets):
    answers = {
        url: (status, body)
        for url, status, body in everything(client_for(people.casework), people, secrets)
    }
    conflict_url = next(url for url in answers if url.startswith(reverse("conflict-check")))
    assert answers[conflict_url] == (200, '{"conflict":true}')
    assert answers["assign"][0] == 409


def test_the_monitoring_officer_sees_every_detail(people, secrets):
    answers = everything(client_for(people.monitoring_officer), people, secrets)
    found = {secret for _url, _status, body in answers for secret in SECRETS if secret in body}
    assert {"Secret-description-1234", "Secret-advice-5678", "Lodge of the Silent Owls"} <= found


def test_the_chief_executive_sees_what_was_declared_to_them_but_not_the_lodge(people, secrets):
    answers = everything(client_for(people.chief_executive), people, secrets)
    found = {secret for _url, _status, body in answers for secret in SECRETS if secret in body}
    assert "Secret-advice-5678" in found
    assert "Lodge of the Silent Owls" not in found
