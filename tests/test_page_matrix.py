"""The page authorization matrix: every page (every named URL outside /api/, /admin/ and
/static/), who may use it, and what everyone else gets (STYLE.md, Tests; DESIGN.md, Security
decisions). The API's matrix is tests/test_authorization_matrix.py; the conduct complaint
pages have theirs in tests/complaints/conduct/test_confidentiality.py (``PAGES`` and
``PAGE_ACTIONS``, for the parties to a complaint), counted as covered here.

What the pages answer, as the code decides it:

- anonymous: redirected to the sign-in page (``SIGN_IN``: a 302 whose Location is the sign-in
  page), except the sign-in page itself and the history page's non-GET (405 first);
- an object someone may not see, or another council's: 404 (never 403, which would say it
  exists);
- a page someone's role does not include: 404 in council/, complaints/ and declarations/
  ("No council settings here"), 403 in protocols/ (reading protocols is everyone's, so only
  *changing* them is refused, and the refusal says so);
- POST-only actions answer GET with 405; an empty POST re-shows the form with its errors
  (200), is refused as conflicting (409), or redirects back (302) for whoever may act.

Superusers have no council: the people, settings, routes and declaration pages are not theirs
(404), though they read protocols, enquiries and any record's history.
"""

from __future__ import annotations

import html

import pytest
from django.db import transaction
from django.test import Client
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse

from tests.complaints.conduct.test_confidentiality import PAGE_ACTIONS as COMPLAINT_ACTIONS
from tests.complaints.conduct.test_confidentiality import PAGES as COMPLAINT_PAGES
from tests.page_matrix import (
    OTHER_COUNCIL,
    ROLES,
    SIGN_IN,
    THIS_COUNCIL,
    Page,
    api_token,
    declaration,
    enquiry,
    expect,
    history_of,
    make_rows_world,
    make_world,
    only,
    person,
    protocol,
    route,
    someones_notification,
    version,
)

# Covered by the conduct complaints' own matrix (complaint-action: PAGE_ACTIONS).
ELSEWHERE = set(COMPLAINT_PAGES) | ({"complaint-action"} if COMPLAINT_ACTIONS else set())

SIGNED_IN = expect(200, anonymous=SIGN_IN)
POST_ONLY = expect(405, anonymous=SIGN_IN)
NOBODY = expect(404, anonymous=SIGN_IN)
OFFICERS = (*THIS_COUNCIL[1:], *OTHER_COUNCIL, "superuser")  # the enquiry queue and log
DECLARERS = (*THIS_COUNCIL, *OTHER_COUNCIL)  # members and officers, never a superuser
SETTINGS_KEEPERS = ("administrator", "monitoring_officer", *OTHER_COUNCIL)  # their own council
ADMINISTRATORS = ("administrator", "other_council_administrator")
PEOPLE_KEEPERS = (*ADMINISTRATORS, "hr")  # officers' records: the HR team too
MONITORING_OFFICERS = ("monitoring_officer", "other_council_monitoring_officer")
REGISTER_KEEPERS = (*MONITORING_OFFICERS, "chief_executive")
ENQUIRY_READERS = ("casework", "monitoring_officer", "chief_executive", "superuser")
PROTOCOL_CHANGERS = ("administrator", "monitoring_officer", "superuser")
READERS = (*THIS_COUNCIL, "superuser")  # a record of this council that all of it reads
HISTORY_KEEPERS = ("administrator", "monitoring_officer", "superuser")
CONFIDENTIAL_HISTORY_KEEPERS = ("monitoring_officer", "chief_executive", "superuser")


def changers(ok: int, *, other_council: int = 404) -> dict[str, int]:
    """Protocol changes: 403 for whoever reads protocols but may not change them."""
    return only(
        PROTOCOL_CHANGERS, ok=ok, refused=403, **dict.fromkeys(OTHER_COUNCIL, other_council)
    )


