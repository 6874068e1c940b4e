"""The organisation's invariants, stated in services and again in the database."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction

from core.errors import PreconditionFailed
from council import services
from council.models import Council, Member, Officer, User

BY = "test"


@pytest.fixture
def council(db):
    return services.create_council(by=BY, slug="north", name="North District")


def test_employee_number_is_unique_per_council_in_the_database(council):
    services.upsert_officer(council=council, by=BY, employee_number="E1", full_name="A")
    with pytest.raises(IntegrityError), transaction.atomic():
        Officer.objects.create(council=council, employee_number="E1", full_name="B")


def test_the_same_employee_number_may_exist_in_two_councils(council):
    other = services.create_council(by=BY, slug="south", name="South District")
    services.upsert_officer(council=council, by=BY, employee_number="E1", full_name="A")
    services.upsert_officer(council=other, by=BY, employee_number="E1", full_name="B")
    assert Officer.objects.filter(employee_number="E1").count() == 2


def test_upsert_officer_is_idempotent(council):
    first, created = services.upsert_officer(
        council=council, by=BY, employee_number="E1", full_name="Ann", job_title="Clerk"
    )
    again, created_again = services.upsert_officer(
        council=council, by=BY, employee_number="E1", full_name="Ann", job_title="Clerk"
    )
    assert (created, created_again) == (True, False)
    assert first.pk == again.pk
    assert Officer.objects.count() == 1


def test_an_officer_cannot_manage_themselves_in_the_database(council):
    officer, _ = services.upsert_officer(
        council=council, by=BY, employee_number="E1", full_name="A"
    )
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE council_officer SET line_manager_id = id WHERE id = %s", [officer.pk]
        )


def test_an_officer_cannot_manage_themselves_through_the_service(council):
    officer, _ = services.upsert_officer(
        council=council, by=BY, employee_number="E1", full_name="A"
    )
    with pytest.raises(ValidationError) as error:
        services.upsert_officer(council=council, by=BY, employee_number="E1", line_manager=officer)
    assert "line_manager" in error.value.message_dict


def test_management_cycles_are_refused(council):
    boss, _ = services.upsert_officer(council=council, by=BY, employee_number="E1", full_name="A")
    report, _ = services.upsert_officer(
        council=council, by=BY, employee_number="E2", full_name="B", line_manager=boss
    )
    with pytest.raises(ValidationError):
        services.upsert_officer(council=council, by=BY, employee_number="E1", line_manager=report)
    boss.refresh_from_db()
    assert boss.line_manager_id is None


def test_a_line_manager_from_another_council_is_refused(council):
    other = services.create_council(by=BY, slug="south", name="South District")
    stranger, _ = services.upsert_officer(council=other, by=BY, employee_number="X", full_name="X")
    with pytest.raises(ValidationError) as error:
        services.upsert_officer(
            council=council, by=BY, employee_number="E1", full_name="A", line_manager=stranger
        )
    assert "line_manager" in error.value.message_dict
    assert not Officer.objects.filter(council=council).exists()


def test_member_term_must_end_after_it_starts_in_the_database(council):
    with pytest.raises(IntegrityError), transaction.atomic():
        Member.objects.create(
            council=council,
            full_name="A",
            term_start=datetime.date(2024, 5, 2),
            term_end=datetime.date(2024, 5, 1),
        )


def test_member_term_must_end_after_it_starts_through_the_service(council):
    with pytest.raises(ValidationError):
        services.create_member(
            council=council,
            by=BY,
            full_name="A",
            term_start=datetime.date(2024, 5, 2),
            term_end=datetime.date(2024, 5, 1),
        )
    assert not Member.objects.exists()


def test_one_active_monitoring_officer_per_council(council):
    services.upsert_officer(
        council=council,
        by=BY,
        employee_number="E1",
        full_name="A",
        statutory_role="monitoring_officer",
    )
    with pytest.raises(ValidationError) as error:
        services.upsert_officer(
            council=council,
            by=BY,
            employee_number="E2",
            full_name="B",
            statutory_role="monitoring_officer",
        )
    assert "statutory_role" in error.value.message_dict
    assert Officer.objects.count() == 1


def test_creating_a_record_with_an_email_links_or_creates_the_account(council):
    existing = User.objects.create_user(email="Ann.Smith@North.gov.uk")
    officer, _ = services.upsert_officer(
        council=council,
        by=BY,
        employee_number="E1",
        full_name="Ann Smith",
        email="ann.smith@north.gov.uk",
    )
    member = services.create_member(
        council=council, by=BY, full_name="Bob Jones", email="bob@example.org"
    )
    assert officer.user == existing
    assert member.user.email == "bob@example.org"
    assert not member.user.has_usable_password()
    assert member.user.council == council


def test_an_account_of_another_council_is_not_linked(council):
    other = services.create_council(by=BY, slug="south", name="South District")
    services.create_member(council=other, by=BY, full_name="Ann", email="ann@example.org")
    with pytest.raises(ValidationError) as error:
        services.create_member(council=council, by=BY, full_name="Ann", email="ANN@example.org")
    assert "email" in error.value.message_dict


def test_a_leaver_loses_sign_in(council):
    officer, _ = services.upsert_officer(
        council=council, by=BY, employee_number="E1", full_name="A", email="a@north.gov.uk"
    )
    services.upsert_officer(council=council, by=BY, employee_number="E1", active=False)
    officer.refresh_from_db()
    assert officer.active is False
    assert officer.user.is_active is False


def test_a_stale_version_is_refused(council):
    officer, _ = services.upsert_officer(
        council=council, by=BY, employee_number="E1", full_name="A"
    )
    services.upsert_officer(
        council=council,
        by=BY,
        employee_number="E1",
        job_title="Clerk",
        expected_version=officer.version,
    )
    with pytest.raises(PreconditionFailed):
        services.upsert_officer(
            council=council,
            by=BY,
            employee_number="E1",
            job_title="Head clerk",
            expected_version=officer.version,
        )
    officer.refresh_from_db()
    assert (officer.job_title, officer.version) == ("Clerk", 2)


def test_closure_days_bump_the_council_version(council):
    before = Council.objects.get(pk=council.pk).version
    services.add_closure_day(council=council, by=BY, date=datetime.date(2026, 12, 29))
    with pytest.raises(ValidationError):
        services.add_closure_day(council=council, by=BY, date=datetime.date(2026, 12, 29))
    services.remove_closure_day(council=council, by=BY, date=datetime.date(2026, 12, 29))
    assert Council.objects.get(pk=council.pk).version == before + 2


def test_seed_demo_is_idempotent_and_gives_a_sign_in_per_role(db, settings, capsys):
    settings.DEBUG = True
    call_command("seed_demo")
    counts = (Officer.objects.count(), Member.objects.count(), User.objects.count())
    call_command("seed_demo")
    assert (Officer.objects.count(), Member.objects.count(), User.objects.count()) == counts
    output = capsys.readouterr().out
    assert "monitoring.officer@demo.councilcase.test" in output
    monitoring_officer = User.objects.get(email="monitoring.officer@demo.councilcase.test")
    assert monitoring_officer.check_password("councilcase-demo")
    assert monitoring_officer.officer.statutory_role == "monitoring_officer"


def test_seed_demo_refuses_production_settings(db, settings):
    from django.core.management.base import CommandError

    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG off"):
        call_command("seed_demo")
    assert not Council.objects.exists()
