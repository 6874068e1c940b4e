"""The working-day calendar: the one place every deadline in Councilcase is counted.

Protocol deadlines are in working days (city council protocol 10.3.1). The rules, from DESIGN.md
("The working-day calendar"):

- A working day is Monday to Friday, not a bank holiday of the council's nation (the
  ``holidays`` package's UK subdivisions, substitute days included) and not one of the
  council's own closure days.
- Receipt day ("deemed_receipt", the default convention): the Europe/London date of
  ``received_at`` if that is a working day and the local time is before the council's cut-off;
  otherwise the next working day. The receipt day is day 0; a due date for N working days is
  the Nth working day after it.
- The "ico" convention: day 1 is the first working day after the local date of receipt,
  whatever the time or day; there is no cut-off. The local date of receipt is day 0.
- A case is overdue from 00:00 local time on the day after its due date.
- Times are stored in UTC and interpreted in Europe/London, so clock changes never move a
  deadline.

How it is fast: a calendar holds two arrays over 2000-2100 — the working days in order
(``datetime64[D]``), and ``rank``, indexed by day number (days since 1970-01-01, which is
``datetime64[D]``'s own representation), giving how many working days fall on or before each
day. The Nth working day after ``start`` is ``working[rank[start] - 1 + N]``: two array lookups,
and for many cases the same two lookups as vectorised numpy indexing. Building them takes about
20 ms the first time a process meets a nation (computing its bank holidays) and about 1 ms
after that; they take about 400 KB per calendar. Dates outside 2000-2100 raise
``OutsideCalendar``.

Use ``calendar_for(council)`` in the application: it builds a council's calendar when first
asked and keeps it, keyed on the council's id and ``version`` (and nation, cut-off and
convention), so services that add or remove closure days must bump ``council.version``.
``WorkingDayCalendar(nation=..., closure_days=...)`` builds one from plain values, with no
database (benchmarks, tests).
"""

from __future__ import annotations

import datetime
import functools
import threading
from collections import OrderedDict
from collections.abc import Iterable, Mapping
from zoneinfo import ZoneInfo

import holidays
import numpy as np

from .choices import DeadlineConvention, Nation

__all__ = [
    "FIRST_YEAR",
    "LAST_YEAR",
    "LONDON",
    "OutsideCalendar",
    "WorkingDayCalendar",
    "calendar_for",
    "invalidate",
    "is_overdue",
    "local_date",
]

LONDON = ZoneInfo("Europe/London")
FIRST_YEAR = 2000
LAST_YEAR = 2100
DEFAULT_CUTOFF = datetime.time(17, 0)

# The ``holidays`` package's UK subdivision for each nation. Wales keeps England's bank holidays.
_SUBDIVISIONS = {
    Nation.ENGLAND: "ENG",
    Nation.WALES: "WLS",
    Nation.SCOTLAND: "SCT",
    Nation.NORTHERN_IRELAND: "NIR",
}
_UNIX_EPOCH_ORDINAL = datetime.date(1970, 1, 1).toordinal()
_FIRST_DAY = datetime.date(FIRST_YEAR, 1, 1).toordinal() - _UNIX_EPOCH_ORDINAL
_END_DAY = datetime.date(LAST_YEAR + 1, 1, 1).toordinal() - _UNIX_EPOCH_ORDINAL  # exclusive
_NAT = int(np.datetime64("NaT", "D").astype(np.int64))
# 1970-01-01 (day number 0) was a Thursday; Python's weekday() numbers Monday as 0.
_WEEKDAY_OF_DAY_ZERO = 3


class OutsideCalendar(ValueError):
    """A date or deadline outside the years the calendar covers (2000-2100)."""


def local_date(moment: datetime.datetime) -> datetime.date:
    """The Europe/London calendar date of an aware ``moment``.

    Raises ``ValueError`` for a naive datetime: a time without an offset is ambiguous, and
    Councilcase stores every time in UTC.
    """
    _require_aware(moment, "moment")
    return moment.astimezone(LONDON).date()


def is_overdue(due_date: datetime.date, now: datetime.datetime) -> bool:
    """Whether a case due on ``due_date`` is overdue at ``now`` (an aware datetime).

    A case is overdue from 00:00 Europe/London time on the day after its due date
    (city council protocol 10.3.1; DESIGN.md, The working-day calendar).
    """
    _require_aware(now, "now")
    return now.astimezone(LONDON).date() > due_date


