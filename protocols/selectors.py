"""Reads of protocols, versions and clauses, scoped to who is looking (protocols.permissions
says who sees what): a draft the viewer may not see, or another council's protocol, is simply
not in the queryset — 404, the same answer as for what does not exist.

Also the reads other apps use: ``version_in_force`` and ``clause_in_force`` (complaints cite
the clauses of the version in force on an incident date, DESIGN.md, Conduct complaints),
the comparison of two versions and clause search.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection
from django.db.models import Case, F, Prefetch, Q, QuerySet, Value, When
from django.db.models.functions import Upper
from django.db.models.lookups import In
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from core.scoping import scope_to_viewer

from .choices import SETTLED_STATUSES, VersionStatus
from .importer import CLAUSE_NUMBER
from .models import SEARCH_CONFIG, Clause, Protocol, ProtocolVersion
from .permissions import may_change_protocols, may_read_protocols

# What a reader who may not change protocols sees: everything but drafts.
PUBLISHED_STATUSES = (
    VersionStatus.CONSULTATION,
    VersionStatus.ADOPTED,
    VersionStatus.SUPERSEDED,
)


def _visible_statuses(viewer) -> tuple[str, ...] | None:
    """The statuses ``viewer`` may see (None: all of them)."""
    return None if may_change_protocols(viewer) else PUBLISHED_STATUSES


def protocols_for(viewer) -> QuerySet[Protocol]:
    """The protocols of the viewer's council, each with the versions the viewer may see
    (oldest first) prefetched: two queries for a list, whatever its length."""
    if not may_read_protocols(viewer):
        return Protocol.objects.none()
    return scope_to_viewer(Protocol.objects.all(), viewer).prefetch_related(
        Prefetch("versions", queryset=versions_for(viewer).order_by("id"))
    )


def versions_for(viewer) -> QuerySet[ProtocolVersion]:
    """The protocol versions ``viewer`` may see, with their protocol joined in."""
    if not may_read_protocols(viewer):
        return ProtocolVersion.objects.none()
    versions = scope_to_viewer(ProtocolVersion.objects.select_related("protocol"), viewer)
    statuses = _visible_statuses(viewer)
    return versions if statuses is None else versions.filter(status__in=statuses)


def clauses_for(viewer) -> QuerySet[Clause]:
    """The clauses of the versions ``viewer`` may see, with their version and protocol."""
    if not may_read_protocols(viewer):
        return Clause.objects.none()
    clauses = scope_to_viewer(Clause.objects.select_related("version", "version__protocol"), viewer)
    statuses = _visible_statuses(viewer)
    return clauses if statuses is None else clauses.filter(version__status__in=statuses)


def clauses_of(version: ProtocolVersion) -> QuerySet[Clause]:
    """A version's clauses in document order. Whoever may see the version may see its
    clauses, so take ``version`` from ``versions_for``."""
    return Clause.objects.filter(version_id=version.pk).order_by("order")


def clause_of(version: ProtocolVersion, number: str) -> Clause | None:
    """A version's clause by number (its permalink), with its parent, or None."""
    return (
        Clause.objects.select_related("parent").filter(version_id=version.pk, number=number).first()
    )


# The tree of a version ---------------------------------------------------------------------


@dataclass
class ClauseNode:
    """A clause and its children, for the table of contents and the API's tree."""

    clause: Clause
    children: list[ClauseNode] = field(default_factory=list)
    depth: int = 0


def clause_tree(clauses) -> list[ClauseNode]:
    """``clauses`` (in document order, a parent before its children) as a tree: the
    top-level nodes, each with its children. No queries beyond reading ``clauses``."""
    nodes: dict[int, ClauseNode] = {}
    roots: list[ClauseNode] = []
    for clause in clauses:
        parent = nodes.get(clause.parent_id) if clause.parent_id else None
        node = ClauseNode(clause, depth=parent.depth + 1 if parent else 0)
        nodes[clause.pk] = node
        (parent.children if parent else roots).append(node)
    return roots


# In force on a date ------------------------------------------------------------------------


def _in_force_on(on: datetime.date, prefix: str = "") -> Q:
    return Q(
        **{f"{prefix}status__in": sorted(SETTLED_STATUSES), f"{prefix}adopted_on__lte": on}
    ) & (Q(**{f"{prefix}superseded_on__isnull": True}) | Q(**{f"{prefix}superseded_on__gt": on}))


