"""Keeping officers in step with the HR system (API.md, Officers; issue 7): the idempotent PUT
by employee number, the bulk sync of a whole establishment list, and leavers."""

import pytest

from complaints.models import Enquiry
from core.audit.models import AuditEvent
from core.notifications.models import Notification
from council.models import Officer, User
from tests import factories

pytestmark = pytest.mark.django_db

SYNC = "/api/v1/officers/sync/"


def put(client, number, body):
    return client.put(f"/api/v1/officers/by-employee-number/{number}/", body, format="json")


def audit_rows(council):
    return AuditEvent.objects.filter(council_id=council.pk).count()


def establishment(size, prefix="S"):
    """``size`` officers, each managed by the one before, listed reports first."""
    rows = [
        {
            "employee_number": f"{prefix}{n}",
            "full_name": f"Officer {n}",
            "email": f"{prefix.lower()}{n}@example.org",
            "job_title": "Officer",
            "line_manager": f"{prefix}{n - 1}" if n else None,
        }
        for n in range(size)
    ]
    return list(reversed(rows))


@pytest.fixture
def hr(token_client):
    return token_client(["officers:write"])


# The PUT by employee number -----------------------------------------------------------------


def test_a_repeated_put_writes_nothing_new(council, hr):
    body = {"full_name": "Ann Able", "email": "ann@example.org", "teams": ["hr"]}
    first = put(hr, "E1", body)
    assert first.status_code == 201
    rows = audit_rows(council)
    again = put(hr, "E1", body)
    assert again.status_code == 200
    assert again.json()["version"] == first.json()["version"]
    assert again["ETag"] == first["ETag"]
    assert audit_rows(council) == rows


def test_a_put_that_changes_a_field_makes_one_new_version(council, hr):
    put(hr, "E1", {"full_name": "Ann Able"})
    response = put(hr, "E1", {"job_title": "Head of HR"})
    assert response.json()["version"] == 2
    assert response.json()["full_name"] == "Ann Able"


# The bulk sync ------------------------------------------------------------------------------


def test_the_sync_creates_officers_with_managers_named_in_any_order(council, hr):
    response = hr.post(SYNC, {"officers": establishment(4)}, format="json")
    assert response.status_code == 200, response.json()
    assert sorted(response.json()["created"]) == ["S0", "S1", "S2", "S3"]
    managers = dict(
        Officer.objects.filter(council=council).values_list(
            "employee_number", "line_manager__employee_number"
        )
    )
    assert managers == {"S0": None, "S1": "S0", "S2": "S1", "S3": "S2"}
    account = User.objects.get(email="s3@example.org")
    assert account.council_id == council.pk and not account.has_usable_password()
    assert Officer.objects.get(employee_number="S3").user_id == account.pk


def test_syncing_the_same_list_again_writes_nothing(council, hr):
    hr.post(SYNC, {"officers": establishment(4)}, format="json")
    versions = dict(Officer.objects.values_list("employee_number", "version"))
    rows = audit_rows(council)
    response = hr.post(SYNC, {"officers": establishment(4)}, format="json")
    assert response.json()["unchanged"] == ["S3", "S2", "S1", "S0"]
    assert response.json()["created"] == response.json()["updated"] == []
    assert dict(Officer.objects.values_list("employee_number", "version")) == versions
    assert audit_rows(council) == rows


def test_the_sync_updates_only_what_changed(council, hr):
    hr.post(SYNC, {"officers": establishment(3)}, format="json")
    rows = establishment(3)
    rows[0]["job_title"] = "Senior officer"  # S2
    rows[1]["line_manager"] = None  # S1 now reports to nobody
    response = hr.post(SYNC, {"officers": rows}, format="json")
    assert response.json()["updated"] == ["S2", "S1"]
    s1 = Officer.objects.get(employee_number="S1")
    assert s1.line_manager_id is None and s1.version == 2
    assert Officer.objects.get(employee_number="S0").version == 1