class WorkingDayCalendar:
    """A council's working days, receipt days and due dates (city council protocol 10.3.1).

    Build one from plain values — ``WorkingDayCalendar(nation="scotland", closure_days={date:
    reason}, cutoff_time=time(17), convention="deemed_receipt")`` — or get a council's cached
    one from ``calendar_for(council)``. Instances are immutable and safe to share between
    threads.
    """

    def __init__(
        self,
        *,
        nation: str,
        closure_days: Mapping[datetime.date, str] | Iterable[datetime.date] = (),
        cutoff_time: datetime.time = DEFAULT_CUTOFF,
        convention: str = DeadlineConvention.DEEMED_RECEIPT,
    ):
        if nation not in _SUBDIVISIONS:
            raise ValueError(f"Unknown nation {nation!r}; expected one of {Nation.values}.")
        if convention not in DeadlineConvention.values:
            raise ValueError(
                f"Unknown deadline convention {convention!r}; "
                f"expected one of {DeadlineConvention.values}."
            )
        if not isinstance(closure_days, Mapping):
            closure_days = dict.fromkeys(closure_days, "")
        self.nation = Nation(nation)
        self.cutoff_time = cutoff_time
        self.convention = DeadlineConvention(convention)
        self.closure_days = {
            day: (reason or "council closure day") for day, reason in closure_days.items()
        }
        self._subdivision = _SUBDIVISIONS[self.nation]
        self._rank, self._working = _build_index(
            self._subdivision, [_day_number(day) for day in self.closure_days]
        )

    def __repr__(self):
        return (
            f"<WorkingDayCalendar {self.nation.value} cut-off {self.cutoff_time:%H:%M} "
            f"{self.convention.value}, {len(self.closure_days)} closure days>"
        )

    # --- single days --------------------------------------------------------------------------

    def is_working_day(self, day: datetime.date) -> bool:
        """Whether ``day`` is Monday to Friday, not a bank holiday of the nation, not a closure."""
        number = _day_number(day)
        _check_range(number, number)
        return bool(self._rank[number] != self._rank[number - 1])

    def next_working_day(self, day: datetime.date) -> datetime.date:
        """The first working day strictly after ``day``."""
        return self.working_days_after(day, 1)

    def working_days_after(self, start: datetime.date, n: int) -> datetime.date:
        """The Nth working day after ``start``, which is day 0 (city council protocol 10.3.1).

        ``start`` is normally a receipt day. If it is not a working day, day 1 is still the
        first working day after it; ``n == 0`` returns ``start`` itself.
        """
        _check_days(n)
        number = _day_number(start)
        _check_range(number, number)
        if n == 0:
            return start
        position = int(self._rank[number]) - 1 + n
        self._check_position(position)
        return self._working[position].item()

    def working_days_between(self, start: datetime.date, end: datetime.date) -> int:
        """How many working days fall after ``start`` up to and including ``end``.

        ``working_days_between(d, working_days_after(d, n)) == n``; negative when ``end`` is
        before ``start``. With a due date and today's date it gives "N working days overdue".
        """
        first, last = _day_number(start), _day_number(end)
        _check_range(min(first, last), max(first, last))
        return int(self._rank[last]) - int(self._rank[first])

    # --- receipt and due dates ----------------------------------------------------------------

    def receipt_day(self, received_at: datetime.datetime) -> datetime.date:
        """Day 0 for something received at ``received_at`` (an aware datetime).

        Deemed receipt (default): the local date if it is a working day and the local time is
        before the cut-off, otherwise the next working day — a Saturday e-mail and a Monday
        09:00 e-mail get the same deadline. ICO: the local date of receipt, whatever the time.
        A naive datetime raises ``ValueError``.
        """
        _require_aware(received_at, "received_at")
        local = received_at.astimezone(LONDON)
        day = local.date()
        if self.convention == DeadlineConvention.ICO:
            _check_range(_day_number(day), _day_number(day))
            return day
        if self.is_working_day(day) and local.time() < self.cutoff_time:
            return day
        return self.next_working_day(day)

    def due_date(self, received_at: datetime.datetime, n: int) -> datetime.date:
        """The date by which something received at ``received_at`` is due, in N working days.

        The last day on which the response is in time; overdue from 00:00 local time the day
        after (see ``is_overdue``).
        """
        return self.working_days_after(self.receipt_day(received_at), n)

    def bulk_due_dates(self, receipt_days, n) -> np.ndarray:
        """``working_days_after`` for many receipt days at once, without a per-day loop.

        ``receipt_days`` is array-like of ``datetime64[D]`` (dates are converted; no NaT);
        ``n`` is an int or an array of ints that broadcasts against it. Returns an array of
        ``datetime64[D]`` of the broadcast shape.
        """
        days = np.asarray(receipt_days, dtype="datetime64[D]")
        n_array = np.asarray(n)
        if n_array.dtype.kind not in "iu":
            raise TypeError("n must be a whole number of working days.")
        if n_array.size and n_array.min() < 0:
            raise ValueError("n must not be negative.")
        if days.size == 0:
            return np.broadcast_arrays(days, n_array)[0].copy()
        numbers = days.view(np.int64)
        first, last = int(numbers.min()), int(numbers.max())
        if first == _NAT:
            raise ValueError("receipt_days must not contain NaT.")
        _check_range(first, last)
        if n_array.ndim == 0:
            # The common case, kept to the two gathers. rank is monotonic, so the furthest
            # position comes from the latest receipt day alone, checked before the int32 sum.
            n = int(n_array)
            if n == 0:
                return days.copy()
            self._check_position(int(self._rank[last]) - 1 + n)
            positions = self._rank[numbers]
            positions += n - 1
            return self._working[positions]
        positions = self._rank[numbers] + (n_array - 1)
        self._check_position(int(positions.max()))
        return np.where(n_array == 0, days, self._working[positions])

    # --- words for pages ----------------------------------------------------------------------

    def non_working_reason(self, day: datetime.date) -> str | None:
        """Why ``day`` is not a working day (a bank holiday's name, the closure's reason or
        "a weekend"), or None when it is one."""
        if self.is_working_day(day):
            return None
        name = _bank_holidays(self._subdivision, day.year).get(_day_number(day))
        return name or self.closure_days.get(day) or "a weekend"

    def explain_receipt(self, received_at: datetime.datetime) -> str:
        """One sentence saying from which day a deadline is counted and why, for pages.

        E.g. "Received at 17:30 on Friday 18 December 2026, after the 17:00 cut-off, so counted
        from the next working day, Monday 21 December 2026." The council's convention is shown
        wherever a due date is explained (DESIGN.md, The working-day calendar).
        """
        _require_aware(received_at, "received_at")
        local = received_at.astimezone(LONDON)
        day = local.date()
        start = self.receipt_day(received_at)
        when = f"at {local:%H:%M} on {_long_date(day)}"
        if self.convention == DeadlineConvention.ICO:
            return (
                f"Received {when}. Under the ICO convention day 1 is the first working day "
                f"after the date of receipt, whatever the time: "
                f"{_long_date(self.next_working_day(day))}."
            )
        if start == day:
            return (
                f"Received {when}, a working day, before the {self.cutoff_time:%H:%M} "
                "cut-off, so counted from that day."
            )
        if self.is_working_day(day):
            reason = f"after the {self.cutoff_time:%H:%M} cut-off"
        else:
            reason = f"not a working day ({self.non_working_reason(day)})"
        return (
            f"Received {when}, {reason}, so counted from the next working day, {_long_date(start)}."
        )

    def _check_position(self, position: int) -> None:
        if position >= len(self._working):
            raise OutsideCalendar(
                f"The deadline falls after 31 December {LAST_YEAR}, the end of the "
                "working-day calendar."
            )


