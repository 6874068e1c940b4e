"""The confidentiality matrix (DESIGN.md, Conduct complaints; issue 6): every complaint API
endpoint and page, for each person the rules name — the complainant, the subject (not yet
told), the stage owner, the Monitoring Officer, an unrelated officer, an unrelated member, the
director of the subject, and a person of another council. Nothing leaks (404), and whoever is
allowed gets through (400 for an empty body, 412 for a stale version, 200 for a page).

The complaint is a member's (``org.councillor``) about an officer (``org.officer``): its first
stage is owned by the officer's line manager (``org.manager``); ``org.director`` directs the
officer's directorate but owns no stage.
"""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from complaints.conduct import services
from tests import factories

from .conftest import client_for

PERSONAS = (
    "complainant",
    "subject",
    "owner",
    "monitoring_officer",
    "unrelated_officer",
    "unrelated_member",
    "subjects_director",
    "other_council",
)
STALE = {"If-Match": '"0"'}


def expect(default: int, **overrides: int) -> dict[str, int]:
    assert not set(overrides) - set(PERSONAS)
    return {persona: overrides.get(persona, default) for persona in PERSONAS}


@pytest.fixture
def world(org, raise_complaint, settings, tmp_path):
    settings.COUNCILCASE_PRIVATE_MEDIA_ROOT = str(tmp_path)
    complaint = raise_complaint(org.councillor, org.officer)
    assert complaint.current_stage.owner_officer == org.manager
    evidence = services.add_evidence(
        complaint=complaint,
        by=org.councillor.user,
        file=SimpleUploadedFile("note.txt", b"What was said.", content_type="text/plain"),
    )
    other = factories.CouncilFactory(slug="elsewhere")
    users = {
        "complainant": org.councillor.user,
        "subject": org.officer.user,
        "owner": org.manager.user,
        "monitoring_officer": org.monitoring_officer.user,
        "unrelated_officer": org.outsider.user,
        "unrelated_member": org.bystander.user,
        "subjects_director": org.director.user,
        "other_council": factories.person("monitoring_officer", other),
    }
    complaint.refresh_from_db()
    return {"complaint": complaint, "evidence": evidence, "users": users}


def answers(world, method: str, url: str, *, headers=None, data=None) -> dict[str, int]:
    found = {}
    for persona in PERSONAS:
        client = client_for(world["users"][persona])
        if method == "GET":
            response = client.get(url)
        else:
            response = client.post(url, data or {}, format="json", headers=headers or {})
        found[persona] = response.status_code
    return found


SEES = expect(404, complainant=200, owner=200, monitoring_officer=200)

API_READS = {
    "complaint-detail": SEES,
    "complaint-history": expect(404, complainant=403, owner=200, monitoring_officer=200),
    "complaint-views": expect(404, complainant=403, owner=403, monitoring_officer=200),
}
API_ACTIONS = {
    "escalate": expect(404, complainant=400, owner=400, monitoring_officer=400),
    "reroute": expect(404, complainant=403, owner=403, monitoring_officer=400),
    "resolve": expect(404, complainant=403, owner=400, monitoring_officer=400),
    "cite": expect(404, complainant=403, owner=400, monitoring_officer=400),
    "withdraw": expect(404, complainant=412, owner=403, monitoring_officer=412),
    "close": expect(404, complainant=403, owner=403, monitoring_officer=412),
    "notify-subject": expect(404, complainant=403, owner=412, monitoring_officer=412),
    "assign-investigator": expect(404, complainant=403, owner=403, monitoring_officer=400),
    "evidence": expect(404, complainant=400, owner=400, monitoring_officer=400),
}


@pytest.mark.parametrize("name", sorted(API_READS))
def test_api_reads_answer_each_person_as_the_matrix_says(world, name):
    url = reverse(name, args=[world["complaint"].pk])
    assert answers(world, "GET", url) == API_READS[name]


@pytest.mark.parametrize("name", sorted(API_ACTIONS))
def test_api_actions_answer_each_person_as_the_matrix_says(world, name):
    url = reverse(f"complaint-{name}", args=[world["complaint"].pk])
    assert answers(world, "POST", url, headers=STALE) == API_ACTIONS[name]


