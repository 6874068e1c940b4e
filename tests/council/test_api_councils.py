"""``/api/v1/councils/`` (API.md, Councils): each caller sees their own council, superusers
create them, administrators change their calendar settings."""

import datetime

import pytest

from council.models import ClosureDay, Council
from tests import factories

pytestmark = pytest.mark.django_db


def url(slug=None):
    return f"/api/v1/councils/{slug}/" if slug else "/api/v1/councils/"


def test_a_person_sees_only_their_own_council(council, other_council, client_as):
    client = client_as("officer")
    assert [row["slug"] for row in client.get(url()).json()["results"]] == ["city"]
    assert client.get(url("elsewhere")).status_code == 404
    assert client.get(url("does-not-exist")).status_code == 404


def test_a_superuser_sees_every_council(council, other_council, client_as):
    slugs = [row["slug"] for row in client_as("superuser").get(url()).json()["results"]]
    assert slugs == ["city", "elsewhere"]


def test_the_council_has_the_contract_fields_and_an_etag(council, client_as):
    ClosureDay.objects.create(council=council, date=datetime.date(2026, 12, 29), reason="Shut")
    response = client_as("member").get(url("city"))
    assert response.status_code == 200
    assert response.json() == {
        "slug": "city",
        "name": "City Council",
        "nation": "england",
        "cutoff_time": "17:00",
        "deadline_convention": "deemed_receipt",
        "closure_days": ["2026-12-29"],
        "version": 1,
    }
    assert response["ETag"] == '"1"'


def test_a_superuser_creates_a_council_with_closure_days(db, client_as):
    response = client_as("superuser").post(
        url(),
        {
            "slug": "parish",
            "name": "Parish Council",
            "nation": "wales",
            "cutoff_time": "16:00",
            "closure_days": ["2026-12-30", "2026-12-29", "2026-12-29"],
        },
    )
    assert response.status_code == 201, response.json()
    assert response.json()["closure_days"] == ["2026-12-29", "2026-12-30"]
    council = Council.objects.get(slug="parish")
    assert council.cutoff_time == datetime.time(16, 0)
    assert council.nation == "wales"


@pytest.mark.parametrize("role", ["administrator", "monitoring_officer", "member"])
def test_only_superusers_create_councils(council, client_as, role):
    response = client_as(role).post(url(), {"slug": "new", "name": "New Council"})
    assert response.status_code == 403
    assert not Council.objects.filter(slug="new").exists()


def test_an_administrator_sets_the_cutoff_and_the_closure_days(council, client_as):
    ClosureDay.objects.create(council=council, date=datetime.date(2026, 12, 29), reason="Shut")
    ClosureDay.objects.create(council=council, date=datetime.date(2026, 12, 30))
    response = client_as("administrator").patch(
        url("city"),
        {"cutoff_time": "16:30", "closure_days": ["2026-12-29", "2026-12-31"]},
        HTTP_IF_MATCH='"1"',
    )
    assert response.status_code == 200, response.json()
    assert response.json()["cutoff_time"] == "16:30"
    assert response.json()["closure_days"] == ["2026-12-29", "2026-12-31"]
    assert response.json()["version"] == 2
    assert response["ETag"] == '"2"'
    kept = ClosureDay.objects.get(council=council, date=datetime.date(2026, 12, 29))
    assert kept.reason == "Shut"  # an unchanged day keeps its row


def test_changing_only_closure_days_makes_a_new_version(council, client_as):
    response = client_as("administrator").patch(url("city"), {"closure_days": ["2027-01-04"]})
    assert response.json()["version"] == 2


def test_a_patch_that_changes_nothing_keeps_the_version(council, client_as):
    response = client_as("administrator").patch(url("city"), {"name": "City Council"})
    assert response.json()["version"] == 1


@pytest.mark.parametrize("cutoff", ["5pm", "17:00:00", "25:00", ""])
def test_the_cutoff_must_be_hh_mm(council, client_as, cutoff):
    response = client_as("administrator").patch(url("city"), {"cutoff_time": cutoff})
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["cutoff_time"]


def test_a_bad_closure_day_writes_nothing(council, client_as):
    response = client_as("administrator").patch(
        url("city"), {"name": "Renamed", "closure_days": ["2026-12-29", "not a date"]}
    )
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["closure_days.1"]
    council.refresh_from_db()
    assert council.name == "City Council" and not council.closure_days.exists()


def test_the_slug_cannot_change(council, client_as):
    response = client_as("administrator").patch(url("city"), {"slug": "town"})
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["slug"]


@pytest.mark.parametrize("role", ["officer", "member", "hr", "casework", "monitoring_officer"])
def test_only_administrators_change_the_council(council, client_as, role):
    response = client_as(role).patch(url("city"), {"name": "Renamed"})
    assert response.status_code == 403
    council.refresh_from_db()
    assert council.name == "City Council"


def test_another_councils_administrator_gets_404(council, other_council, client_as):
    client = client_as("administrator", other_council)
    assert client.patch(url("city"), {"name": "Mine now"}).status_code == 404


def test_a_stale_if_match_answers_412_and_writes_nothing(council, client_as):
    client = client_as("administrator")
    client.patch(url("city"), {"name": "First"}, HTTP_IF_MATCH='"1"')
    response = client.patch(url("city"), {"name": "Second"}, HTTP_IF_MATCH='"1"')
    assert response.status_code == 412
    assert response.json() == {
        "detail": "This record has changed since you last read it.",
        "errors": {},
        "current_version": 2,
    }
    assert response["ETag"] == '"2"'
    council.refresh_from_db()
    assert council.name == "First"


def test_an_if_match_that_does_not_parse_answers_400(council, client_as):
    response = client_as("administrator").patch(
        url("city"), {"name": "Renamed"}, HTTP_IF_MATCH="yesterday"
    )
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["If-Match"]
    council.refresh_from_db()
    assert council.name == "City Council"


def test_the_working_days_route_still_answers_beside_the_council_routes(council, client_as):
    response = client_as("officer").get(
        "/api/v1/councils/city/working-days/", {"start": "2026-12-18", "days": 3}
    )
    assert response.status_code == 200
    assert response.json() == {"receipt_day": "2026-12-18", "due_date": "2026-12-23"}


def test_a_superuser_without_a_council_of_their_own_reads_any_council(db, client_as):
    superuser = client_as("superuser")
    assert superuser.user.council_id is None
    factories.CouncilFactory(slug="x")
    assert superuser.get(url("x")).status_code == 200


def test_a_closure_day_set_through_the_api_moves_the_due_date(council, client_as):
    client = client_as("administrator")
    query = {"start": "2026-12-18", "days": 3}
    before = client.get("/api/v1/councils/city/working-days/", query).json()["due_date"]
    client.patch(url("city"), {"closure_days": ["2026-12-21"]})
    after = client.get("/api/v1/councils/city/working-days/", query).json()["due_date"]
    assert (before, after) == ("2026-12-23", "2026-12-24")
