"""The audit trail (DESIGN.md, Audit and data protection): every change recorded by the
database with who, when and what, append-only, without copying personal data."""

import json
import uuid

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import DatabaseError, connection, transaction
from django.http import HttpResponse
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils.functional import SimpleLazyObject

from core.audit import acting_as, actor_scope, history_url, set_actor
from core.audit.middleware import AuditActorMiddleware
from core.audit.registry import registered
from core.audit.triggers import TRIGGER_PREFIX, install_triggers, use_generic_functions
from core.models import AuditEvent
from council.models import ApiToken, Council, Member, Officer, User

SECRET_EMAIL = "ann.private@example.org"


def current_actor():
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('councilcase.actor', true)")
        return cursor.fetchone()[0] or ""


def events_for(instance):
    return list(
        AuditEvent.objects.filter(
            table_name=instance._meta.db_table, row_pk=str(instance.pk)
        ).order_by("id")
    )


@pytest.fixture
def council(db):
    return Council.objects.create(slug=f"north-{uuid.uuid4().hex[:8]}", name="North District")


@pytest.fixture
def other_council(db):
    return Council.objects.create(slug=f"south-{uuid.uuid4().hex[:8]}", name="South District")


def make_officer(council, number="E1", **fields):
    fields.setdefault("full_name", "Ann Example")
    return Officer.objects.create(council=council, employee_number=number, **fields)


def make_user_with_officer(council, email, **officer_fields):
    user = User.objects.create_user(email=email, password=None, council=council)
    make_officer(council, number=email, user=user, **officer_fields)
    return user


# What is recorded --------------------------------------------------------------------------


def test_insert_update_and_delete_are_recorded_with_the_actor(council):
    with acting_as("user:41"):
        officer = make_officer(council, job_title="Clerk")
    with acting_as("user:42"):
        officer.job_title = "Senior clerk"
        officer.save()
    pk = officer.pk
    with acting_as("task:leavers"):
        officer.delete()

    inserted, updated, deleted = AuditEvent.objects.filter(
        table_name="council_officer", row_pk=str(pk)
    ).order_by("id")
    assert (inserted.action, inserted.actor) == ("insert", "user:41")
    assert inserted.changes["job_title"] == "Clerk"
    assert inserted.council_id == council.pk
    assert (updated.action, updated.actor) == ("update", "user:42")
    assert updated.changes == {"job_title": ["Clerk", "Senior clerk"]}
    assert (deleted.action, deleted.actor) == ("delete", "task:leavers")
    assert deleted.changes["job_title"] == "Senior clerk"
    assert inserted.transaction_id > 0
    assert inserted.occurred_at <= updated.occurred_at <= deleted.occurred_at


def test_a_change_with_nobody_named_is_recorded_without_an_actor(council):
    officer = make_officer(council)
    assert events_for(officer)[0].actor is None


def test_queryset_update_is_recorded_for_every_row(council):
    officers = [make_officer(council, number=f"E{n}", job_title="Clerk") for n in range(3)]
    with acting_as("command:retitle"):
        Officer.objects.filter(council=council).update(job_title="Officer")
    for officer in officers:
        last = events_for(officer)[-1]
        assert (last.action, last.actor) == ("update", "command:retitle")
        assert last.changes == {"job_title": ["Clerk", "Officer"]}


def test_bulk_create_is_recorded(council):
    with acting_as("token:7"):
        created = Officer.objects.bulk_create(
            Officer(council=council, employee_number=f"B{n}", full_name="B") for n in range(5)
        )
    assert (
        AuditEvent.objects.filter(
            table_name="council_officer",
            row_pk__in=[str(o.pk) for o in created],
            action="insert",
            actor="token:7",
        ).count()
        == 5
    )


def test_raw_sql_is_recorded(council):
    officer = make_officer(council, job_title="Clerk")
    with acting_as("command:psql"), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE council_officer SET job_title = 'Head clerk' WHERE id = %s", [officer.pk]
        )
        cursor.execute("DELETE FROM council_officer WHERE id = %s", [officer.pk])
    actions = [(e.action, e.actor) for e in events_for(officer)]
    assert actions == [("insert", None), ("update", "command:psql"), ("delete", "command:psql")]


