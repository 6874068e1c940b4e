"""What a page of the enquiry lists costs, against a raw SQL keyset page of the same rows.

    .venv/bin/python scripts/with_services.py .venv/bin/python bench/lists.py [--rows 1000000]

The issue's aim is at 1,000,000 enquiries; the default is 200,000 (``--rows``) to keep
``make bench`` short. One council; ``--open-share`` (default 20%) of its enquiries are awaiting
an answer, due over 14 weeks around today, the rest answered or closed (no running clock:
response_due 9999-12-31, last in the queue's order), as in a council's table after a few years.

Through Django's test Client, signed in as a casework-team officer (who sees every enquiry of
the council), including authentication, scoping, serialization and rendering:

- ``GET /api/v1/enquiries/``: the first page (50 rows) and deep pages, their cursors built as
  core.keyset builds them (the (response_due, id) of the row before the page): in the middle
  of the open enquiries and in the middle of the whole list;
- ``GET /enquiries/`` (the officer's queue, HTML, 25 rows a page, the same ``?cursor=``): the
  first page and the same deep positions.

The floor is one raw SQL keyset query for the same rows with the same joins (council, member,
directorate, assignee), fetched into Python tuples. Modes are interleaved round by round and
medians taken. Aims (the issue, at 1,000,000): API page <= 2.5x the floor, deep page <= 1.1x
the first, HTML page <= 5x the floor.

Where the API's time goes, in layers (the first page, 50 rows, as the same officer): a
hand-written endpoint (a DRF view, one raw SQL query of the enquiry table, its rows to JSON:
no ORM, no serializer, no viewset); the same view reading the page through the selector, the
ORM and core.keyset (ids to JSON); then also through the serializer and renderer; the API
itself adds the viewset (pagination links, filters, permissions, ETags, DRF's response).
These views live in this script only: they show what each layer costs, not a second API.

Also follows the API's ``next`` links for a few pages from a position inside a long run of
equal due dates and checks that every page brings new rows. Exits 1 on a correctness failure
(a page not the floor's rows, a page repeated); a missed aim prints "MISSED AIM".
"""

from __future__ import annotations

import argparse
import datetime
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))

import orjson
from _common import (
    NO_RESPONSE_DUE,
    Org,
    execute,
    explain,
    fmt,
    insert_enquiries,
    median,
    migrate_fresh,
    rotate,
    timed,
)
from django.db import connection
from django.http import HttpResponse
from django.test import Client
from django.urls import clear_url_caches, path
from django.utils import timezone
from rest_framework.views import APIView

from complaints import selectors
from complaints.api.serializers import EnquirySerializer
from complaints.models import Enquiry
from complaints.views import QUEUE_ORDER
from core import keyset
from core.api.renderers import JSONRenderer

API_AIM, DEEP_AIM, HTML_AIM = 2.5, 1.1, 5.0
API_PAGE, HTML_PAGE = 50, 25

failures: list[str] = []

# The page's rows found first, then joined: written as one query with the joins, PostgreSQL
# (estimating the row comparison from its first column) joined all the rows after a cursor
# deep in the run of answered enquiries and sorted them, 2.3 s a page (core.keyset.page).
FLOOR_SQL = """
SELECT e.*, c.*, m.*, d.*, o.*
FROM (
    SELECT * FROM complaints_enquiry
    WHERE council_id = %(council)s AND (response_due, id) > (%(day)s, %(pk)s)
    ORDER BY response_due, id
    LIMIT %(limit)s
) AS e
JOIN council_council AS c ON c.id = e.council_id
JOIN council_member AS m ON m.id = e.member_id
LEFT JOIN council_directorate AS d ON d.id = e.directorate_id
LEFT JOIN council_officer AS o ON o.id = e.assigned_officer_id
ORDER BY e.response_due, e.id
"""


# The layers (see the docstring): views of this script only, mounted while it runs.
HAND_WRITTEN_SQL = """
SELECT * FROM complaints_enquiry WHERE council_id = %s ORDER BY response_due, id LIMIT %s
"""


class HandWritten(APIView):
    def get(self, request):
        council_id = request.user.officer.council_id
        with connection.cursor() as cursor:
            cursor.execute(HAND_WRITTEN_SQL, [council_id, API_PAGE + 1])
            columns = [column.name for column in cursor.description]
            rows = [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]
        body = {"next": None, "previous": None, "results": rows[:API_PAGE]}
        return HttpResponse(orjson.dumps(body), content_type="application/json")