PAGES: dict[str, Page] = {
    # Signing in and the home page.
    "login": Page(get=expect(302, anonymous=200)),  # signed in: straight on
    "logout": Page(get=expect(405), post=expect(SIGN_IN)),
    "home": Page(get=SIGNED_IN),
    # Public by law (the accessibility regulations): no sign-in.
    "accessibility-statement": Page(get=expect(200)),
    # People: everyone of the council; the record of another council is not found.
    "people": Page(get=SIGNED_IN, lists=("member", "officer")),
    "member": Page(kwargs=lambda w: {"pk": w["member"].pk}, get=only(THIS_COUNCIL)),
    "officer": Page(kwargs=lambda w: {"pk": w["officer"].pk}, get=only(THIS_COUNCIL)),
    # Council settings: the council's administrators and its Monitoring Officer, each their own.
    "council-settings": Page(get=only(SETTINGS_KEEPERS)),
    "council-settings-change": Page(get=only(SETTINGS_KEEPERS), post=only(SETTINGS_KEEPERS)),
    "closure-day-add": Page(get=POST_ONLY, post=only(SETTINGS_KEEPERS)),
    "closure-day-remove": Page(get=POST_ONLY, post=only(SETTINGS_KEEPERS, ok=302)),
    # API tokens: the council's administrators. Revoking asks first (GET, the confirmation
    # page); the confirmation's POST needs no body, so the administrator's empty POST revokes
    # the matrix's token (302); those asking after it are not of the council (404).
    "api-tokens": Page(get=only(ADMINISTRATORS), post=only(ADMINISTRATORS), lists=("api token",)),
    "api-token-revoke": Page(
        kwargs=lambda w: {"pk": api_token(w)},
        get=only(("administrator",)),
        post=only(("administrator",), ok=302),
    ),
    # Imports and exports of people (personal data): administrators, HR for officers; the
    # enquiries export for whoever sees every enquiry of their council.
    "csv-import": Page(get=only(PEOPLE_KEEPERS), post=only(PEOPLE_KEEPERS)),
    "csv-import-apply": Page(get=POST_ONLY, post=only(PEOPLE_KEEPERS, ok=302)),
    "csv-export members": Page(
        url_name="csv-export",
        kwargs=lambda w: {"kind": "members"},
        get=only(ADMINISTRATORS),
        lists=("member",),
    ),
    "csv-export officers": Page(
        url_name="csv-export",
        kwargs=lambda w: {"kind": "officers"},
        get=only(PEOPLE_KEEPERS),
        lists=("officer",),
    ),
    "csv-export enquiries": Page(
        url_name="csv-export",
        kwargs=lambda w: {"kind": "enquiries"},
        get=only(("casework", "chief_executive", *MONITORING_OFFICERS)),
        lists=("enquiry", "escalated enquiry"),
    ),
    # Member enquiries (complaints.permissions): officers work the queue; members raise
    # their own; the enquiry itself is for those who see every enquiry (DESIGN.md).
    "enquiry-queue": Page(get=only(OFFICERS), lists=("enquiry", "escalated enquiry", "officer")),
    "enquiry-log": Page(get=only(OFFICERS), post=only(OFFICERS), lists=("member", "officer")),
    "my-casework": Page(get=only(("member",)), lists=("enquiry", "escalated enquiry")),
    "enquiry-raise": Page(get=only(("member",)), post=only(("member",))),
    "enquiry-escalations": Page(
        get=only(("chief_executive", *MONITORING_OFFICERS)), lists=("escalated enquiry",)
    ),
    "enquiry": Page(kwargs=lambda w: {"pk": enquiry(w)}, get=only(ENQUIRY_READERS)),
    "enquiry-action": Page(
        kwargs=lambda w: {"pk": enquiry(w), "action": "acknowledge"},
        get=POST_ONLY,
        post=only(ENQUIRY_READERS),
    ),
    # The conduct complaint routes: the Monitoring Officer's, each their own council's.
    "complaint-routes": Page(get=only(MONITORING_OFFICERS)),
    "complaint-route-stage": Page(
        kwargs=lambda w: {"pk": route(w).stages.first().pk},
        get=only(("monitoring_officer",)),
        post=only(("monitoring_officer",)),
    ),
    "complaint-route-add-stage": Page(
        kwargs=lambda w: {"pk": route(w).pk},
        get=only(("monitoring_officer",)),
        post=only(("monitoring_officer",)),
    ),
    # Notifications: one's own only; the matrix's belongs to another officer.
    "notifications": Page(get=SIGNED_IN, lists=("complaint",)),
    "notification-open": Page(kwargs=lambda w: {"pk": someones_notification(w)}, get=NOBODY),
    "notification-mark-read": Page(
        kwargs=lambda w: {"pk": someones_notification(w)}, get=POST_ONLY, post=NOBODY
    ),
    # Protocols (protocols.permissions): everyone of the council reads adopted versions; the
    # Monitoring Officer, administrators and superusers change them and see drafts.
    "protocols": Page(get=SIGNED_IN, lists=("protocol",)),
    "protocol-search-page": Page(get=SIGNED_IN),
    "protocol-page": Page(kwargs=protocol, get=only(READERS)),
    "protocol-compare-page": Page(kwargs=protocol, get=only(READERS)),
    "protocol-version-page": Page(kwargs=version("adopted_version"), get=only(READERS)),
    "protocol-version-page draft": Page(
        url_name="protocol-version-page",
        kwargs=version("draft_version"),
        get=only(PROTOCOL_CHANGERS),
    ),
    "protocol-clause-page": Page(
        kwargs=lambda w: {**version("adopted_version")(w), "number": "1.1"}, get=only(READERS)
    ),
    # By id alone: a redirect to the version's page, for whoever may see it.
    "protocol-version-by-id": Page(
        kwargs=lambda w: {"version_pk": version("adopted_version")(w)["version_pk"]},
        get=only(READERS, ok=302),
    ),
    "protocol-version-by-id draft": Page(
        url_name="protocol-version-by-id",
        kwargs=lambda w: {"version_pk": version("draft_version")(w)["version_pk"]},
        get=only(PROTOCOL_CHANGERS, ok=302),
    ),
    "protocol-import-page": Page(get=changers(200, other_council=200)),
    "protocol-import-version-page": Page(kwargs=protocol, get=changers(200)),
    # An empty commit: "The document was not received", back to the import page (302).
    "protocol-import-commit": Page(get=POST_ONLY, post=changers(302, other_council=302)),
    "protocol-import-commit-version": Page(kwargs=protocol, get=POST_ONLY, post=changers(302)),
    # Withdrawing a draft that is not out for consultation: refused as conflicting (409).
    "protocol-version-action": Page(
        kwargs=lambda w: {**version("draft_version")(w), "action": "withdraw"},
        get=POST_ONLY,
        post=only(PROTOCOL_CHANGERS, ok=409),
    ),
    # Declared relationships (relationships.permissions): members and officers declare and
    # see their own; the register is its keepers'; the matrix's declaration is an officer's
    # about a member, neither of whom is any role here.
    "my-declarations": Page(get=only(DECLARERS)),
    "declare": Page(get=only(DECLARERS), post=only(DECLARERS), lists=("member", "officer")),
    "declaration-register": Page(get=only(REGISTER_KEEPERS), lists=("member", "officer")),
    "declaration-register-csv": Page(
        get=only(REGISTER_KEEPERS), lists=("declaration", "member", "officer")
    ),
    "declaration": Page(kwargs=declaration, get=only(("monitoring_officer",))),
    "declaration-action": Page(
        kwargs=lambda w: {**declaration(w), "action": "acknowledge"},
        get=POST_ONLY,
        post=only(("monitoring_officer",)),
    ),
    # A record's history (council.permissions.can_view_history); a declaration's is
    # confidential: the register's keepers, never the administrators.
    "audit:history council": Page(
        url_name="audit:history", kwargs=history_of("council"), get=only(HISTORY_KEEPERS)
    ),
    "audit:history member": Page(
        url_name="audit:history", kwargs=history_of("member"), get=only(HISTORY_KEEPERS)
    ),
    "audit:history officer": Page(
        url_name="audit:history", kwargs=history_of("officer"), get=only(HISTORY_KEEPERS)
    ),
    "audit:history enquiry": Page(
        url_name="audit:history",
        kwargs=history_of("enquiry", enquiry),
        get=only(HISTORY_KEEPERS),
        post=expect(405),  # require_safe comes before the sign-in check
    ),
    "audit:history declaration": Page(
        url_name="audit:history",
        kwargs=history_of("declaration", declaration),
        get=only(CONFIDENTIAL_HISTORY_KEEPERS),
    ),
}