def version_in_force(*, protocol: Protocol, on: datetime.date) -> ProtocolVersion | None:
    """The version of ``protocol`` in force on ``on``: adopted on or before that day and not
    superseded by then (a version superseded on the day it was adopted was never in force).
    None before the first adoption. Not scoped to a viewer: for services such as the
    complaints' citations, which scope their own reads."""
    return (
        ProtocolVersion.objects.select_related("protocol")
        .filter(_in_force_on(on), protocol_id=protocol.pk)
        .order_by("-adopted_on", "-id")
        .first()
    )


def clause_in_force(*, council, number: str, on: datetime.date, protocol=None) -> Clause | None:
    """Clause ``number`` of the version in force on ``on`` — of ``protocol``, or of any of
    the council's protocols (the oldest protocol's, when several have one), or None.

    For complaints: a cited clause is the one in force on the incident date (DESIGN.md,
    Conduct complaints), e.g. ``clause_in_force(council=c, number="10.3.1", on=incident)``.
    A number typed in another case ("10.4a" for 10.4A) finds the clause; one written exactly
    so comes first."""
    number = number.strip()
    clauses = (
        Clause.objects.select_related("version", "version__protocol")
        .filter(_in_force_on(on, "version__"), council_id=council.pk, number__iexact=number)
        .annotate(exact=Case(When(number=number, then=Value(0)), default=Value(1)))
    )
    if protocol is not None:
        clauses = clauses.filter(version__protocol_id=protocol.pk)
    return clauses.order_by("exact", "version__protocol_id").first()


def versions_in_force(viewer, on: datetime.date) -> QuerySet[ProtocolVersion]:
    """The versions in force on ``on`` of every protocol the viewer may see."""
    return versions_for(viewer).filter(_in_force_on(on))


# Comparing two versions --------------------------------------------------------------------


@dataclass
class ClauseChange:
    """A clause in both versions (matched by number) whose heading or text differs."""

    number: str
    before: Clause
    after: Clause


@dataclass
class Comparison:
    """``version`` against an earlier (or any other) version ``against``: the clauses it adds,
    those it removes and those it changes, each in document order."""

    version: ProtocolVersion
    against: ProtocolVersion
    added: list[Clause]
    removed: list[Clause]
    changed: list[ClauseChange]
    unchanged: int


def compare_versions(version: ProtocolVersion, against: ProtocolVersion) -> Comparison:
    """Compare two versions clause by clause, matching clauses by number (two queries).
    Take both versions from ``versions_for``."""
    after = {clause.number: clause for clause in clauses_of(version)}
    before = {clause.number: clause for clause in clauses_of(against)}
    changed, unchanged = [], 0
    for number, clause in after.items():
        old = before.get(number)
        if old is None:
            continue
        if (old.heading, old.text) != (clause.heading, clause.text):
            changed.append(ClauseChange(number, old, clause))
        else:
            unchanged += 1
    return Comparison(
        version=version,
        against=against,
        added=[clause for number, clause in after.items() if number not in before],
        removed=[clause for number, clause in before.items() if number not in after],
        changed=changed,
        unchanged=unchanged,
    )


# Search --------------------------------------------------------------------------------------

# What PostgreSQL puts around a matched word in a headline: characters no protocol contains
# (Unicode private use), so that the headline can be HTML-escaped as a whole and the markers
# then turned into <mark> (``highlight``); the clause's own text is never trusted as markup.
MARK_START = "\ue000"
MARK_STOP = "\ue001"


def search_query(text: str) -> SearchQuery:
    """What a person typed, as web search syntax: words, "quoted phrases", or, -not."""
    return SearchQuery(text, search_type="websearch", config=SEARCH_CONFIG)


# A clause number as someone types it: "10.4a" for 10.4A.
_CLAUSE_NUMBER_TYPED = re.compile(CLAUSE_NUMBER.pattern, re.IGNORECASE)


def clause_numbers_in(text: str) -> list[str]:
    """The words of a search that are clause numbers ("10.4A", "10.3(a)"), upper-cased.

    PostgreSQL's parser reads "10.4A" as the number 10.4 and the word "a" (a stop word), so
    text search alone cannot tell clause 10.4A from 10.4: ``search_clauses`` puts the clause
    of the very number typed first."""
    words = (word.strip("\"'\u201c\u201d\u2018\u2019,;:") for word in text.split())
    return sorted({word.upper() for word in words if _CLAUSE_NUMBER_TYPED.fullmatch(word)})