class ThroughTheOrm(APIView):
    serialize = False

    def get(self, request):
        queryset = selectors.enquiries_for(request.user, related=("council",))
        rows = keyset.page(queryset, QUEUE_ORDER, None, API_PAGE).rows
        if not self.serialize:
            body = {"results": [row.pk for row in rows]}
            return HttpResponse(orjson.dumps(body), content_type="application/json")
        data = EnquirySerializer(rows, many=True, context={"request": request}).data
        body = {"next": None, "previous": None, "results": data}
        return HttpResponse(JSONRenderer().render(body), content_type="application/json")


def mount_layers():
    from config import urls

    urls.urlpatterns[:0] = [
        path("bench/layers/hand-written/", HandWritten.as_view()),
        path("bench/layers/orm/", ThroughTheOrm.as_view()),
        path("bench/layers/serializer/", ThroughTheOrm.as_view(serialize=True)),
    ]
    clear_url_caches()


LAYERS = (
    ("hand_written", "/bench/layers/hand-written/", "a hand-written endpoint (raw SQL to JSON)"),
    ("orm", "/bench/layers/orm/", "+ the selector, the ORM and core.keyset"),
    ("serializer", "/bench/layers/serializer/", "+ the serializer and the JSON renderer"),
)


def generate(org, rows, open_share):
    today = timezone.localdate()
    insert_enquiries(
        org,
        rows=rows,
        select="""
        SELECT n, status, due,
               CASE WHEN status = 'received' THEN due ELSE received::date + 5 END AS first_due,
               CASE WHEN status = 'received' THEN due + 14 ELSE received::date + 19 END
                   AS full_due,
               received,
               CASE WHEN status = 'received' THEN NULL ELSE received + interval '4 days' END
                   AS answered,
               CASE WHEN status = 'closed' THEN received + interval '9 days' END AS closed
        FROM (
            SELECT n, s.status,
                   CASE WHEN s.status = 'received' THEN %(today)s::date - 28 + (n %% 98)
                        ELSE %(no_clock)s::date END AS due,
                   CASE WHEN s.status = 'received'
                        THEN (%(today)s::date - 60 + (n %% 50))::timestamptz
                        ELSE (%(today)s::date - 1200 + (n %% 1100))::timestamptz
                   END + interval '10 hours' AS received
            FROM generate_series(1, %(rows)s) AS n,
                 LATERAL (SELECT CASE WHEN (n::bigint * 7919) %% 1000 < %(open_per_mille)s
                                      THEN 'received'
                                      WHEN n %% 2 = 0 THEN 'responded'
                                      ELSE 'closed' END AS status) AS s
        ) AS g
        """,
        params={
            "today": today,
            "no_clock": NO_RESPONSE_DUE,
            "open_per_mille": round(open_share * 1000),
        },
    )


