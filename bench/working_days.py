"""How fast the working-day calendar counts deadlines, against two baselines in the same run.

Computes 1,000,000 due dates (random receipt days 2020-2030, 10 working days; city council
protocol 10.3.1) three ways:

- the calendar's bulk path (``WorkingDayCalendar.bulk_due_dates``: two numpy gathers);
- ``numpy.busday_offset(..., roll="forward")`` with the same bank holidays and closure days;
- a per-day loop over a ``holidays`` object, timed on a sample and scaled (it is too slow to
  run a million times in a benchmark).

Receipt days are working days, as receipt days always are, so that ``busday_offset``'s
``roll="forward"`` changes nothing and all three count the same thing. Prints absolute times,
the ratios and the number of disagreements; exits 1 if any result disagrees, 2 if a ratio
misses its target (calendar <= 2.5x numpy, loop >= 40x calendar).

Needs no database: the calendar is built from a nation and a list of closure days.

    .venv/bin/python bench/working_days.py [--cases N] [--sample N]
"""

import argparse
import datetime
import sys
import time
from pathlib import Path

import holidays
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from council.calendar import WorkingDayCalendar

N_WORKING_DAYS = 10
FIRST_RECEIPT, LAST_RECEIPT = datetime.date(2020, 1, 1), datetime.date(2030, 12, 31)
HOLIDAY_YEARS = range(2019, 2033)  # receipt years plus room for the due dates
NUMPY_TARGET, LOOP_TARGET = 2.5, 40.0
ONE_DAY = datetime.timedelta(days=1)


def christmas_shutdowns():
    """A typical council closure: 24 December and the working days between the holidays."""
    closures = {}
    for year in HOLIDAY_YEARS:
        for day in (24, 29, 30, 31):
            closures[datetime.date(year, 12, day)] = "Christmas shutdown"
    return closures


def best_of(runs, function):
    best, result = float("inf"), None
    for _ in range(runs):
        started = time.perf_counter()
        result = function()
        best = min(best, time.perf_counter() - started)
    return best, result


def loop_due_date(start, n, bank_holidays, closures):
    day, counted = start, 0
    while counted < n:
        day += ONE_DAY
        if day.weekday() < 5 and day not in bank_holidays and day not in closures:
            counted += 1
    return day


def seconds(value):
    return f"{value * 1000:9.1f} ms" if value < 1 else f"{value:9.1f} s "


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--sample", type=int, default=20_000, help="cases timed for the loop")
    parser.add_argument("--seed", type=int, default=20261218)
    args = parser.parse_args(argv)
    sample = min(args.sample, args.cases)

    closures = christmas_shutdowns()
    bank_holidays = holidays.country_holidays("GB", subdiv="ENG", years=HOLIDAY_YEARS)
    non_working = np.array(sorted({*bank_holidays, *closures}), dtype="datetime64[D]")
    numpy_calendar = np.busdaycalendar(weekmask="1111100", holidays=non_working)

    started = time.perf_counter()
    calendar = WorkingDayCalendar(nation="england", closure_days=closures)
    build_time = time.perf_counter() - started

    generator = np.random.default_rng(args.seed)
    span = (LAST_RECEIPT - FIRST_RECEIPT).days + 1
    any_days = np.datetime64(FIRST_RECEIPT, "D") + generator.integers(0, span, args.cases)
    receipt_days = np.busday_offset(any_days, 0, roll="forward", busdaycal=numpy_calendar)
    assert np.is_busday(receipt_days, busdaycal=numpy_calendar).all()

    calendar.bulk_due_dates(receipt_days, N_WORKING_DAYS)  # grows the window, once
    calendar_time, by_calendar = best_of(
        7, lambda: calendar.bulk_due_dates(receipt_days, N_WORKING_DAYS)
    )
    numpy_time, by_numpy = best_of(
        5,
        lambda: np.busday_offset(
            receipt_days, N_WORKING_DAYS, roll="forward", busdaycal=numpy_calendar
        ),
    )
    sample_days = receipt_days[:sample].tolist()
    sample_time, by_loop = best_of(
        1,
        lambda: [
            loop_due_date(day, N_WORKING_DAYS, bank_holidays, closures) for day in sample_days
        ],
    )
    loop_time = sample_time * args.cases / sample

    disagreements = int((by_calendar != by_numpy).sum())
    disagreements += sum(
        1
        for expected, got in zip(by_loop, by_calendar[:sample].tolist(), strict=True)
        if expected != got
    )
    numpy_ratio = calendar_time / numpy_time
    loop_ratio = loop_time / calendar_time

    print(
        f"{args.cases:,} due dates, {N_WORKING_DAYS} working days, receipt days "
        f"{FIRST_RECEIPT.year}-{LAST_RECEIPT.year}, England with Christmas closure days"
    )
    print(f"  calendar index built in     {seconds(build_time)} (once per council and process)")
    print(f"  calendar bulk_due_dates     {seconds(calendar_time)}")
    print(f"  numpy.busday_offset         {seconds(numpy_time)}")
    print(
        f"  per-day loop over holidays  {seconds(loop_time)} "
        f"({sample:,} timed in {sample_time:.2f} s, scaled x{args.cases / sample:g})"
    )
    print(f"calendar/numpy = {numpy_ratio:.2f}x  (target <= {NUMPY_TARGET}x)")
    print(f"loop/calendar = {loop_ratio:.0f}x  (target >= {LOOP_TARGET:.0f}x)")
    print(f"disagreements = {disagreements}")

    if disagreements:
        return 1
    if numpy_ratio > NUMPY_TARGET or loop_ratio < LOOP_TARGET:
        print("A ratio missed its target.")
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