def test_one_bad_row_writes_nothing_and_names_every_problem_by_row(council, hr):
    hr.post(SYNC, {"officers": establishment(2)}, format="json")
    rows_before, officers_before = audit_rows(council), Officer.objects.count()
    rows = [
        {"employee_number": "N1", "full_name": "New One"},
        {"employee_number": "S0", "job_title": "Changed"},
        {"employee_number": "N2", "full_name": "New Two", "line_manager": "NOBODY"},
        {"employee_number": "N1", "full_name": "Twice"},
        {"employee_number": "N3"},
    ]
    response = hr.post(SYNC, {"officers": rows}, format="json")
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert set(errors) == {
        "officers.2.line_manager",
        "officers.3.employee_number",
        "officers.4.full_name",
    }
    assert "NOBODY" in errors["officers.2.line_manager"][0]
    assert Officer.objects.count() == officers_before
    assert Officer.objects.get(employee_number="S0").job_title == "Officer"
    assert audit_rows(council) == rows_before


def test_a_shape_error_in_one_row_is_keyed_by_its_index(council, hr):
    rows = [{"employee_number": "A"}, {"employee_number": "B", "seniority": "emperor"}]
    response = hr.post(SYNC, {"officers": rows}, format="json")
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["officers.1.seniority"]
    assert not Officer.objects.exists()


def test_a_management_loop_in_the_batch_is_refused(council, hr):
    rows = [
        {"employee_number": "L1", "full_name": "One", "line_manager": "L2"},
        {"employee_number": "L2", "full_name": "Two", "line_manager": "L1"},
        {"employee_number": "L3", "full_name": "Three", "line_manager": "L3"},
    ]
    response = hr.post(SYNC, {"officers": rows}, format="json")
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {
        "officers.0.line_manager",
        "officers.1.line_manager",
        "officers.2.line_manager",
    }


def test_two_active_holders_of_a_single_holder_post_are_refused(council, hr):
    factories.OfficerFactory(council=council, statutory_role="monitoring_officer")
    rows = [{"employee_number": "M2", "full_name": "Mo", "statutory_role": "monitoring_officer"}]
    response = hr.post(SYNC, {"officers": rows}, format="json")
    assert response.status_code == 400
    assert "officers.0.statutory_role" in response.json()["errors"]


def test_an_email_of_another_councils_person_is_refused(council, other_council, hr):
    factories.UserFactory(council=other_council, email="theirs@example.org")
    rows = [{"employee_number": "X", "full_name": "X", "email": "Theirs@example.org"}]
    response = hr.post(SYNC, {"officers": rows}, format="json")
    assert response.status_code == 400
    assert "officers.0.email" in response.json()["errors"]


def test_a_dry_run_reports_what_would_change_and_writes_nothing(council, hr):
    rows_before = audit_rows(council)
    response = hr.post(SYNC, {"officers": establishment(3), "dry_run": True}, format="json")
    assert response.status_code == 200
    assert response.json()["dry_run"] is True
    assert sorted(response.json()["created"]) == ["S0", "S1", "S2"]
    assert not Officer.objects.exists()
    assert not User.objects.filter(email__startswith="s").exists()
    assert audit_rows(council) == rows_before


def test_a_token_syncs_into_its_own_council_only(council, other_council, hr):
    factories.OfficerFactory(council=other_council, employee_number="THEIRS")
    rows = [{"employee_number": "OURS", "full_name": "Ours", "line_manager": "THEIRS"}]
    response = hr.post(SYNC, {"officers": rows}, format="json")
    assert response.status_code == 400
    assert "officers.0.line_manager" in response.json()["errors"]
    rows[0]["line_manager"] = None
    assert hr.post(SYNC, {"officers": rows}, format="json").status_code == 200
    assert Officer.objects.get(employee_number="OURS").council_id == council.pk