def url_name(key: str) -> str:
    return PAGES[key].url_name or key


# Walking the URLconf ----------------------------------------------------------------------

NOT_PAGES = ("api/", "admin/", "static/")


def page_names(patterns=None, prefix: str = "", namespace: str = "") -> dict[str, str]:
    """``{url name: route}`` for every URL pattern that is a page, recursively. An unnamed
    pattern appears under its route so the coverage test can name it."""
    found: dict[str, str] = {}
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        route_ = prefix + str(pattern.pattern)
        if route_.lstrip("^").startswith(NOT_PAGES):
            continue
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            found.update(page_names(pattern.url_patterns, route_, inner))
        elif isinstance(pattern, URLPattern):
            found[f"{namespace}{pattern.name}" if pattern.name else f"<unnamed {route_}>"] = route_
    return found


def test_every_page_is_in_the_matrix():
    listed = {url_name(key) for key in PAGES} | ELSEWHERE
    missing = sorted(set(page_names()) - listed)
    assert not missing, f"Pages with no entry in the page authorization matrix: {missing}"


def test_every_matrix_entry_is_a_page():
    listed = {url_name(key) for key in PAGES} | ELSEWHERE
    assert not sorted(listed - set(page_names()))


def test_every_entry_states_every_role():
    for key, page in PAGES.items():
        for answers in (page.get, page.post):
            assert answers is None or tuple(answers) == ROLES, key


# The checks -------------------------------------------------------------------------------


