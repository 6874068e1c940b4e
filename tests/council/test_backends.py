"""council.backends.PersonBackend: the signed-in account arrives with its officer, member and
council records, so the role checks every page makes cost no query."""

import pytest

from council.backends import PERSON_RELATED, PersonBackend
from council.roles import member_of, officer_of
from tests import factories


@pytest.mark.parametrize("role", ["casework", "member"])
def test_the_account_is_loaded_with_its_records_in_one_query(db, django_assert_num_queries, role):
    council = factories.CouncilFactory()
    person = factories.person(role, council)
    with django_assert_num_queries(1):
        user = PersonBackend().get_user(person.pk)
        officer, member = officer_of(user), member_of(user)
        assert user.council.slug == council.slug
    assert (officer is not None) == (role == "casework")
    assert (member is not None) == (role == "member")


def test_an_account_with_neither_record_is_neither_without_a_query(db, django_assert_num_queries):
    user = factories.UserFactory(council=factories.CouncilFactory())
    with django_assert_num_queries(1):
        loaded = PersonBackend().get_user(user.pk)
        assert officer_of(loaded) is None and member_of(loaded) is None


def test_an_inactive_or_missing_account_is_not_loaded(db):
    user = factories.UserFactory(council=factories.CouncilFactory(), is_active=False)
    assert PersonBackend().get_user(user.pk) is None
    assert PersonBackend().get_user(user.pk + 1000) is None


def test_a_signed_in_page_asks_for_the_account_once(client, db, django_assert_num_queries):
    council = factories.CouncilFactory()
    client.force_login(factories.person("casework", council))
    client.get("/accessibility/")
    # the session with the account, its records and its unread notifications (the badge)
    with django_assert_num_queries(1):
        assert client.get("/accessibility/").status_code == 200


def fields_of(instance) -> dict:
    return {f.attname: getattr(instance, f.attname) for f in type(instance)._meta.concrete_fields}


@pytest.mark.parametrize("role", ["casework", "member", "monitoring_officer"])
def test_the_account_and_its_records_are_what_the_orm_loads(db, role):
    """The statement is written by hand once per process: every field of every record must
    be what the ORM's own select_related gives, converted the same way."""
    council = factories.CouncilFactory()
    person = factories.person(role, council)
    ours = PersonBackend().get_user(person.pk)
    orm = type(person).objects.select_related(*PERSON_RELATED).get(pk=person.pk)
    assert fields_of(ours) == fields_of(orm)
    assert fields_of(ours.council) == fields_of(orm.council)
    for name in ("officer", "member"):
        theirs = getattr(orm, name, None)
        mine = getattr(ours, name, None)
        assert (mine is None) == (theirs is None)
        if mine is not None:
            assert fields_of(mine) == fields_of(theirs)
            assert mine.user is ours
    assert not ours._state.adding and ours._state.db == "default"


def test_the_unread_count_arrives_with_the_account(db, django_assert_num_queries):
    from core.notifications.models import Notification
    from core.notifications.selectors import unread_count_for

    user = factories.person("casework", factories.CouncilFactory())
    for index in range(3):
        Notification.objects.create(
            council=user.council,
            recipient=user,
            kind="assigned",
            subject=f"Subject {index}",
            resource_type="enquiry",
            resource_id=index + 1,
            dedupe_key=f"k{index}",
        )
    Notification.objects.filter(dedupe_key="k0").update(read_at="2026-11-23T10:00Z")
    with django_assert_num_queries(1):
        assert unread_count_for(PersonBackend().get_user(user.pk)) == 2
    assert unread_count_for(type(user).objects.get(pk=user.pk)) == 2  # counted when not loaded
