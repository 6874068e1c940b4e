"""What clause search costs, against the raw-SQL floor on the indexed column, in one run.

    .venv/bin/python scripts/with_services.py .venv/bin/python bench/protocol_search.py \
        [--versions 50] [--rounds 7] [--explain]

Set-up: ``--versions`` versions of the city council protocol (protocols/fixtures), each
imported through ``protocols.services`` as the API does (read by the importer, written in
one transaction) with some words varied per version, so that versions differ as amended
protocols do; every second version is sent out for consultation, the rest stay drafts. The
import time per version is printed.

Timed, interleaved query by query and round by round (median of ``--rounds``), for a set of
searches a person would type:

- search: ``protocols.selectors.search_clauses`` for the Monitoring Officer (who sees every
  version), first page of 20 as the API and the search page read it (21 rows, to know
  whether another page follows): the viewer's scope, websearch_to_tsquery, ts_rank ordering,
  then ``with_headlines`` for the page: the two ts_headline highlights of each distinct
  heading and text, in a second query;
- one query (the selector before ``with_headlines``): the headlines computed in the ranked
  query itself, for each of the 21 rows, as a "before" in the same run;
- ranks only: ``search_clauses`` alone, the ranked query without the headlines (what the
  highlighting costs);
- floor: the same tsquery through raw SQL on the GIN-indexed ``search_vector`` column of
  the council's clauses: ids and ranks of the best 21, nothing else.

Prints each median, search/floor, one-query/floor and ranks-only/floor. The aim is the
ranked query within ``AIM`` times the floor (the ORM's scoping, joins and model instances);
the highlighting is PostgreSQL's ts_headline re-reading each result's text, reported as its
own column.
Exits 1 if a search finds nothing or the search and the floor disagree on what ranks first.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import execute, explain, fmt, median, migrate_fresh, rotate, timed
from django.contrib.postgres.search import SearchHeadline, SearchRank
from django.db import connection
from django.db.models import F

from council.choices import Seniority, StatutoryRole
from council.models import Council, Officer, User
from protocols import selectors, services
from protocols.demo import DEMO_DOCUMENT
from protocols.models import Clause

PAGE = 20
AIM = 2.0
SEARCHES = [
    "working days",
    "bullying",
    "Monitoring Officer",
    '"political group"',
    "confidential information -press",
    "councillors or members",
]
# Words varied across versions: (word, replacement, every nth version).
VARIATIONS = [
    ("Members", "Councillors", 3),
    ("working days", "business days", 4),
    ("Officers", "staff", 5),
    ("must", "shall", 2),
    ("courteous", "polite", 7),
]

FLOOR_SQL = """
SELECT clause.id, ts_rank(clause.search_vector, query) AS rank
FROM protocols_clause AS clause, websearch_to_tsquery('english', %(text)s) AS query
WHERE clause.council_id = %(council)s AND clause.search_vector @@ query
ORDER BY rank DESC, clause.id
LIMIT %(limit)s
"""

failures: list[str] = []


def version_text(base: str, n: int) -> str:
    text = base
    for word, replacement, every in VARIATIONS:
        if n % every == 0:
            text = text.replace(word, replacement)
    return text.replace("This Protocol", f"This Protocol (revision {n})")


def build(versions: int):
    council = Council.objects.create(slug="bench", name="Bench District")
    user = User.objects.create_user(
        email="monitoring.officer@bench.test", full_name="Monitoring Officer", council=council
    )
    Officer.objects.create(
        council=council,
        user=user,
        employee_number="E00001",
        full_name=user.full_name,
        email=user.email,
        job_title="Director of Legal and Governance",
        seniority=Seniority.DIRECTOR,
        statutory_role=StatutoryRole.MONITORING_OFFICER,
    )
    base = DEMO_DOCUMENT.read_text()
    seconds = []
    for n in range(1, versions + 1):

        def one(n=n):
            _text, parsed = services.read_document(text=version_text(base, n))
            version = services.import_protocol(
                council=council,
                title="Protocol for Member/Officer Relations",
                by=user,
                parsed=parsed,
                label=f"Revision {n}",
            )
            if n % 2 == 0:
                services.consult_on_version(version=version, by=user)

        elapsed, _ = timed(one)
        seconds.append(elapsed)
    execute("VACUUM ANALYZE protocols_clause")
    return council, user, seconds


def search(viewer, text, *, headlines=True):
    if headlines:
        rows = list(selectors.search_clauses(viewer, text)[: PAGE + 1])
        return selectors.with_headlines(rows[:PAGE], text) + rows[PAGE:]
    return list(selectors.search_clauses(viewer, text)[: PAGE + 1])


def one_query(viewer, text):
    """The search as it was before ``selectors.with_headlines``: headlines in the ranked
    query, for every row read."""
    query = selectors.search_query(text)
    marks = {
        "start_sel": selectors.MARK_START,
        "stop_sel": selectors.MARK_STOP,
        "config": selectors.SEARCH_CONFIG,
    }
    found = (
        selectors.clauses_for(viewer)
        .filter(search_vector=query)
        .annotate(
            rank=SearchRank(F("search_vector"), query),
            heading_headline=SearchHeadline("heading", query, highlight_all=True, **marks),
            text_headline=SearchHeadline(
                "text", query, max_words=35, min_words=15, max_fragments=2, **marks
            ),
        )
        .order_by("-rank", "id")
    )
    return list(found.defer("search_vector")[: PAGE + 1])


def floor(council, text):
    with connection.cursor() as cursor:
        cursor.execute(FLOOR_SQL, {"text": text, "council": council.pk, "limit": PAGE + 1})
        return cursor.fetchall()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--versions", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--explain", action="store_true")
    args = parser.parse_args()

    migrate_fresh("bench/protocol_search.py")
    council, viewer, import_seconds = build(args.versions)
    clauses = Clause.objects.count()
    print(
        f"{args.versions} versions of the city council protocol, {clauses} clauses; "
        f"import per version: median {fmt(median(import_seconds)).strip()}, "
        f"slowest {fmt(max(import_seconds)).strip()}"
    )

    # Warm up (plans, the viewer's roles cached on the account) and check agreement.
    for text in SEARCHES:
        found, rows = search(viewer, text), floor(council, text)
        before = one_query(viewer, text)
        if [c.pk for c in found] != [c.pk for c in before] or [
            (c.heading_headline, c.text_headline) for c in found[:PAGE]
        ] != [(c.heading_headline, c.text_headline) for c in before[:PAGE]]:
            failures.append(f"{text!r}: the search and the one-query search differ")
        if not found:
            failures.append(f"{text!r} finds nothing")
        elif found[0].pk != rows[0][0]:
            failures.append(f"{text!r}: search ranks {found[0].pk} first, the floor {rows[0][0]}")
        elif "<mark>" not in selectors.highlight(found[0].text_headline) + selectors.highlight(
            found[0].heading_headline
        ):
            failures.append(f"{text!r}: the best result has no highlighted word")
    search(viewer, SEARCHES[0], headlines=False)

    times = {"search": {}, "one query": {}, "ranks only": {}, "floor": {}}
    for round_number in range(args.rounds):
        for text in rotate(SEARCHES, round_number):
            for label, run in rotate(
                [
                    ("search", lambda t=text: search(viewer, t)),
                    ("one query", lambda t=text: one_query(viewer, t)),
                    ("ranks only", lambda t=text: search(viewer, t, headlines=False)),
                    ("floor", lambda t=text: floor(council, t)),
                ],
                round_number,
            ):
                times[label].setdefault(text, []).append(timed(run)[0])

    print(f"\nMedian of {args.rounds} rounds, first page of {PAGE} results:")
    print(
        f"  {'search':<36}{'search':>12}{'one query':>12}{'ranks only':>12}{'floor':>12}"
        f"{'ratio':>8}{'before':>8}"
    )
    ratios, before_ratios, rank_ratios = [], [], []
    for text in SEARCHES:
        full = median(times["search"][text])
        before = median(times["one query"][text])
        ranks = median(times["ranks only"][text])
        bare = median(times["floor"][text])
        ratios.append(full / bare)
        before_ratios.append(before / bare)
        rank_ratios.append(ranks / bare)
        print(
            f"  {text:<36}{fmt(full)}{fmt(before)}{fmt(ranks)}{fmt(bare)}"
            f"{full / bare:7.2f}x{before / bare:7.2f}x"
        )
    overall, ranked = median(ratios), median(rank_ratios)
    print(f"\nsearch / floor (median over the searches): {overall:.2f}x")
    print(f"one query (before) / floor: {median(before_ratios):.2f}x")
    print(f"ranks only / floor: {ranked:.2f}x (aim: {AIM:.1f}x)")
    if ranked > AIM:
        print("MISSED AIM: the ranked query costs more than the aim over the floor")

    if args.explain:
        sql, params = selectors.search_clauses(viewer, SEARCHES[0])[:PAGE].query.sql_with_params()
        print("\nEXPLAIN search:\n" + explain(sql, params))
        print(
            "\nEXPLAIN floor:\n"
            + explain(FLOOR_SQL, {"text": SEARCHES[0], "council": council.pk, "limit": PAGE + 1})
        )

    for problem in failures:
        print(f"CORRECTNESS FAILURE: {problem}")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
