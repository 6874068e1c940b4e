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


def with_council(members):
    return members.select_related("council")


def walk(queryset, ordering, size, backwards_from=None, rows=None):
    position, seen = backwards_from, []
    while True:
        found = keyset.page(queryset, ordering, position, size, rows=rows)
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
@pytest.mark.parametrize("rows", [None, with_council])
def test_walking_forward_visits_every_row_once_in_order(members, ordering, size, rows):
    expected = list(Member.objects.order_by(*ordering).values_list("pk", flat=True))
    assert walk(Member.objects.all(), ordering, size, rows=rows) == expected


@pytest.mark.parametrize("ordering", [("full_name", "id"), ("-full_name", "-id")])
@pytest.mark.parametrize("rows", [None, with_council])
def test_walking_back_from_the_last_page_visits_every_row_once(members, ordering, rows):
    expected = list(Member.objects.order_by(*ordering).values_list("pk", flat=True))
    last = Member.objects.order_by(*ordering).last()
    start = keyset.Position(keyset.values_of(last, ordering), backwards=True)
    back = walk(Member.objects.all(), ordering, 4, backwards_from=start, rows=rows)
    assert back == expected[:-1][::-1]


def test_joined_rows_are_read_for_ids_found_without_joins(members, django_assert_num_queries):
    """The page's ids come from a subquery of the list alone, with its LIMIT: a join in the
    same query as a row comparison let PostgreSQL join every remaining row (core.keyset)."""
    position = keyset.Position(keyset.values_of(members[3], ("full_name", "id")))
    with django_assert_num_queries(1) as captured:
        found = keyset.page(
            Member.objects.all(), ("full_name", "id"), position, 5, rows=with_council
        )
    assert all(row.council.pk for row in found.rows)
    sql = captured.captured_queries[0]["sql"]
    outer, inner = sql.split(" IN (SELECT ", 1)
    assert "JOIN" in outer and "JOIN" not in inner and "LIMIT 6" in inner


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


def test_a_select_related_list_is_read_ids_first_too(members, django_assert_num_queries):
    with django_assert_num_queries(1) as captured:
        found = keyset.page(with_council(Member.objects.all()), ("full_name", "id"), None, 5)
    assert len(found.rows) == 5 and all(row.council.pk for row in found.rows)
    outer, inner = captured.captured_queries[0]["sql"].split(" IN (SELECT ", 1)
    assert "JOIN" in outer and "JOIN" not in inner