def test_an_update_records_only_the_changed_columns_and_never_updated_at(council):
    officer = make_officer(council, job_title="Clerk", seniority="officer")
    Officer.objects.filter(pk=officer.pk).update(seniority="manager", teams=["casework"])
    changes = events_for(officer)[-1].changes
    assert changes == {"seniority": ["officer", "manager"], "teams": [[], ["casework"]]}
    assert "updated_at" not in events_for(officer)[0].changes


def test_a_change_only_to_excluded_columns_records_no_event(council):
    token = ApiToken.objects.create(
        council=council, name="HR sync", key_prefix="abc", key_digest="d" * 64
    )
    before = len(events_for(token))
    ApiToken.objects.filter(pk=token.pk).update(last_used_at="2026-01-05T10:00:00Z")
    assert len(events_for(token)) == before


def test_an_update_that_changes_nothing_records_no_event(council):
    officer = make_officer(council, job_title="Clerk")
    Officer.objects.filter(pk=officer.pk).update(job_title="Clerk")
    assert [e.action for e in events_for(officer)] == ["insert"]


def test_council_events_are_scoped_to_the_council_itself(council):
    assert events_for(council)[0].council_id == council.pk


def test_a_primary_key_changed_by_raw_sql_is_still_recorded(council):
    """Rows are paired by primary key, so a changed key cannot be paired: the old key
    records its values going, the new key its values arriving."""
    first = 9_000_000 + 10 * council.pk
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO council_ward (id, council_id, name) VALUES (%s, %s, 'Abbey')",
            [first, council.pk],
        )
        cursor.execute("UPDATE council_ward SET id = %s WHERE id = %s", [first + 5, first])
    going = AuditEvent.objects.get(table_name="council_ward", row_pk=str(first), action="update")
    arriving = AuditEvent.objects.get(table_name="council_ward", row_pk=str(first + 5))
    assert going.changes["id"] == [first, None] and going.changes["name"] == ["Abbey", None]
    assert arriving.changes["id"] == [None, first + 5]
    assert arriving.changes["name"] == [None, "Abbey"]
    assert going.council_id == arriving.council_id == council.pk


# Personal data -----------------------------------------------------------------------------


def test_redacted_fields_are_recorded_as_changed_without_their_values(council):
    officer = make_officer(council, email=SECRET_EMAIL, full_name="Ann Private")
    officer_pk = officer.pk
    officer.email = "ann.new@example.org"
    officer.full_name = "Ann Newname"
    officer.job_title = "Clerk"
    officer.save()
    officer.delete()
    member = Member.objects.create(council=council, full_name="Cllr Secret", email=SECRET_EMAIL)
    Member.objects.filter(pk=member.pk).update(email="")
    user = User.objects.create_user(email=SECRET_EMAIL, password="a-long-test-password-1")
    user.set_password("another-long-password-2")
    user.save()

    events = [
        *AuditEvent.objects.filter(table_name="council_officer", row_pk=str(officer_pk)),
        *events_for(member),
        *events_for(user),
    ]
    everything = json.dumps([event.changes for event in events])
    for secret in (SECRET_EMAIL, "ann.new@example.org", "Ann Private", "Ann Newname", "Secret"):
        assert secret not in everything
    assert "pbkdf2" not in everything
    inserted, updated, deleted = AuditEvent.objects.filter(
        table_name="council_officer", row_pk=str(officer_pk)
    ).order_by("id")
    assert inserted.changes["email"] == "set"
    assert updated.changes == {
        "email": "changed",
        "full_name": "changed",
        "job_title": ["", "Clerk"],
    }
    assert deleted.changes["full_name"] == "set"
    assert events_for(user)[-1].changes == {"password": "changed"}


def test_a_redacted_field_left_blank_is_not_marked_set(council):
    officer = make_officer(council, email="")
    assert "email" not in events_for(officer)[0].changes


# Append-only -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE core_auditevent SET actor = 'someone else'",
        "UPDATE core_auditevent SET changes = '{}' WHERE false",
        "DELETE FROM core_auditevent",
        "TRUNCATE core_auditevent",
    ],
)
def test_the_audit_trail_refuses_to_be_rewritten(council, statement):
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(statement)
    assert AuditEvent.objects.filter(table_name="council_council", actor=None).exists()


def test_the_orm_cannot_rewrite_the_audit_trail_either(council):
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(row_pk=str(council.pk)).update(actor="user:1")
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(row_pk=str(council.pk)).delete()