def test_the_api_list_shows_each_person_only_what_they_may_see(world):
    pk = world["complaint"].pk
    seen = {}
    for persona in PERSONAS:
        response = client_for(world["users"][persona]).get(reverse("complaint-list"))
        assert response.status_code == 200
        seen[persona] = [row["id"] for row in response.json()["results"]]
    assert seen == {persona: [pk] if SEES[persona] == 200 else [] for persona in PERSONAS}


def test_the_complainant_sees_progress_without_owners_or_warnings(world):
    data = (
        client_for(world["users"]["complainant"])
        .get(reverse("complaint-detail", args=[world["complaint"].pk]))
        .json()
    )
    assert data["access"] == "complainant"
    assert data["current_stage"]["owner"] is None
    assert all(stage["owner"] is None for stage in data["stages"])


# Pages --------------------------------------------------------------------------------------

PAGES = {
    "complaint": SEES,
    "complaint-evidence-file": SEES | {"owner": 200},
    "complaint-dashboard": expect(404, monitoring_officer=200, other_council=200),
    "complaint-mine": expect(200),
    "complaint-raise": expect(200),
}


def page_url(name, world) -> str:
    complaint = world["complaint"]
    if name == "complaint":
        return reverse(name, args=[complaint.pk])
    if name == "complaint-evidence-file":
        return reverse(name, args=[complaint.pk, world["evidence"].pk])
    return reverse(name)


@pytest.mark.parametrize("name", sorted(PAGES))
def test_pages_answer_each_person_as_the_matrix_says(world, name):
    assert answers(world, "GET", page_url(name, world)) == PAGES[name]


PAGE_ACTIONS = {
    "escalate": expect(404, complainant=200, owner=200, monitoring_officer=200),
    "reroute": expect(404, complainant=403, owner=403, monitoring_officer=200),
    "resolve": expect(404, complainant=403, owner=200, monitoring_officer=200),
    "cite": expect(404, complainant=403, owner=200, monitoring_officer=200),
    "withdraw": expect(404, complainant=409, owner=403, monitoring_officer=409),
    "close": expect(404, complainant=403, owner=403, monitoring_officer=409),
    "notify-subject": expect(404, complainant=403, owner=409, monitoring_officer=409),
    "assign-investigator": expect(404, complainant=403, owner=403, monitoring_officer=200),
    "attach": expect(404, complainant=200, owner=200, monitoring_officer=200),
}


@pytest.mark.parametrize("name", sorted(PAGE_ACTIONS))
def test_page_actions_answer_each_person_as_the_matrix_says(world, name):
    """An empty form with a stale version: re-shown with its errors (200) or refused as stale
    (409) for whoever may act; 403 for whoever sees but may not; 404 for the rest."""
    url = reverse("complaint-action", args=[world["complaint"].pk, name])
    found = {}
    for persona in PERSONAS:
        client = client_for(world["users"][persona])
        prefix = name
        response = client.post(url, {f"{prefix}-version": "0"}, format="multipart")
        found[persona] = response.status_code
    assert found == PAGE_ACTIONS[name]


def test_the_dashboard_shows_no_other_councils_complaints(world):
    response = client_for(world["users"]["other_council"]).get(reverse("complaint-dashboard"))
    assert world["complaint"].reference not in response.content.decode()


def test_a_complaint_shown_on_the_dashboard_or_a_list_is_recorded_as_viewed(world):
    from complaints.conduct.models import ComplaintView

    client_for(world["users"]["monitoring_officer"]).get(page_url("complaint-dashboard", world))
    client_for(world["users"]["owner"]).get(page_url("complaint-mine", world))
    seen = set(
        ComplaintView.objects.filter(complaint=world["complaint"]).values_list("viewer", "via")
    )
    assert (world["users"]["monitoring_officer"].pk, "dashboard") in seen
    assert (world["users"]["owner"].pk, "list") in seen


def test_a_page_view_is_recorded(world):
    from complaints.conduct.models import ComplaintView

    client_for(world["users"]["owner"]).get(page_url("complaint", world))
    assert ComplaintView.objects.filter(
        complaint=world["complaint"], viewer=world["users"]["owner"], via="page"
    ).exists()