# What a search result shows: the clause, its version and the version's protocol.
SEARCH_RESULT_FIELDS = (
    "number",
    "heading",
    "text",
    "line",
    "parent_id",
    "version",
    "version__label",
    "version__status",
    "version__protocol_id",
    "version__protocol__title",
)


def search_clauses(
    viewer,
    text: str,
    *,
    version: ProtocolVersion | None = None,
    protocol: Protocol | None = None,
    in_force_on: datetime.date | None = None,
) -> QuerySet[Clause]:
    """The clauses ``viewer`` may see that match ``text`` (full-text search, English), best
    first: a match in the number or heading outranks one in the text. Narrowed to one
    ``version``, one ``protocol``, or the versions in force on ``in_force_on``.

    A clause numbered as a word of ``text`` ("10.4A") comes first, whatever its rank (see
    ``clause_numbers_in``). Each clause carries ``rank``; ``with_headlines`` highlights the
    matched words of the page a caller shows. Only the fields a result shows are read
    (``SEARCH_RESULT_FIELDS``): the API's and the search page's query counts are pinned, so
    a field shown without being listed there is caught by their tests.
    """
    query = search_query(text)
    clauses = clauses_for(viewer).filter(search_vector=query)
    if version is not None:
        clauses = clauses.filter(version_id=version.pk)
    if protocol is not None:
        clauses = clauses.filter(version__protocol_id=protocol.pk)
    if in_force_on is not None:
        clauses = clauses.filter(_in_force_on(in_force_on, "version__"))
    found = clauses.annotate(rank=SearchRank(F("search_vector"), query)).only(*SEARCH_RESULT_FIELDS)
    numbers = clause_numbers_in(text)
    if not numbers:
        return found.order_by("-rank", "id")
    typed = Case(When(In(Upper("number"), numbers), then=Value(1)), default=Value(0))
    return found.annotate(number_typed=typed).order_by("-number_typed", "-rank", "id")


# ts_headline's options: the heading whole with every match marked; up to two fragments of
# 15 to 35 words of the text.
_HEADING_OPTIONS = f"StartSel={MARK_START}, StopSel={MARK_STOP}, HighlightAll=true"
_TEXT_OPTIONS = (
    f"StartSel={MARK_START}, StopSel={MARK_STOP}, MaxWords=35, MinWords=15, MaxFragments=2"
)
_HEADLINES = """
SELECT clause.id,
       ts_headline(%(config)s::regconfig, clause.heading, query, %(heading_options)s),
       ts_headline(%(config)s::regconfig, clause.text, query, %(text_options)s)
FROM protocols_clause AS clause,
     websearch_to_tsquery(%(config)s::regconfig, %(text)s) AS query
WHERE clause.id = ANY(%(ids)s)
"""


def with_headlines(clauses: list[Clause], text: str) -> list[Clause]:
    """``clauses`` (a page of ``search_clauses(..., text)``), each given ``heading_headline``
    and ``text_headline``: the heading whole and a fragment of the text, the words matching
    ``text`` between ``MARK_START`` and ``MARK_STOP`` (see ``highlight``). One query.

    PostgreSQL's ts_headline re-reads the whole text and is most of a search's cost, so it
    runs apart from the ranking: for the rows shown only, and once for a heading and text
    that several results share (a clause unchanged across a protocol's versions, which a
    search of every version finds in each): a headline depends only on them and the query.
    SQL rather than the ORM, whose compiling would cost as much as the query itself.
    """
    if not clauses:
        return clauses
    first_of: dict[tuple[str, str], int] = {}
    for clause in clauses:
        first_of.setdefault((clause.heading, clause.text), clause.pk)
    with connection.cursor() as cursor:
        cursor.execute(
            _HEADLINES,
            {
                "config": SEARCH_CONFIG,
                "text": text,
                "heading_options": _HEADING_OPTIONS,
                "text_options": _TEXT_OPTIONS,
                "ids": list(first_of.values()),
            },
        )
        headlines = {pk: (heading, body) for pk, heading, body in cursor.fetchall()}
    for clause in clauses:
        pk = first_of[clause.heading, clause.text]
        clause.heading_headline, clause.text_headline = headlines[pk]
    return clauses


def highlight(headline: str | None) -> SafeString:
    """A headline from ``with_headlines`` as safe HTML, matched words in ``<mark>``."""
    escaped = escape(headline or "")
    return mark_safe(escaped.replace(MARK_START, "<mark>").replace(MARK_STOP, "</mark>"))  # noqa: S308 - escaped above
