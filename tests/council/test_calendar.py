"""The working-day calendar's rules (DESIGN.md, The working-day calendar; city council
protocol 10.3.1), tested directly on ``council.calendar``."""

import datetime
import random

import holidays
import numpy as np
import pytest
from django.db.models import F

from council import calendar as calendar_module
from council.calendar import (
    LONDON,
    OutsideCalendar,
    WorkingDayCalendar,
    calendar_for,
    invalidate,
    is_overdue,
    local_date,
)
from council.models import ClosureDay, Council

UTC = datetime.UTC
D = datetime.date
NATIONS = ["england", "wales", "scotland", "northern_ireland"]
SUBDIVISIONS = {"england": "ENG", "wales": "WLS", "scotland": "SCT", "northern_ireland": "NIR"}


def london(*args, fold=0):
    return datetime.datetime(*args, tzinfo=LONDON, fold=fold)


def utc(*args):
    return datetime.datetime(*args, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _fresh_council_calendars():
    invalidate()
    yield
    invalidate()


@pytest.fixture(scope="module")
def england():
    return WorkingDayCalendar(nation="england")


@pytest.fixture(scope="module")
def scotland():
    return WorkingDayCalendar(nation="scotland")


@pytest.fixture(scope="module")
def northern_ireland():
    return WorkingDayCalendar(nation="northern_ireland")


def reference_due_date(start, n, bank_holidays, closures=frozenset()):
    """The rule walked one day at a time: what the calendar's arrays must agree with."""
    day, counted = start, 0
    while counted < n:
        day += datetime.timedelta(days=1)
        if day.weekday() < 5 and day not in bank_holidays and day not in closures:
            counted += 1
    return day


# --- working days, by nation ------------------------------------------------------------------


def test_weekends_are_not_working_days(england):
    assert england.is_working_day(D(2026, 12, 18)) is True
    assert england.is_working_day(D(2026, 12, 19)) is False
    assert england.is_working_day(D(2026, 12, 20)) is False


def test_english_bank_holidays_are_not_working_days(england):
    for day in [D(2026, 4, 3), D(2026, 4, 6), D(2026, 5, 4), D(2026, 5, 25), D(2026, 8, 31)]:
        assert england.is_working_day(day) is False, day


def test_wales_has_the_same_working_days_as_england(england):
    wales = WorkingDayCalendar(nation="wales")
    days = [D(2020, 1, 1) + datetime.timedelta(days=i) for i in range(11 * 366)]
    assert [wales.is_working_day(d) for d in days] == [england.is_working_day(d) for d in days]


def test_scotland_keeps_2_january(scotland, england):
    assert scotland.is_working_day(D(2026, 1, 2)) is False
    assert england.is_working_day(D(2026, 1, 2)) is True


def test_scotland_substitutes_2_january_falling_on_a_weekend(scotland):
    # 1 January 2027 is a Friday, 2 January a Saturday: the holiday moves to Monday 4 January.
    assert scotland.is_working_day(D(2027, 1, 4)) is False


def test_scotland_has_no_easter_monday_but_a_summer_holiday_in_early_august(scotland, england):
    assert scotland.is_working_day(D(2026, 4, 6)) is True
    assert scotland.is_working_day(D(2026, 8, 3)) is False
    assert scotland.is_working_day(D(2026, 8, 31)) is True
    assert england.is_working_day(D(2026, 8, 3)) is True


def test_scotland_keeps_st_andrews_day(scotland, england):
    assert scotland.is_working_day(D(2026, 11, 30)) is False
    assert england.is_working_day(D(2026, 11, 30)) is True


def test_scotland_substitutes_st_andrews_day_falling_on_a_weekend(scotland):
    # 30 November 2025 is a Sunday; 30 November 2024 a Saturday.
    assert scotland.is_working_day(D(2025, 12, 1)) is False
    assert scotland.is_working_day(D(2024, 12, 2)) is False


def test_northern_ireland_keeps_st_patricks_day(northern_ireland, england):
    assert northern_ireland.is_working_day(D(2026, 3, 17)) is False
    assert england.is_working_day(D(2026, 3, 17)) is True


def test_northern_ireland_keeps_12_july_and_its_substitute(northern_ireland, england):
    assert northern_ireland.is_working_day(D(2027, 7, 12)) is False
    # 12 July 2026 is a Sunday: the holiday is Monday 13 July.
    assert northern_ireland.is_working_day(D(2026, 7, 13)) is False
    assert england.is_working_day(D(2026, 7, 13)) is True


@pytest.mark.parametrize("nation", NATIONS)
def test_christmas_on_a_weekend_is_substituted(nation):
    calendar = WorkingDayCalendar(nation=nation)
    # 2021: Christmas Saturday, Boxing Day Sunday -> Monday 27 and Tuesday 28 December.
    assert calendar.is_working_day(D(2021, 12, 27)) is False
    assert calendar.is_working_day(D(2021, 12, 28)) is False
    assert calendar.is_working_day(D(2021, 12, 29)) is True
    # 2022: Christmas Sunday, Boxing Day Monday -> Christmas substituted on Tuesday 27.
    assert calendar.is_working_day(D(2022, 12, 26)) is False
    assert calendar.is_working_day(D(2022, 12, 27)) is False
    assert calendar.is_working_day(D(2022, 12, 28)) is True


@pytest.mark.parametrize("nation", NATIONS)
@pytest.mark.parametrize(
    "one_off",
    [D(2020, 5, 8), D(2022, 6, 2), D(2022, 6, 3), D(2022, 9, 19), D(2023, 5, 8)],
    ids=["ve-day-75", "jubilee-spring", "jubilee", "state-funeral", "coronation"],
)
def test_one_off_bank_holidays_are_not_working_days(nation, one_off):
    assert WorkingDayCalendar(nation=nation).is_working_day(one_off) is False


def test_early_may_bank_holiday_2020_moved_to_ve_day(england):
    assert england.is_working_day(D(2020, 5, 4)) is True


def test_closure_days_are_not_working_days():
    calendar = WorkingDayCalendar(
        nation="england", closure_days={D(2026, 12, 24): "Christmas shutdown"}
    )
    assert calendar.is_working_day(D(2026, 12, 24)) is False
    assert calendar.non_working_reason(D(2026, 12, 24)) == "Christmas shutdown"
    assert calendar.due_date(london(2026, 12, 18, 10, 0), 4) == D(2026, 12, 29)


def test_closure_days_may_be_given_as_a_list_of_dates():
    calendar = WorkingDayCalendar(nation="england", closure_days=[D(2026, 12, 24)])
    assert calendar.is_working_day(D(2026, 12, 24)) is False
    assert calendar.non_working_reason(D(2026, 12, 24)) == "council closure day"


# --- receipt day and due date -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("nation", "three", "ten"),
    [
        ("england", D(2026, 12, 23), D(2027, 1, 6)),
        ("wales", D(2026, 12, 23), D(2027, 1, 6)),
        ("northern_ireland", D(2026, 12, 23), D(2027, 1, 6)),
        # Scotland's 2 January falls on a Saturday in 2027 and moves to Monday 4 January.
        ("scotland", D(2026, 12, 23), D(2027, 1, 7)),
    ],
)
def test_design_example_received_friday_18_december_2026(nation, three, ten):
    calendar = WorkingDayCalendar(nation=nation)
    received_at = london(2026, 12, 18, 10, 0)
    assert calendar.receipt_day(received_at) == D(2026, 12, 18)
    assert calendar.due_date(received_at, 3) == three
    assert calendar.due_date(received_at, 10) == ten