# --- building the index -----------------------------------------------------------------------


@functools.cache
def _bank_holidays(subdivision: str, year: int) -> dict[int, str]:
    """One year's bank holidays of a UK nation, day number -> name; cached per process and
    shared between calendars, so treat it as read-only."""
    found = holidays.country_holidays("GB", subdiv=subdivision, years=year)
    return {_day_number(day): name for day, name in found.items()}


def _build_index(subdivision: str, closure_day_numbers: list[int]):
    """``rank`` (int32, indexed by day number up to 31 December 2100: working days from
    1 January 2000 up to and including each day) and the working days (``datetime64[D]``)."""
    day_numbers = np.arange(_END_DAY, dtype=np.int64)
    is_working = (day_numbers + _WEEKDAY_OF_DAY_ZERO) % 7 < 5
    is_working[:_FIRST_DAY] = False
    closed = [
        number
        for year in range(FIRST_YEAR, LAST_YEAR + 1)
        for number in _bank_holidays(subdivision, year)
    ]
    closed += [number for number in closure_day_numbers if _FIRST_DAY <= number < _END_DAY]
    is_working[np.array(closed, dtype=np.int64)] = False
    rank = np.cumsum(is_working, dtype=np.int32)
    working = day_numbers[is_working].astype("datetime64[D]")
    rank.flags.writeable = False
    working.flags.writeable = False
    return rank, working