def test_an_application_role_without_privileges_is_audited_but_cannot_forge_events(council):
    """Production's role split: the application holds SELECT only on the trail, and the
    SECURITY DEFINER trigger function still records its changes."""
    officer = make_officer(council, job_title="Clerk")
    role = f"councilcase_app_{uuid.uuid4().hex[:8]}"
    with transaction.atomic(), connection.cursor() as cursor:
        try:
            with transaction.atomic():
                cursor.execute(f"CREATE ROLE {role} NOLOGIN")
        except DatabaseError:
            pytest.skip("the test database user may not create roles")
        cursor.execute(f"GRANT SELECT ON core_auditevent TO {role}")
        cursor.execute(f"GRANT SELECT, UPDATE ON council_officer TO {role}")
        cursor.execute(f"SET LOCAL ROLE {role}")
        with acting_as("user:5"):
            cursor.execute(
                "UPDATE council_officer SET job_title = 'Head clerk' WHERE id = %s", [officer.pk]
            )
        with pytest.raises(DatabaseError, match="permission denied"), transaction.atomic():
            cursor.execute(
                "INSERT INTO core_auditevent (table_name, row_pk, action) "
                "VALUES ('council_officer', %s, 'delete')",
                [str(officer.pk)],
            )
        cursor.execute("RESET ROLE")
    last = events_for(officer)[-1]
    assert (last.actor, last.changes) == ("user:5", {"job_title": ["Clerk", "Head clerk"]})


# The triggers ------------------------------------------------------------------------------


def audit_triggers():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname, t.tgname, t.tgenabled FROM pg_trigger t "
            "JOIN pg_class c ON c.oid = t.tgrelid WHERE t.tgname LIKE %s",
            [TRIGGER_PREFIX + "%"],
        )
        return {(table, name): enabled for table, name, enabled in cursor}


def test_every_registered_model_has_its_four_triggers_enabled(db):
    triggers = audit_triggers()
    tables = {entry.table for entry in registered()}
    assert {"council_officer", "council_user", "council_apitoken"} <= tables
    for table in tables:
        for event in ("insert", "update", "delete", "truncate"):
            assert triggers[(table, TRIGGER_PREFIX + event)] == "O"


def test_installing_the_triggers_again_runs_no_ddl(db):
    with CaptureQueriesContext(connection) as queries:
        install_triggers(using="default")
    statements = [query["sql"].lstrip().split()[0].upper() for query in queries]
    assert set(statements) <= {"SELECT", "SAVEPOINT", "RELEASE"}


def test_a_disabled_trigger_is_enabled_again_by_the_next_migrate(db):
    with connection.cursor() as cursor:
        cursor.execute(f"ALTER TABLE council_officer DISABLE TRIGGER {TRIGGER_PREFIX}update")
    install_triggers(using="default")
    assert audit_triggers()[("council_officer", TRIGGER_PREFIX + "update")] == "O"


def record_a_history(council, prefix):
    """One row inserted, changed alone and with others, and deleted, with every kind of
    column (text, redacted, array, boolean, null); its events without run-specific values."""
    first = make_officer(council, f"{prefix}1", job_title="Clerk", email=SECRET_EMAIL)
    second = make_officer(council, f"{prefix}2", teams=["casework"])
    Officer.objects.filter(pk=first.pk).update(
        job_title="Head clerk", email="", teams=["hr", "legal"], active=False
    )
    Officer.objects.filter(pk__in=[first.pk, second.pk]).update(
        statutory_role=None, seniority="manager", full_name="Someone Else"
    )
    Officer.objects.filter(pk=first.pk).delete()
    run_specific = {"id", "created_at", "council_id", "employee_number"}
    return [
        (event.action, {k: v for k, v in event.changes.items() if k not in run_specific})
        for event in events_for(first)
    ]


def test_the_body_used_during_migrations_records_exactly_what_the_fast_one_does(
    council, other_council
):
    fast = record_a_history(council, "F")
    use_generic_functions(using="default", plan=[("a migration", False)])
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT prosrc FROM pg_proc WHERE proname = 'councilcase_audit_record_council_officer'"
        )
        assert "to_jsonb" in cursor.fetchone()[0]
    generic = record_a_history(other_council, "G")
    assert generic == fast
    assert [action for action, _ in fast] == ["insert", "update", "update", "delete"]
    install_triggers(using="default")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT prosrc FROM pg_proc WHERE proname = 'councilcase_audit_record_council_officer'"
        )
        assert "to_jsonb" not in cursor.fetchone()[0]