def test_received_before_the_cutoff_counts_from_that_day(england):
    assert england.receipt_day(london(2026, 12, 18, 16, 59, 59)) == D(2026, 12, 18)


def test_received_at_the_cutoff_counts_from_the_next_working_day(england):
    assert england.receipt_day(london(2026, 12, 18, 17, 0)) == D(2026, 12, 21)


def test_the_cutoff_is_the_councils_own():
    calendar = WorkingDayCalendar(nation="england", cutoff_time=datetime.time(16, 0))
    assert calendar.receipt_day(london(2026, 12, 18, 15, 59)) == D(2026, 12, 18)
    assert calendar.receipt_day(london(2026, 12, 18, 16, 0)) == D(2026, 12, 21)


def test_weekend_receipt_has_the_same_due_date_as_monday_0900_receipt(england):
    monday = england.due_date(london(2026, 12, 21, 9, 0), 10)
    assert england.due_date(london(2026, 12, 19, 11, 0), 10) == monday
    assert england.due_date(london(2026, 12, 20, 23, 59), 10) == monday
    assert england.due_date(london(2026, 12, 18, 17, 30), 10) == monday


def test_receipt_on_a_bank_holiday_counts_from_the_next_working_day(england):
    assert england.receipt_day(london(2026, 12, 28, 9, 0)) == D(2026, 12, 29)