def answer(response) -> int | str:
    """The status, or ``SIGN_IN`` for a redirect to the sign-in page."""
    if response.status_code == 302 and response["Location"].startswith(reverse("login")):
        return SIGN_IN
    return response.status_code


def statuses(key: str, method: str) -> dict[str, int | str]:
    world = make_world()
    url = reverse(url_name(key), kwargs=PAGES[key].kwargs(world))
    found = {}
    for role in ROLES:
        client = Client()
        user = person(role, world)
        if user is not None:
            client.force_login(user)
        response = client.get(url) if method == "GET" else client.post(url, {})
        found[role] = answer(response)
    return found


@pytest.mark.parametrize("key", sorted(key for key, page in PAGES.items() if page.get))
def test_get_answers_each_role_as_the_matrix_says(db, key):
    assert statuses(key, "GET") == PAGES[key].get


@pytest.mark.parametrize("key", sorted(key for key, page in PAGES.items() if page.post))
def test_an_empty_post_answers_each_role_as_the_matrix_says(db, key):
    assert statuses(key, "POST") == PAGES[key].post


# Content across councils ------------------------------------------------------------------
# Every row carries its council and no data crosses between councils (DESIGN.md,
# Architecture). The statuses above cannot show that for a list: another council's people
# may open the enquiry queue or the register, and get 200 whatever it lists. So every page
# whose URL names no record is opened by each role of one council that may open it, then by
# the same role of another council, and the second must show none of the first's records.

# Pages of the conduct complaints' matrix whose URL names no record, with what they list.
ELSEWHERE_LISTS: dict[str, tuple[str, ...]] = {
    "complaint-dashboard": ("complaint", "officer"),
    "complaint-mine": ("complaint", "officer"),
    "complaint-raise": ("member", "officer"),
}


def shared_pages() -> dict[str, tuple[str, tuple[str, ...], tuple[str, ...]]]:
    """``{key: (url, roles, lists)}`` for every GET page whose URL names no record (the same
    URL in every council): the roles of ``THIS_COUNCIL`` it answers 200 and what it lists."""
    found = {}
    for key, page in PAGES.items():
        if not page.get:
            continue
        try:
            kwargs = page.kwargs({})
        except KeyError:  # it names a record of the world: 404 elsewhere, checked above
            continue
        roles = tuple(role for role in THIS_COUNCIL if page.get[role] == 200)
        if roles:
            found[key] = (reverse(url_name(key), kwargs=kwargs), roles, page.lists)
    for name, lists in ELSEWHERE_LISTS.items():
        found[name] = (reverse(name), THIS_COUNCIL, lists)
    return found


@pytest.fixture(scope="module")
def rows_world(django_db_setup, django_db_blocker):
    """Made once for the module's content checks, in a transaction rolled back after them."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield make_rows_world()
        transaction.set_rollback(True)


def page_text(clients: dict, user, url: str) -> tuple[int, str]:
    if user not in clients:
        clients[user] = Client()
        clients[user].force_login(user)
    response = clients[user].get(url)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return response.status_code, body.decode()


def shown(text: str, world: dict) -> set[str]:
    """The kinds of the first council's records whose text appears in ``text``."""
    return {kind for kind, row in world["rows"].items() if html.escape(row) in text}


def test_every_list_page_of_the_other_matrix_is_in_the_content_check():
    unnamed = set()
    for name in ELSEWHERE:
        try:
            reverse(name)
        except NoReverseMatch:
            continue
        unnamed.add(name)
    assert unnamed == set(ELSEWHERE_LISTS)


def test_each_page_lists_what_the_matrix_says_to_its_councils_people(rows_world, db):
    """The positive control of the check below (a list it finds empty proves nothing), and
    its coverage: a page that shows this council's records must be listed as showing them."""
    clients, wrong = {}, {}
    for key, (url, roles, lists) in shared_pages().items():
        kinds = set()
        for role in roles:
            status, text = page_text(clients, rows_world["users"][role], url)
            if status == 200:  # the conduct pages' roles are their matrix's to state
                kinds |= shown(text, rows_world)
        if kinds != set(lists):
            wrong[key] = f"shows {sorted(kinds)}, lists={sorted(lists)}"
    assert not wrong, f"Pages whose lists= is not what they show: {wrong}"


def test_no_page_shows_another_councils_records(rows_world, db):
    clients, leaks = {}, {}
    for key, (url, roles, _lists) in shared_pages().items():
        for role in roles:
            _status, text = page_text(clients, rows_world["other_users"][role], url)
            if kinds := shown(text, rows_world):
                leaks[f"{key} as {role}"] = sorted(kinds)
    assert not leaks, f"Another council's records shown: {leaks}"
