"""The one conflict rule (relationships.selectors): "do these two people have an active
declared relationship on this date?", in either direction, and its bulk form in one query."""

from __future__ import annotations

import datetime

from relationships import selectors, services
from relationships.models import Declaration
from relationships.parties import External
from tests import factories

from .conftest import TODAY


def settle_audit_actor():
    """The audit trail resets its actor with the next statement after a service call; let it
    happen before counting."""
    Declaration.objects.exists()


YEAR_AGO = TODAY - datetime.timedelta(days=365)


def test_a_declared_relationship_is_a_conflict_in_both_directions(people):
    factories.declaration(people.officer, people.member)
    assert selectors.have_conflict(people.officer, people.member, on=TODAY)
    assert selectors.have_conflict(people.member, people.officer, on=TODAY)


def test_undeclared_people_have_no_conflict(people):
    factories.declaration(people.officer, people.member)
    assert not selectors.have_conflict(people.colleague, people.member, on=TODAY)
    assert not selectors.have_conflict(people.officer, people.other_member, on=TODAY)


def test_no_conflict_before_the_relationship_started(people):
    factories.declaration(people.officer, people.member, started_on=TODAY)
    assert not selectors.have_conflict(
        people.officer, people.member, on=TODAY - datetime.timedelta(days=1)
    )
    assert selectors.have_conflict(people.officer, people.member, on=TODAY)


def test_no_conflict_after_the_relationship_ended_on_its_end_date(people):
    ends = TODAY + datetime.timedelta(days=10)
    factories.declaration(people.officer, people.member, started_on=YEAR_AGO, ended_on=ends)
    assert selectors.have_conflict(people.officer, people.member, on=ends)
    assert not selectors.have_conflict(
        people.officer, people.member, on=ends + datetime.timedelta(days=1)
    )


def test_an_ended_declaration_causes_no_conflict(people):
    declaration = factories.declaration(people.officer, people.member)
    services.end_declaration(declaration=declaration, by="test", ended_on=TODAY)
    # Ended today: the relationship was still in force earlier, not now.
    assert not selectors.have_conflict(people.officer, people.member, on=TODAY)


def test_an_external_counterpart_matches_by_name_in_any_case_and_spacing(people):
    factories.declaration(
        people.member, External("Pat  Resident"), kind="constituent", description="A neighbour"
    )
    assert selectors.have_conflict(people.member, External(" pat resident "), on=TODAY)
    assert not selectors.have_conflict(people.member, External("Pat Residents"), on=TODAY)


def test_an_external_counterpart_matches_by_email_in_any_case(people):
    factories.declaration(
        people.member, External("Patricia R", "Pat@Example.org"), kind="constituent"
    )
    assert selectors.have_conflict(
        people.member, External("P. Resident", "pat@example.ORG"), on=TODAY
    )


def test_two_people_of_one_name_with_different_emails_do_not_match(people):
    factories.declaration(
        people.member, External("Pat Resident", "pat@example.org"), kind="constituent"
    )
    assert not selectors.have_conflict(
        people.member, External("Pat Resident", "another.pat@example.org"), on=TODAY
    )


def test_a_name_matches_when_either_side_has_no_email(people):
    factories.declaration(people.member, External("Pat Resident"), kind="constituent")
    assert selectors.have_conflict(
        people.member, External("PAT RESIDENT", "pat@example.org"), on=TODAY
    )


def test_declarations_of_another_council_are_never_read(people, other_council):
    elsewhere = factories.OfficerFactory(council=other_council)
    elsewhere_member = factories.MemberFactory(council=other_council)
    factories.declaration(elsewhere, elsewhere_member)
    assert not selectors.have_conflict(people.officer, elsewhere_member, on=TODAY)
    assert selectors.have_conflict(elsewhere, elsewhere_member, on=TODAY)


def test_bulk_check_returns_only_the_conflicted_candidates(people):
    factories.declaration(people.officer, people.member)
    factories.declaration(people.member, people.director, kind="friendship")
    candidates = [people.officer, people.colleague, people.director, people.casework]
    assert selectors.conflicted(people.member, candidates, on=TODAY) == {
        people.officer,
        people.director,
    }


def test_bulk_check_with_several_people_covers_a_member_and_their_constituent(people):
    factories.declaration(people.officer, people.member)
    factories.declaration(people.colleague, External("Pat Resident"), kind="friendship")
    found = selectors.conflicted_with_any(
        [people.member, External("pat resident", "pat@example.org")],
        [people.officer, people.colleague, people.casework],
        on=TODAY,
    )
    assert found == {people.officer, people.colleague}


def test_bulk_check_for_500_officers_is_one_query(people, django_assert_num_queries):
    officers = factories.OfficerFactory.create_batch(500, council=people.council)
    for officer in officers[::50]:
        factories.declaration(officer, people.member)
    settle_audit_actor()
    with django_assert_num_queries(1):
        found = selectors.conflicted(people.member, officers, on=TODAY)
    assert found == set(officers[::50])


def test_bulk_check_costs_the_same_one_query_for_5_officers(people, django_assert_num_queries):
    officers = factories.OfficerFactory.create_batch(5, council=people.council)
    factories.declaration(officers[0], people.member)
    settle_audit_actor()
    with django_assert_num_queries(1):
        assert selectors.conflicted(people.member, officers, on=TODAY) == {officers[0]}