def test_receipt_day_is_the_london_date_not_the_utc_date(england):
    # 23:30 UTC on Monday 1 June 2026 is 00:30 BST on Tuesday 2 June.
    assert england.receipt_day(utc(2026, 6, 1, 23, 30)) == D(2026, 6, 2)


@pytest.mark.parametrize(
    ("received_at", "receipt_day"),
    [
        # Spring: clocks go forward on Sunday 29 March 2026; Monday 30 March is in BST.
        (utc(2026, 3, 30, 15, 59), D(2026, 3, 30)),  # 16:59 BST
        (utc(2026, 3, 30, 16, 0), D(2026, 3, 31)),  # 17:00 BST
        # Autumn: clocks go back on Sunday 25 October 2026; Monday 26 October is in GMT.
        (utc(2026, 10, 26, 16, 59), D(2026, 10, 26)),  # 16:59 GMT
        (utc(2026, 10, 26, 17, 0), D(2026, 10, 27)),  # 17:00 GMT
        # The Fridays before: still in GMT (spring) and BST (autumn).
        (utc(2026, 3, 27, 16, 59), D(2026, 3, 27)),
        (utc(2026, 3, 27, 17, 0), D(2026, 3, 30)),
        (utc(2026, 10, 23, 15, 59), D(2026, 10, 23)),
        (utc(2026, 10, 23, 16, 0), D(2026, 10, 26)),
    ],
)
def test_cutoff_is_local_time_either_side_of_the_clock_changes(england, received_at, receipt_day):
    assert england.receipt_day(received_at) == receipt_day


@pytest.mark.parametrize(
    "received_at",
    [
        london(2026, 3, 29, 16, 59),
        london(2026, 3, 29, 17, 0),
        london(2026, 3, 29, 0, 30),
        london(2026, 10, 25, 16, 59),
        london(2026, 10, 25, 17, 0),
        london(2026, 10, 25, 1, 30, fold=1),
    ],
)
def test_receipts_on_the_days_of_the_clock_changes_count_from_monday(england, received_at):
    assert england.receipt_day(received_at) == received_at.date() + datetime.timedelta(days=1)


def test_clock_changes_do_not_move_a_deadline(england):
    # Across the spring change (and Easter 2026): the count is in local dates only.
    assert england.due_date(london(2026, 3, 27, 10, 0), 10) == D(2026, 4, 14)
    assert england.due_date(utc(2026, 3, 27, 10, 0), 10) == D(2026, 4, 14)
    # Across the autumn change.
    assert england.due_date(london(2026, 10, 23, 16, 30), 5) == D(2026, 10, 30)
    assert england.due_date(utc(2026, 10, 23, 15, 30), 5) == D(2026, 10, 30)


def test_naive_received_at_is_an_error(england):
    with pytest.raises(ValueError, match="timezone-aware"):
        england.receipt_day(datetime.datetime(2026, 12, 18, 10, 0))
    with pytest.raises(ValueError, match="timezone-aware"):
        england.due_date(datetime.datetime(2026, 12, 18, 10, 0), 3)


def test_local_date_rejects_a_naive_datetime():
    with pytest.raises(ValueError, match="timezone-aware"):
        local_date(datetime.datetime(2026, 6, 1, 23, 30))
    assert local_date(utc(2026, 6, 1, 23, 30)) == D(2026, 6, 2)


# --- overdue ----------------------------------------------------------------------------------


def test_overdue_from_local_midnight_after_the_due_date_in_summer():
    due = D(2026, 6, 12)
    assert is_overdue(due, utc(2026, 6, 12, 22, 59, 59)) is False
    assert is_overdue(due, utc(2026, 6, 12, 23, 0)) is True