def _check_range(first: int, last: int) -> None:
    if first < _FIRST_DAY or last >= _END_DAY:
        outside = first if first < _FIRST_DAY else last
        raise OutsideCalendar(
            f"The working-day calendar covers {FIRST_YEAR} to {LAST_YEAR}; "
            f"{np.datetime64(outside, 'D')} is outside it."
        )


def _check_days(n) -> None:
    if isinstance(n, bool) or not isinstance(n, int | np.integer):
        raise TypeError(f"n must be a whole number of working days, not {n!r}.")
    if n < 0:
        raise ValueError("n must not be negative.")


def _require_aware(moment, name) -> None:
    if not isinstance(moment, datetime.datetime):
        raise TypeError(f"{name} must be a datetime, not {type(moment).__name__}.")
    if moment.tzinfo is None or moment.tzinfo.utcoffset(moment) is None:
        raise ValueError(
            f"{name} must be timezone-aware (got the naive datetime {moment.isoformat()}); "
            "Councilcase stores times in UTC and counts days in Europe/London."
        )


def _day_number(day: datetime.date) -> int:
    if isinstance(day, datetime.datetime):
        raise TypeError("Expected a date, not a datetime: take local_date() of it first.")
    return day.toordinal() - _UNIX_EPOCH_ORDINAL


def _long_date(day: datetime.date) -> str:
    return f"{day:%A} {day.day} {day:%B %Y}"


# --- one calendar per council -----------------------------------------------------------------

# The most recently used councils' calendars (about 400 KB each); a miss costs ~1 ms and a query.
_CACHE_SIZE = 128
_calendars: OrderedDict[int, tuple[tuple, WorkingDayCalendar]] = OrderedDict()
_calendars_lock = threading.Lock()


def calendar_for(council) -> WorkingDayCalendar:
    """The working-day calendar of a saved ``Council``, cached per process.

    The cache is keyed on the council's id and ``version``, nation, cut-off and convention.
    Closure days are read (one query) only when the calendar is built, so whatever adds,
    changes or removes a closure day must bump ``council.version`` in the same transaction;
    every process then rebuilds on its next read of the council row. ``invalidate()`` clears
    only this process's cache.
    """
    if council.pk is None:
        raise ValueError("calendar_for() needs a saved council.")
    key = (council.version, council.nation, council.cutoff_time, council.deadline_convention)
    with _calendars_lock:
        cached = _calendars.get(council.pk)
        if cached is not None and cached[0] == key:
            _calendars.move_to_end(council.pk)
            return cached[1]
    calendar = WorkingDayCalendar(
        nation=council.nation,
        closure_days=dict(council.closure_days.values_list("date", "reason")),
        cutoff_time=council.cutoff_time,
        convention=council.deadline_convention,
    )
    with _calendars_lock:
        _calendars[council.pk] = (key, calendar)
        _calendars.move_to_end(council.pk)
        while len(_calendars) > _CACHE_SIZE:
            _calendars.popitem(last=False)
    return calendar


def invalidate(council_id: int | None = None) -> None:
    """Forget this process's cached calendar of one council (or of all, given None)."""
    with _calendars_lock:
        if council_id is None:
            _calendars.clear()
        else:
            _calendars.pop(council_id, None)