def keys_in_order(council_id):
    """(response_due, id) of every enquiry, in the queue's order."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT response_due, id FROM complaints_enquiry WHERE council_id = %s "
            "ORDER BY response_due, id",
            [council_id],
        )
        return cursor.fetchall()


def floor_page(council_id, after, limit):
    day, pk = after if after else (datetime.date.min, 0)
    with connection.cursor() as cursor:
        cursor.execute(FLOOR_SQL, {"council": council_id, "day": day, "pk": pk, "limit": limit})
        return cursor.fetchall()


def cursor_at(keys, k):
    """The ``cursor`` of the page starting at row ``k`` of ``keys`` (the position just after
    row k - 1, as core.keyset encodes it for the API and the pages alike)."""
    if k == 0:
        return None
    return keyset.encode(keyset.Position(tuple(keys[k - 1])), Enquiry, QUEUE_ORDER)


class Page:
    """One position in the list, requested through the API and the page."""

    def __init__(self, name, keys, k, council_id):
        self.name, self.k = name, k
        self.after = keys[k - 1] if k else None
        cursor = cursor_at(keys, k)
        query = "?" + urlencode({"cursor": cursor}) if cursor else ""
        self.api_url = "/api/v1/enquiries/" + query
        self.html_url = "/enquiries/" + query
        self.api_ids = [pk for _, pk in keys[k : k + API_PAGE]]
        self.html_ids = [pk for _, pk in keys[k : k + HTML_PAGE]]
        self.council_id = council_id


def check_api(client, page):
    response = client.get(page.api_url)
    if response.status_code != 200:
        return f"API {page.name}: HTTP {response.status_code}"
    ids = [row["id"] for row in response.json()["results"]]
    if ids != page.api_ids:
        return (
            f"API {page.name} (row {page.k:,}): rows {ids[:3]}... are not the "
            f"floor's {page.api_ids[:3]}..."
        )
    return None


def check_html(client, page, references):
    response = client.get(page.html_url)
    if response.status_code != 200:
        return f"HTML {page.name}: HTTP {response.status_code}"
    body = response.content.decode()
    missing = [pk for pk in page.html_ids if references[pk] not in body]
    if missing:
        return f"HTML {page.name}: {len(missing)} of the floor's rows not on the page"
    return None


def follow_next(client, keys, council_id, pages=4):
    """Follow ``next`` from inside the longest run of equal due dates: each page should
    bring 50 rows not seen before, in the queue's order."""
    runs, start = [], 0
    for i in range(1, len(keys) + 1):
        if i == len(keys) or keys[i][0] != keys[start][0]:
            runs.append((i - start, start))
            start = i
    length, start = max(runs)
    k = start + min(length - 1, 950)
    url = Page("run", keys, k, council_id).api_url
    seen, expected, problems = set(), [pk for _, pk in keys[k : k + pages * API_PAGE]], []
    got = []
    for _ in range(pages):
        body = client.get(url).json()
        ids = [row["id"] for row in body["results"]]
        if seen.intersection(ids):
            problems.append(f"a page repeated {len(seen.intersection(ids))} rows")
        seen.update(ids)
        got.extend(ids)
        if not body["next"]:
            break
        url = body["next"].replace("http://testserver", "")
    if got != expected[: len(got)] or len(got) < min(len(expected), pages * API_PAGE):
        problems.append(
            f"following next from row {k:,} (offset {k - start} into a run of {length:,} rows "
            f"due {keys[start][0]}) gave {len(set(got)):,} distinct rows of {len(got):,}, "
            f"not the next {pages * API_PAGE} in order"
        )
    return problems


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--open-share", type=float, default=0.2)
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--explain", action="store_true")
    args = parser.parse_args(argv)

    migrate_fresh("bench/lists.py")
    mount_layers()
    org = Org()
    started = time.perf_counter()
    generate(org, args.rows, args.open_share)
    council_id = org.council.pk
    keys = keys_in_order(council_id)
    n_open = sum(1 for day, _ in keys if day != NO_RESPONSE_DUE)
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, reference FROM complaints_enquiry")
        references = dict(cursor.fetchall())
    print(
        f"PostgreSQL {connection.pg_version}; {len(keys):,} enquiries of one council "
        f"({n_open:,} awaiting an answer, the rest answered or closed), generated in "
        f"{time.perf_counter() - started:.1f} s"
        + ("" if len(keys) >= 1_000_000 else "; the aims are stated at 1,000,000 (--rows)")
    )

    pages = [
        Page("first page", keys, 0, council_id),
        Page("deep: middle of the open enquiries", keys, n_open // 2, council_id),
        Page("deep: middle of the list", keys, len(keys) // 2, council_id),
    ]
    client = Client()
    client.force_login(org.casework)

    for page in pages:
        for problem in (check_api(client, page), check_html(client, page, references)):
            if problem:
                failures.append(problem)
                print(f"  CORRECTNESS FAILURE: {problem}")
    for problem in follow_next(client, keys, council_id):
        failures.append(f"API next links: {problem}")
        print(f"  CORRECTNESS FAILURE (API next links): {problem}")

    modes = []
    for page in pages:
        modes += [
            ("floor50", page, lambda p=page: floor_page(council_id, p.after, API_PAGE)),
            ("floor25", page, lambda p=page: floor_page(council_id, p.after, HTML_PAGE)),
            ("api", page, lambda p=page: client.get(p.api_url)),
            ("html", page, lambda p=page: client.get(p.html_url)),
        ]
    # What the framework costs with no list: a signed-in page that shows no records (the
    # accessibility statement, with the header's navigation and badge) and an API list that
    # is empty (the casework officer's notifications): session, account, middleware, DRF's
    # dispatch, templates. Printed against the floors to show how much of a page that is.
    modes += [
        ("static", pages[0], lambda: client.get("/accessibility/")),
        ("empty_api", pages[0], lambda: client.get("/api/v1/notifications/")),
    ]
    for kind, url, _ in LAYERS:
        status = client.get(url).status_code
        if status != 200:
            failures.append(f"layer {kind}: HTTP {status}")
        modes.append((kind, pages[0], lambda url=url: client.get(url)))
    for _, _, request in modes:  # warm up
        request()
    timings = {(kind, page.name): [] for kind, page, _ in modes}
    for round_number in range(args.rounds):
        for kind, page, request in rotate(modes, round_number):
            seconds, _ = timed(request)
            timings[kind, page.name].append(seconds)
    m = {key: median(values) for key, values in timings.items()}

    print(f"\nMedians of {args.rounds} interleaved rounds:")
    print(f"  {'':38} {'floor 50':>12} {'API 50':>12} {'floor 25':>12} {'HTML 25':>12}")
    for page in pages:
        n = page.name
        print(
            f"  {n:38} {fmt(m['floor50', n])} {fmt(m['api', n])} {fmt(m['floor25', n])} "
            f"{fmt(m['html', n])}"
        )
    first = pages[0].name
    print(
        f"  {'no list: signed-in page, empty API list':38} {'':>12} {fmt(m['empty_api', first])} "
        f"{'':>12} {fmt(m['static', first])}"
    )
    print("\nRatios:")
    empty_api = m["empty_api", first] / m["floor50", first]
    static = m["static", first] / m["floor25", first]
    print(
        f"  no list: empty API list / floor 50 = {empty_api:.2f}x; "
        f"signed-in page with no records / floor 25 = {static:.2f}x"
    )
    print("  Where the API's first page goes, in layers (each against floor 50):")
    previous = 0.0
    for kind, _, label in (*LAYERS, ("api", None, "+ the viewset: the API itself")):
        ratio = m[kind, first] / m["floor50", first]
        print(f"    {label:46} {fmt(m[kind, first])} {ratio:5.2f}x  (+{ratio - previous:.2f}x)")
        previous = ratio
    missed = []
    for page in pages:
        n = page.name
        api = m["api", n] / m["floor50", n]
        html = m["html", n] / m["floor25", n]
        print(f"  {n}: API / floor = {api:.2f}x (aim <= {API_AIM}x)")
        print(f"  {n}: HTML / floor = {html:.2f}x (aim <= {HTML_AIM}x)")
        if api > API_AIM:
            missed.append(f"API {n} / floor {api:.2f}x > {API_AIM}x")
        if html > HTML_AIM:
            missed.append(f"HTML {n} / floor {html:.2f}x > {HTML_AIM}x")
        if n != first:
            deep_api = m["api", n] / m["api", first]
            deep_html = m["html", n] / m["html", first]
            print(f"  {n}: API deep / first = {deep_api:.2f}x (aim <= {DEEP_AIM}x)")
            print(f"  {n}: HTML deep / first = {deep_html:.2f}x (aim <= {DEEP_AIM}x)")
            if deep_api > DEEP_AIM:
                missed.append(f"API {n} / first {deep_api:.2f}x > {DEEP_AIM}x")
            if deep_html > DEEP_AIM:
                missed.append(f"HTML {n} / first {deep_html:.2f}x > {DEEP_AIM}x")
    for line in missed:
        print(f"MISSED AIM: {line} ({len(keys):,} rows)")

    if args.explain:
        for page in pages[1:]:
            queryset = selectors.enquiries_for(org.casework)
            position = keyset.Position(tuple(page.after))
            found = queryset.filter(keyset._beyond(QUEUE_ORDER, position.values, backwards=False))
            sql, params = found.order_by(*QUEUE_ORDER)[: API_PAGE + 1].query.sql_with_params()
            print(f"\nEXPLAIN ANALYZE, the API's query for {page.name}: after {page.after}")
            print(explain(sql, params))
    execute("SELECT 1")
    if failures:
        print("\nCORRECTNESS FAILURES:\n  " + "\n  ".join(failures))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