def test_overdue_from_local_midnight_after_the_due_date_in_winter():
    due = D(2026, 12, 23)
    assert is_overdue(due, utc(2026, 12, 23, 23, 59, 59)) is False
    assert is_overdue(due, utc(2026, 12, 24, 0, 0)) is True


def test_is_overdue_rejects_a_naive_now():
    with pytest.raises(ValueError, match="timezone-aware"):
        is_overdue(D(2026, 12, 23), datetime.datetime(2026, 12, 24, 9, 0))


# --- the ICO convention -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def england_ico():
    return WorkingDayCalendar(nation="england", convention="ico")


def test_ico_convention_counts_day_one_after_a_late_receipt(england, england_ico):
    received_at = london(2026, 12, 18, 17, 30)
    assert england_ico.receipt_day(received_at) == D(2026, 12, 18)
    assert england_ico.due_date(received_at, 3) == D(2026, 12, 23)
    assert england.due_date(received_at, 3) == D(2026, 12, 24)


def test_ico_convention_counts_day_one_after_a_weekend_receipt(england, england_ico):
    received_at = london(2026, 12, 19, 11, 0)
    assert england_ico.receipt_day(received_at) == D(2026, 12, 19)
    assert england_ico.due_date(received_at, 3) == D(2026, 12, 23)
    assert england.due_date(received_at, 3) == D(2026, 12, 24)


def test_ico_and_deemed_receipt_differ_only_after_the_cutoff_or_on_non_working_days(
    england, england_ico
):
    generator = random.Random(20261218)
    start = utc(2020, 1, 1)
    for _ in range(3000):
        received_at = start + datetime.timedelta(minutes=generator.randrange(11 * 366 * 24 * 60))
        local = received_at.astimezone(LONDON)
        in_working_time = england.is_working_day(local.date()) and local.time() < datetime.time(17)
        n = generator.randrange(1, 30)
        same = england.due_date(received_at, n) == england_ico.due_date(received_at, n)
        assert same is in_working_time, received_at


# --- counting ---------------------------------------------------------------------------------


def test_working_days_after_a_non_working_start_counts_the_next_working_day_as_day_one(england):
    assert england.working_days_after(D(2026, 12, 19), 1) == D(2026, 12, 21)
    assert england.next_working_day(D(2026, 12, 24)) == D(2026, 12, 29)


def test_zero_working_days_after_is_the_start_itself(england):
    assert england.working_days_after(D(2026, 12, 18), 0) == D(2026, 12, 18)
    assert england.working_days_after(D(2026, 12, 19), 0) == D(2026, 12, 19)


def test_negative_working_days_are_an_error(england):
    with pytest.raises(ValueError, match="negative"):
        england.working_days_after(D(2026, 12, 18), -1)


def test_working_days_between_counts_back_what_working_days_after_added(england):
    generator = random.Random(7)
    for _ in range(500):
        start = D(2001, 1, 1) + datetime.timedelta(days=generator.randrange(99 * 365))
        n = generator.randrange(0, 400)
        assert england.working_days_between(start, england.working_days_after(start, n)) == n


def test_working_days_between_gives_working_days_overdue(england):
    assert england.working_days_between(D(2026, 12, 23), D(2027, 1, 6)) == 7
    assert england.working_days_between(D(2027, 1, 6), D(2026, 12, 23)) == -7


def test_calendar_covers_2000_to_2100(england):
    assert england.is_working_day(D(2000, 1, 4)) is True
    assert england.working_days_after(D(2100, 12, 1), 10) == D(2100, 12, 15)


def test_dates_before_2000_or_after_2100_are_an_error(england):
    with pytest.raises(OutsideCalendar, match="1999-12-31"):
        england.is_working_day(D(1999, 12, 31))
    with pytest.raises(OutsideCalendar, match="2101-01-03"):
        england.receipt_day(london(2101, 1, 3, 10, 0))


def test_a_deadline_after_2100_is_an_error(england):
    with pytest.raises(OutsideCalendar, match="after 31 December 2100"):
        england.working_days_after(D(2100, 12, 20), 10)


