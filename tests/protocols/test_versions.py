"""Protocol versions through their statuses (protocols.services, DESIGN.md Protocols): one
version in force at a time, adopted versions immutable in the services and the database."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction

from core.errors import Conflict
from protocols import selectors, services
from protocols.choices import VersionStatus
from protocols.models import Clause, ProtocolVersion

from .conftest import ADOPTED_ON, BASE_CLAUSES, BY, changed, import_clauses


def test_import_creates_a_draft_with_its_clause_tree(draft):
    clauses = list(draft.clauses.order_by("order"))
    assert draft.status == VersionStatus.DRAFT
    assert [c.number for c in clauses] == [row[0] for row in BASE_CLAUSES]
    by_number = {c.number: c for c in clauses}
    assert by_number["2.2(a)"].parent_id == by_number["2.2"].pk
    assert by_number["1"].parent_id is None
    assert [c.line for c in clauses] == list(range(1, 8))


def test_import_writes_clauses_in_a_constant_number_of_queries(protocol, django_assert_num_queries):
    many = [(str(n), f"Section {n}", "", None) for n in range(1, 41)]
    many += [(f"{n}.1", "", f"Text of {n}.1", str(n)) for n in range(1, 41)]
    few = many[:2]
    # savepoint, the audit actor (two), lock the protocol, the labels taken, the version, the
    # clause ids, the clauses (one INSERT), release
    with django_assert_num_queries(9):
        import_clauses(protocol, few)
    with django_assert_num_queries(9):
        import_clauses(protocol, many)


def test_import_labels_versions_in_turn(protocol):
    assert import_clauses(protocol).label == "Version 1"
    assert import_clauses(protocol).label == "Version 2"


def test_import_refuses_a_repeated_number_and_writes_nothing(protocol):
    with pytest.raises(ValidationError) as refusal:
        import_clauses(protocol, [*BASE_CLAUSES, ("2.1", "", "Again", "2")])
    assert "clause 2.1 appears again" in str(refusal.value)
    assert not ProtocolVersion.objects.exists()
    assert not Clause.objects.exists()


def test_import_refuses_a_label_already_used(protocol, draft):
    with pytest.raises(ValidationError, match="already has a version"):
        import_clauses(protocol, label="2025 edition")


def test_import_refuses_people_who_may_not_change_protocols(protocol, council):
    with pytest.raises(PermissionDenied):
        import_clauses(protocol, by=factories_person("officer", council))


def factories_person(role, council):
    from tests import factories

    return factories.person(role, council)


def test_adopting_sets_the_next_review_a_year_later(adopted):
    assert adopted.status == VersionStatus.ADOPTED
    assert adopted.next_review_on == datetime.date(2026, 4, 1)


def test_adopting_supersedes_the_version_in_force(protocol, adopted):
    second = import_clauses(protocol, changed(BASE_CLAUSES, "2.1", text="Within 5 days."))
    services.adopt_version(
        version=second,
        by=BY,
        adopted_on=datetime.date(2026, 1, 5),
        approving_body="Full Council",
    )
    adopted.refresh_from_db()
    assert adopted.status == VersionStatus.SUPERSEDED
    assert adopted.superseded_on == datetime.date(2026, 1, 5)
    on = selectors.version_in_force
    assert on(protocol=protocol, on=datetime.date(2026, 1, 4)) == adopted
    assert on(protocol=protocol, on=datetime.date(2026, 1, 5)) == second
    assert on(protocol=protocol, on=datetime.date(2025, 3, 31)) is None


def test_a_new_version_cannot_be_adopted_before_the_one_in_force(protocol, adopted):
    second = import_clauses(protocol)
    with pytest.raises(ValidationError, match="cannot be adopted before it"):
        services.adopt_version(
            version=second,
            by=BY,
            adopted_on=ADOPTED_ON - datetime.timedelta(days=1),
            approving_body="Full Council",
        )


def test_adoption_cannot_be_dated_in_the_future(draft):
    with pytest.raises(ValidationError, match="future"):
        services.adopt_version(
            version=draft,
            by=BY,
            adopted_on=datetime.date.today() + datetime.timedelta(days=2),
            approving_body="Full Council",
        )


def test_an_adopted_version_cannot_be_adopted_again(adopted):
    with pytest.raises(Conflict, match="adopted: it cannot be adopted"):
        services.adopt_version(
            version=adopted, by=BY, adopted_on=ADOPTED_ON, approving_body="Cabinet"
        )


def test_consultation_and_back(draft):
    consulted = services.consult_on_version(version=draft, by=BY)
    assert consulted.status == VersionStatus.CONSULTATION
    with pytest.raises(Conflict):
        services.consult_on_version(version=consulted, by=BY)
    assert services.withdraw_from_consultation(version=consulted, by=BY).status == "draft"


def test_clause_in_force_is_of_the_version_in_force_on_the_date(council, protocol, adopted):
    second = import_clauses(protocol, changed(BASE_CLAUSES, "2.1", text="Within 5 days."))
    services.adopt_version(
        version=second, by=BY, adopted_on=datetime.date(2026, 1, 5), approving_body="Cabinet"
    )
    before = selectors.clause_in_force(council=council, number="2.1", on=datetime.date(2025, 6, 1))
    after = selectors.clause_in_force(council=council, number="2.1", on=datetime.date(2026, 2, 1))
    assert before.version == adopted and "3 working days" in before.text
    assert after.version == second and after.text == "Within 5 days."
    assert (
        selectors.clause_in_force(council=council, number="2.1", on=datetime.date(2020, 1, 1))
        is None
    )


def test_a_clause_number_in_another_case_finds_the_clause(council, protocol):
    version = import_clauses(protocol, [*BASE_CLAUSES, ("2.2A", "", "Inserted by amendment.", "2")])
    services.adopt_version(
        version=version, by=BY, adopted_on=ADOPTED_ON, approving_body="Full Council"
    )
    on = ADOPTED_ON + datetime.timedelta(days=1)
    assert selectors.clause_in_force(council=council, number="2.2a ", on=on).number == "2.2A"
    assert selectors.clause_in_force(council=council, number="2.2(A)", on=on).number == "2.2(a)"


# The database's guard --------------------------------------------------------------------


def test_database_refuses_to_change_a_clause_of_an_adopted_version(adopted):
    with pytest.raises(IntegrityError, match="cannot be changed"), transaction.atomic():
        Clause.objects.filter(version=adopted, number="2.1").update(text="Whenever.")


def test_database_refuses_to_delete_a_clause_of_an_adopted_version(adopted):
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM protocols_clause WHERE version_id = %s", [adopted.pk])


def test_database_refuses_new_clauses_in_an_adopted_version(adopted):
    with pytest.raises(IntegrityError, match="cannot gain clauses"), transaction.atomic():
        Clause.objects.create(
            version=adopted, council_id=adopted.council_id, number="9", order=99, line=1
        )


def test_database_refuses_to_take_an_adopted_version_back_to_draft(adopted):
    with pytest.raises(IntegrityError, match="can only be superseded"), transaction.atomic():
        ProtocolVersion.objects.filter(pk=adopted.pk).update(
            status="draft", adopted_on=None, approving_body=""
        )


def test_database_allows_changes_to_a_draft(draft):
    assert Clause.objects.filter(version=draft, number="2.1").update(text="Soon.") == 1


def test_database_allows_one_adopted_version_per_protocol(protocol, adopted):
    second = import_clauses(protocol)
    with pytest.raises(IntegrityError, match="protocol_one_version_adopted"), transaction.atomic():
        ProtocolVersion.objects.filter(pk=second.pk).update(
            status="adopted", adopted_on=ADOPTED_ON, approving_body="Cabinet"
        )