def test_columns_added_and_dropped_by_migrations_are_handled(council):
    officer = make_officer(council, job_title="Clerk")
    use_generic_functions(using="default", plan=[("a migration", False)])
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no deferred checks pending at DDL
        cursor.execute("ALTER TABLE council_officer ADD COLUMN audit_test_grade integer")
        cursor.execute("ALTER TABLE council_officer DROP COLUMN politically_restricted")
        cursor.execute(
            "UPDATE council_officer SET audit_test_grade = 7 WHERE id = %s", [officer.pk]
        )
        assert events_for(officer)[-1].changes == {"audit_test_grade": [None, 7]}
        install_triggers(using="default")  # post_migrate: fast again, for the new columns
        cursor.execute(
            "UPDATE council_officer SET audit_test_grade = 8 WHERE id = %s", [officer.pk]
        )
        assert events_for(officer)[-1].changes == {"audit_test_grade": [7, 8]}


def test_migrating_with_nothing_to_apply_leaves_the_fast_functions_alone(db):
    with CaptureQueriesContext(connection) as queries:
        use_generic_functions(using="default", plan=[])
    assert len(queries) == 0


# Naming the actor --------------------------------------------------------------------------


def test_acting_as_blocks_nest_inside_a_transaction(db):
    with acting_as("user:1"):
        with acting_as("task:inner"):
            assert current_actor() == "task:inner"
        assert current_actor() == "user:1"
    assert current_actor() == ""


def test_a_service_shaped_block_costs_one_query_to_name_its_actor(db, council):
    officer = make_officer(council)
    with CaptureQueriesContext(connection) as queries, transaction.atomic(), acting_as("user:3"):
        Officer.objects.filter(pk=officer.pk).update(job_title="Clerk")
    assert sum("set_config" in query["sql"] for query in queries) == 1
    assert events_for(officer)[-1].actor == "user:3"
    # Had the transaction gone on, its next statement would have had the actor put back.
    assert current_actor() == ""


def test_set_actor_names_the_actor_for_the_rest_of_the_block(db):
    with acting_as("user:1"):
        set_actor("token:9")
        assert current_actor() == "token:9"
    assert current_actor() == ""


def make_request(method, user):
    request = getattr(RequestFactory(), method.lower())("/somewhere/")
    request.user = user
    return request


def test_the_middleware_names_a_signed_in_user_on_post(council):
    user = User.objects.create_user(email="clerk@example.org", council=council)
    officer = make_officer(council, job_title="Clerk")
    seen = {}

    def view(request):
        seen["actor"] = current_actor()
        Officer.objects.filter(pk=officer.pk).update(job_title="Head clerk")
        return HttpResponse("ok")

    AuditActorMiddleware(view)(make_request("POST", user))
    assert seen["actor"] == f"user:{user.pk}"
    assert events_for(officer)[-1].actor == f"user:{user.pk}"
    assert current_actor() == ""


def test_the_middleware_names_nobody_for_an_anonymous_post(db):
    seen = {}

    def view(request):
        seen["actor"] = current_actor()
        return HttpResponse("ok")

    AuditActorMiddleware(view)(make_request("POST", AnonymousUser()))
    assert seen["actor"] == ""


def test_the_middleware_adds_no_query_to_a_get(django_assert_num_queries, council):
    def load_user():
        raise AssertionError("a GET must not load the user for the audit actor")

    request = make_request("GET", SimpleLazyObject(load_user))
    with django_assert_num_queries(0):
        response = AuditActorMiddleware(lambda request: HttpResponse("ok"))(request)
    assert response.status_code == 200


# A record's history ------------------------------------------------------------------------


@pytest.fixture
def monitoring_officer(council):
    return make_user_with_officer(
        council, "mo@north.example.org", statutory_role="monitoring_officer"
    )


@pytest.fixture
def audited_officer(council, monitoring_officer):
    with acting_as(f"user:{monitoring_officer.pk}"):
        officer = make_officer(council, "E100", job_title="Clerk", email=SECRET_EMAIL)
        Officer.objects.filter(pk=officer.pk).update(
            job_title="Senior clerk", email="new.private@example.org"
        )
    return officer


