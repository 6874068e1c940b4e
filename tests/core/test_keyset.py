"""Keyset pages (core.keyset): exact through runs of equal values, either direction, any
ordering, with cursors that are opaque and refuse tampering by meaning nothing."""

import pytest

from core import keyset
from council.models import Member
from tests import factories


@pytest.fixture
def members(db):
    council = factories.CouncilFactory()
    # Names repeat, so the order is decided by id within each name.
    return [factories.MemberFactory(council=council, full_name=f"Cllr {n % 4}") for n in range(17)]


def walk(queryset, ordering, size, backwards_from=None):
    position, seen = backwards_from, []
    while True:
        found = keyset.page(queryset, ordering, position, size)
        seen += (
            [row.pk for row in found.rows]
            if position is None or not position.backwards
            else [row.pk for row in found.rows][::-1]
        )
        position = found.previous if backwards_from else found.next
        if position is None:
            return seen


@pytest.mark.parametrize(
    "ordering", [("full_name", "id"), ("-full_name", "id"), ("full_name", "-id"), ("-id",)]
)
@pytest.mark.parametrize("size", [1, 3, 17, 50])
def test_walking_forward_visits_every_row_once_in_order(members, ordering, size):
    expected = list(Member.objects.order_by(*ordering).values_list("pk", flat=True))
    assert walk(Member.objects.all(), ordering, size) == expected


@pytest.mark.parametrize("ordering", [("full_name", "id"), ("-full_name", "-id")])
def test_walking_back_from_the_last_page_visits_every_row_once(members, ordering):
    expected = list(Member.objects.order_by(*ordering).values_list("pk", flat=True))
    last = Member.objects.order_by(*ordering).last()
    start = keyset.Position(keyset.values_of(last, ordering), backwards=True)
    back = walk(Member.objects.all(), ordering, 4, backwards_from=start)
    assert back == expected[:-1][::-1]


def test_a_cursor_round_trips_and_a_tampered_one_means_the_first_page(members):
    ordering = ("full_name", "id")
    position = keyset.Position(keyset.values_of(members[5], ordering))
    cursor = keyset.encode(position, Member, ordering)
    assert keyset.decode(cursor, Member, ordering) == position
    for bad in ("nonsense", "", cursor[:-3], "W1tdLGZhbHNlXQ", "WyJ4Il0"):
        assert keyset.decode(bad, Member, ordering) is None


def test_a_page_is_one_query(members, django_assert_num_queries):
    with django_assert_num_queries(1):
        keyset.page(Member.objects.all(), ("full_name", "id"), None, 5)