def test_unknown_nation_or_convention_is_an_error():
    with pytest.raises(ValueError, match="nation"):
        WorkingDayCalendar(nation="cornwall")
    with pytest.raises(ValueError, match="convention"):
        WorkingDayCalendar(nation="england", convention="whenever")


# --- explanations for pages -------------------------------------------------------------------


def test_explanation_of_a_receipt_after_the_cutoff(england):
    assert england.explain_receipt(london(2026, 12, 18, 17, 30)) == (
        "Received at 17:30 on Friday 18 December 2026, after the 17:00 cut-off, "
        "so counted from the next working day, Monday 21 December 2026."
    )


def test_explanation_of_a_receipt_on_a_bank_holiday_names_it(england):
    explanation = england.explain_receipt(london(2026, 12, 28, 10, 0))
    assert "not a working day (Boxing Day (observed))" in explanation
    assert explanation.endswith("Tuesday 29 December 2026.")


def test_explanation_of_a_receipt_in_working_time(england):
    assert "so counted from that day" in england.explain_receipt(london(2026, 12, 18, 10, 0))


def test_explanation_under_the_ico_convention_names_it(england_ico):
    explanation = england_ico.explain_receipt(london(2026, 12, 19, 11, 0))
    assert "ICO convention" in explanation
    assert "Monday 21 December 2026" in explanation


# --- many cases at once -----------------------------------------------------------------------


FIRST_BENCH_DAY, LAST_BENCH_DAY = D(2020, 1, 1), D(2030, 12, 31)


def random_days(generator, count, first=FIRST_BENCH_DAY, last=LAST_BENCH_DAY):
    span = (last - first).days + 1
    offsets = generator.integers(0, span, count)
    return np.datetime64(first, "D") + offsets


@pytest.mark.parametrize("nation", NATIONS)
def test_bulk_due_dates_equal_scalar_due_dates(nation):
    calendar = WorkingDayCalendar(nation=nation, closure_days=[D(2024, 12, 24), D(2027, 8, 2)])
    generator = np.random.default_rng(1)
    days = random_days(generator, 2000)  # working and non-working days alike
    n = generator.integers(0, 40, days.size)
    bulk = calendar.bulk_due_dates(days, n)
    scalar = [calendar.working_days_after(d.item(), int(k)) for d, k in zip(days, n, strict=True)]
    assert bulk.dtype == np.dtype("datetime64[D]")
    assert bulk.tolist() == scalar
    assert calendar.bulk_due_dates(days, 10).tolist() == [
        calendar.working_days_after(d.item(), 10) for d in days
    ]


def test_bulk_due_dates_match_a_day_by_day_reference_without_walking_days(monkeypatch):
    closures = {D(2021, 12, 24), D(2022, 12, 23), D(2025, 4, 22), D(2029, 12, 31)}
    calendar = WorkingDayCalendar(nation="scotland", closure_days=closures)
    # The bulk path must not fall back to the per-day methods, nor build anything.
    for name in ("is_working_day", "next_working_day", "working_days_after", "receipt_day"):
        monkeypatch.setattr(WorkingDayCalendar, name, _must_not_be_called)
    monkeypatch.setattr(calendar_module, "_build_index", _must_not_be_called)
    monkeypatch.setattr(calendar_module, "_bank_holidays", _must_not_be_called)

    generator = np.random.default_rng(10_000)
    days = random_days(generator, 10_000)
    n = generator.integers(0, 60, days.size)
    bulk = calendar.bulk_due_dates(days, n)
    bulk_ten = calendar.bulk_due_dates(days, 10)

    bank_holidays = holidays.country_holidays("GB", subdiv="SCT", years=range(2020, 2032))
    expected = [
        reference_due_date(d.item(), int(k), bank_holidays, closures)
        for d, k in zip(days, n, strict=True)
    ]
    assert bulk.tolist() == expected
    assert bulk_ten.tolist() == [
        reference_due_date(d.item(), 10, bank_holidays, closures) for d in days
    ]


def _must_not_be_called(*args, **kwargs):
    raise AssertionError("the bulk path walked days one at a time")