def test_the_monitoring_officer_sees_a_records_history(client, audited_officer, monitoring_officer):
    client.force_login(monitoring_officer)
    response = client.get(history_url(audited_officer))
    assert response.status_code == 200
    page = response.content.decode()
    assert "govuk-table" in page
    assert "Senior clerk" in page and "Clerk" in page
    assert "Created" in page and "Changed" in page
    assert "changed" in page
    assert SECRET_EMAIL not in page and "new.private@example.org" not in page
    assert str(monitoring_officer) in page


def test_a_council_administrator_sees_a_records_history(client, council, audited_officer):
    administrator = make_user_with_officer(
        council, "admin@north.example.org", teams=["administrators"]
    )
    client.force_login(administrator)
    assert client.get(history_url(audited_officer)).status_code == 200


def test_an_ordinary_officer_gets_not_found(client, council, audited_officer):
    officer_user = make_user_with_officer(council, "clerk@north.example.org")
    client.force_login(officer_user)
    assert client.get(history_url(audited_officer)).status_code == 404


def test_another_councils_monitoring_officer_gets_not_found(client, other_council, audited_officer):
    other_mo = make_user_with_officer(
        other_council, "mo@south.example.org", statutory_role="monitoring_officer"
    )
    client.force_login(other_mo)
    assert client.get(history_url(audited_officer)).status_code == 404


def test_a_record_with_no_history_is_not_found(client, monitoring_officer):
    client.force_login(monitoring_officer)
    assert client.get("/history/council/officer/999999999/").status_code == 404
    assert client.get("/history/council/nothing/1/").status_code == 404


def test_signing_in_is_required(client, audited_officer):
    response = client.get(history_url(audited_officer))
    assert response.status_code == 302


def test_the_history_page_costs_the_same_queries_however_many_events(
    client, council, monitoring_officer, audited_officer
):
    client.force_login(monitoring_officer)
    url = history_url(audited_officer)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    authors = [User.objects.create_user(email=f"a{n}@north.example.org") for n in range(5)]
    for n, author in enumerate(authors * 4):
        with acting_as(f"user:{author.pk}"):
            Officer.objects.filter(pk=audited_officer.pk).update(job_title=f"Title {n}")
    assert current_actor() == ""  # (the test's transaction goes on: the actor is put back)
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert response.content.decode().count("govuk-table__row") == 1 + 2 + 20
    assert len(many) == len(few)
    # Of the page's own: the record's council, one page of events, and the authors' names
    # in one query (the rest are the session, the viewer and the layout's).
    trail = [q["sql"] for q in many if "core_auditevent" in q["sql"]]
    assert len(trail) == 2
    authors = [q["sql"] for q in many if q["sql"].startswith('SELECT "council_user"')]
    assert len(authors) == 1  # the authors (the viewer came in the account's own statement)


def test_the_history_page_is_paginated_by_cursor(
    client, council, monitoring_officer, audited_officer
):
    for n in range(60):
        Officer.objects.filter(pk=audited_officer.pk).update(job_title=f"Title {n}")
    client.force_login(monitoring_officer)
    first = client.get(history_url(audited_officer))
    assert first.content.decode().count("govuk-table__row") == 1 + 50
    older = first.context["page"].older_than
    second = client.get(history_url(audited_officer), {"older_than": older})
    assert second.content.decode().count("govuk-table__row") == 1 + 12
    assert second.context["page"].older_than is None


# Outside a transaction: what the suite's transactional tests and the live server see ------


@pytest.mark.django_db(transaction=True)
def test_the_session_actor_is_put_back_and_transactional_tests_still_flush():
    council = Council.objects.create(slug=f"t-{uuid.uuid4().hex[:8]}", name="Transactional")
    with acting_as("task:sweep"):
        officer = make_officer(council, job_title="Clerk")  # autocommit
        assert current_actor() == "task:sweep"
        with actor_scope():
            set_actor("token:3")
            Officer.objects.filter(pk=officer.pk).update(job_title="Head clerk")
        assert current_actor() == "task:sweep"
    assert current_actor() == ""
    with transaction.atomic():
        set_actor("user:8")
        Officer.objects.filter(pk=officer.pk).update(job_title="Chief clerk")
    assert current_actor() == ""  # transaction-local: gone with the commit
    with pytest.raises(RuntimeError):
        set_actor("user:8")
    assert [e.actor for e in events_for(officer)] == ["task:sweep", "token:3", "user:8"]
    # The teardown flush TRUNCATEs every managed table: the trail, unmanaged, is left alone.