def test_the_sync_costs_the_same_queries_for_5_or_60_officers(
    council, hr, django_assert_num_queries
):
    factories.DirectorateFactory(council=council)
    hr.post(SYNC, {"officers": []}, format="json")  # records the token's use
    # The request's actor (4: scope, token, actor, council); the transaction (savepoint,
    # actor, release); officers (locked); accounts by email; new accounts; ids for new
    # officers; new officers.
    with django_assert_num_queries(13):
        assert hr.post(SYNC, {"officers": establishment(5, "A")}, format="json").status_code == 200
    with django_assert_num_queries(13):
        assert hr.post(SYNC, {"officers": establishment(60, "B")}, format="json").status_code == 200
    rows = establishment(60, "B")
    for row in rows:
        row["job_title"] = "Renamed"
    # The request (5), the transaction (3); officers (locked); changed officers.
    with django_assert_num_queries(10):
        response = hr.post(SYNC, {"officers": rows}, format="json")
    assert len(response.json()["updated"]) == 60


# Leavers ------------------------------------------------------------------------------------


@pytest.fixture
def leaver_with_work(council):
    manager_user = factories.person("officer", council)
    manager = manager_user.officer
    leaver_user = factories.person("casework", council)
    leaver = leaver_user.officer
    leaver.line_manager = manager
    leaver.save()
    open_enquiry = factories.enquiry(council, assigned_officer=leaver)
    closed = factories.enquiry(council, assigned_officer=leaver)
    Enquiry.objects.filter(pk=closed.pk).update(
        status="closed",
        closed_at=closed.received_at,
        responded_at=closed.received_at,
        response="Done",
        response_due="9999-12-31",
    )
    return {"leaver": leaver, "manager": manager, "open": open_enquiry, "closed": closed}


@pytest.mark.parametrize("how", ["put", "sync"])
def test_a_leaver_loses_sign_in_and_their_open_enquiries_are_flagged_for_their_manager(
    council, hr, leaver_with_work, how
):
    leaver, manager = leaver_with_work["leaver"], leaver_with_work["manager"]
    if how == "put":
        response = put(hr, leaver.employee_number, {"active": False})
    else:
        body = {"officers": [{"employee_number": leaver.employee_number, "active": False}]}
        response = hr.post(SYNC, body, format="json")
        assert response.json()["leavers"] == [leaver.employee_number]
    assert response.status_code == 200
    leaver.refresh_from_db()
    assert not leaver.active and not leaver.user.is_active
    open_enquiry = Enquiry.objects.get(pk=leaver_with_work["open"].pk)
    assert open_enquiry.reassignment_needed_since is not None
    assert open_enquiry.assigned_officer_id == leaver.pk  # history kept until reassigned
    assert open_enquiry.version == leaver_with_work["open"].version + 1
    closed = Enquiry.objects.get(pk=leaver_with_work["closed"].pk)
    assert closed.reassignment_needed_since is None
    told = Notification.objects.filter(recipient=manager.user, resource_id=open_enquiry.pk)
    assert told.count() == 1
    assert "needs reassigning" in told.get().subject
    assert told.get().kind == "reassignment_needed"


def test_a_leaver_sent_again_is_not_flagged_again(council, hr, leaver_with_work):
    leaver = leaver_with_work["leaver"]
    put(hr, leaver.employee_number, {"active": False})
    flagged_at = Enquiry.objects.get(pk=leaver_with_work["open"].pk).reassignment_needed_since
    put(hr, leaver.employee_number, {"active": False})
    assert (
        Enquiry.objects.get(pk=leaver_with_work["open"].pk).reassignment_needed_since == flagged_at
    )
    told = Notification.objects.filter(
        resource_id=leaver_with_work["open"].pk, subject__contains="needs reassigning"
    )
    assert told.count() == 1


def test_a_returner_can_sign_in_again(council, hr, leaver_with_work):
    leaver = leaver_with_work["leaver"]
    put(hr, leaver.employee_number, {"active": False})
    put(hr, leaver.employee_number, {"active": True})
    leaver.user.refresh_from_db()
    assert leaver.user.is_active