@pytest.mark.parametrize("nation", NATIONS)
def test_due_dates_match_a_day_by_day_reference_across_the_century(nation):
    calendar = WorkingDayCalendar(nation=nation)
    bank_holidays = holidays.country_holidays(
        "GB", subdiv=SUBDIVISIONS[nation], years=range(2000, 2101)
    )
    generator = np.random.default_rng(2100)
    days = random_days(generator, 2000, D(2000, 1, 1), D(2096, 12, 31))
    n = generator.integers(0, 300, days.size)
    expected = [
        reference_due_date(d.item(), int(k), bank_holidays) for d, k in zip(days, n, strict=True)
    ]
    assert calendar.bulk_due_dates(days, n).tolist() == expected


def test_bulk_due_dates_with_no_days_returns_the_receipt_days(england):
    days = np.array(["2026-12-18", "2026-12-19"], dtype="datetime64[D]")
    assert england.bulk_due_dates(days, 0).tolist() == [D(2026, 12, 18), D(2026, 12, 19)]


def test_bulk_due_dates_accept_dates_and_an_empty_list(england):
    assert england.bulk_due_dates([D(2026, 12, 18)], 3).tolist() == [D(2026, 12, 23)]
    assert england.bulk_due_dates(np.array([], dtype="datetime64[D]"), 3).size == 0


def test_bulk_due_dates_reject_nat_negative_and_fractional_days(england):
    days = np.array(["2026-12-18", "NaT"], dtype="datetime64[D]")
    with pytest.raises(ValueError, match="NaT"):
        england.bulk_due_dates(days, 3)
    with pytest.raises(ValueError, match="negative"):
        england.bulk_due_dates(days[:1], -1)
    with pytest.raises(TypeError, match="whole number"):
        england.bulk_due_dates(days[:1], 1.5)


def test_bulk_due_dates_outside_the_calendar_are_an_error(england):
    with pytest.raises(OutsideCalendar):
        england.bulk_due_dates(np.array(["1999-06-01"], dtype="datetime64[D]"), 3)
    with pytest.raises(OutsideCalendar, match="after 31 December 2100"):
        england.bulk_due_dates(np.array(["2100-12-20"], dtype="datetime64[D]"), 10)


# --- a council's calendar ---------------------------------------------------------------------


def make_council(**fields):
    fields.setdefault("slug", "city")
    fields.setdefault("name", "City Council")
    return Council.objects.create(**fields)


def test_calendar_for_uses_the_councils_nation_closures_cutoff_and_convention(db):
    council = make_council(
        nation="scotland", cutoff_time=datetime.time(16, 0), deadline_convention="deemed_receipt"
    )
    ClosureDay.objects.create(council=council, date=D(2026, 12, 24), reason="Shutdown")
    calendar = calendar_for(council)
    assert calendar.is_working_day(D(2026, 11, 30)) is False  # St Andrew's Day
    assert calendar.is_working_day(D(2026, 12, 24)) is False
    assert calendar.receipt_day(london(2026, 12, 18, 16, 0)) == D(2026, 12, 21)


def test_calendar_for_is_cached_without_queries(db, django_assert_num_queries):
    council = make_council()
    first = calendar_for(council)
    with django_assert_num_queries(0):
        assert calendar_for(council) is first


def test_calendar_for_rebuilds_when_the_council_version_changes(db):
    council = make_council()
    assert calendar_for(council).is_working_day(D(2026, 12, 24)) is True
    ClosureDay.objects.create(council=council, date=D(2026, 12, 24))
    Council.objects.filter(pk=council.pk).update(version=F("version") + 1)
    council.refresh_from_db()
    assert calendar_for(council).is_working_day(D(2026, 12, 24)) is False


def test_calendar_for_rebuilds_when_the_convention_changes(db):
    council = make_council()
    received_at = london(2026, 12, 19, 11, 0)
    assert calendar_for(council).receipt_day(received_at) == D(2026, 12, 21)
    council.deadline_convention = "ico"
    assert calendar_for(council).receipt_day(received_at) == D(2026, 12, 19)


def test_invalidate_forgets_a_councils_calendar(db):
    council = make_council()
    first = calendar_for(council)
    invalidate(council.pk)
    assert calendar_for(council) is not first
