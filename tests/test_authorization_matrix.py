"""The authorization matrix: every API route, who may use it, and what everyone else gets
(STYLE.md, Tests; DESIGN.md, Security decisions).

``MATRIX`` is keyed by URL name. Each entry says how to build the route's URL and the status
each role gets for GET and for each write method. Writes are checked with a body that is
empty (so a permitted caller gets 400 for a create or a full PUT and 200 for a no-op PATCH,
and nothing is written), which tells "allowed" from "refused" without changing data.

A route that exists under /api/ but is not in the matrix fails
``test_every_api_route_is_in_the_matrix``: adding an endpoint means deciding who may use it.
To add pages later, add their URL names with the same structure (and widen ``is_covered``).
"""

from __future__ import annotations

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from rest_framework.test import APIClient

from tests import factories
from tests.complaints.conduct.matrix import ROUTES as COMPLAINT_ROUTES
from tests.matrix import (
    ADMINISTRATORS,
    COUNCIL_LIST,
    COUNCIL_RECORD,
    PEOPLE_RECORDS,
    PUBLIC,
    ROLES,
    SIGNED_IN,
    SUPERUSERS,
    Route,
    expect,
    organisation_list,
    organisation_record,
    writers,
)
from tests.protocols.matrix import ROUTES as PROTOCOL_ROUTES
from tests.relationships.matrix import ROUTES as RELATIONSHIP_ROUTES

# Member enquiries (complaints.permissions). Writes to one enquiry send a stale If-Match: whoever
# may act gets 412 (400 for an action whose body is required, checked first) and nothing is
# written. Those who may see it but not act get 403; those who may not see it, 404. The
# matrix's member and officer are not the enquiry's member or assignee, so they see nothing.
STALE_IF_MATCH = {"If-Match": '"0"'}
ENQUIRY_READERS = {"casework", "monitoring_officer", "superuser", "token_with_scope"}
ENQUIRY_WORKERS = {"casework", "superuser", "token_with_scope"}
ENQUIRY_RECORD = expect(
    404, anonymous=401, token_without_scope=403, **dict.fromkeys(ENQUIRY_READERS, 200)
)
ENQUIRY_LOGGERS = expect(400, anonymous=401, token_without_scope=403)  # every person of a council


def enquiry_write(ok: int) -> dict[str, int]:
    return expect(
        404,
        anonymous=401,
        token_without_scope=403,
        monitoring_officer=403,
        **dict.fromkeys(ENQUIRY_WORKERS, ok),
    )


def enquiry_action(ok: int) -> Route:
    return Route(
        scope="enquiries",
        kwargs=lambda world: {"pk": world["enquiry"].pk},
        headers=STALE_IF_MATCH,
        writes={"POST": enquiry_write(ok)},
    )


TOKENS = ("token_with_scope", "token_without_scope")
NOT_YOURS = expect(404, anonymous=401, **dict.fromkeys(TOKENS, 403))


def someones_notification(world) -> int:
    """A notification of another officer of the council (made once per test)."""
    if "notification" not in world:
        from core.notifications.services import notify

        owner = factories.person("officer", world["council"])
        (world["notification"],) = notify(
            recipients=[owner],
            kind="assigned",
            subject="Matrix",
            resource=world["directorate"],
            dedupe_key_base="matrix",
        )
    return world["notification"]


MATRIX: dict[str, Route] = {
    "schema": Route(get=PUBLIC),
    "api-docs": Route(get=PUBLIC),
    "api-root": Route(get=SIGNED_IN),
    "council-list": Route(
        scope="councils",
        get=COUNCIL_LIST,
        writes={"POST": writers(SUPERUSERS, ok=400, detail=False)},
    ),
    "council-detail": Route(
        scope="councils",
        kwargs=lambda world: {"slug": world["council"].slug},
        get=COUNCIL_RECORD,
        writes={
            "PATCH": writers(ADMINISTRATORS, ok=200, detail=True),
            "PUT": writers(ADMINISTRATORS, ok=400, detail=True),
        },
    ),
    "council-working-days": Route(
        scope="councils",
        kwargs=lambda world: {"slug": world["council"].slug},
        query={"start": "2026-12-18", "days": "3"},
        get=COUNCIL_RECORD,
    ),
    "ward-list": organisation_list("wards"),
    "ward-detail": organisation_record("wards", "ward"),
    "political-group-list": organisation_list("political-groups"),
    "political-group-detail": organisation_record("political-groups", "political_group"),
    "directorate-list": organisation_list("directorates"),
    "directorate-detail": organisation_record("directorates", "directorate"),
    "member-list": organisation_list("members"),
    "member-detail": organisation_record("members", "member"),
    "officer-list": organisation_list("officers", PEOPLE_RECORDS),
    "officer-detail": organisation_record("officers", "officer", PEOPLE_RECORDS),
    # An empty body changes nothing of the existing officer (200); the other council's
    # administrator would create E-MATRIX in their own council, but a new officer needs a name,
    # and a superuser (no council of their own) must name the council (400).
    "officer-by-employee-number": Route(
        scope="officers",
        kwargs=lambda world: {"employee_number": world["officer"].employee_number},
        writes={
            "PUT": {
                **writers(PEOPLE_RECORDS, ok=200, detail=False),
                "other_council_administrator": 400,
                "superuser": 400,
            }
        },
    ),
    "officer-sync": Route(
        scope="officers", writes={"POST": writers(PEOPLE_RECORDS, ok=400, detail=False)}
    ),
    # The change feed: tokens with events:read (the matrix's scopeless token has only that),
    # each council's administrators (their own council's feed) and superusers.
    "event-list": Route(
        scope="events",
        get=expect(
            403,
            anonymous=401,
            administrator=200,
            other_council_administrator=200,
            superuser=200,
            token_with_scope=200,
            token_without_scope=200,
        ),
    ),
    "committee-list": organisation_list("committees"),
    "committee-detail": organisation_record("committees", "committee"),
    "enquiry-list": Route(scope="enquiries", get=COUNCIL_LIST, writes={"POST": ENQUIRY_LOGGERS}),
    "enquiry-detail": Route(
        scope="enquiries",
        kwargs=lambda world: {"pk": world["enquiry"].pk},
        headers=STALE_IF_MATCH,
        get=ENQUIRY_RECORD,
        writes={"PATCH": enquiry_write(412)},
    ),
    "enquiry-timeline": Route(
        scope="enquiries",
        kwargs=lambda world: {"pk": world["enquiry"].pk},
        get=ENQUIRY_RECORD,
    ),
    "enquiry-acknowledge": enquiry_action(412),
    "enquiry-holding-response": enquiry_action(400),
    "enquiry-respond": enquiry_action(400),
    "enquiry-assign": enquiry_action(400),
    "enquiry-escalate": enquiry_action(400),
    "enquiry-close": enquiry_action(412),
    # Notifications: personal to the signed-in person; tokens (no person) are refused, and
    # the matrix's notification belongs to someone else, so every role gets 404 for it.
    "notification-list": Route(get=expect(200, anonymous=401, **dict.fromkeys(TOKENS, 403))),
    "notification-detail": Route(
        kwargs=lambda world: {"pk": someones_notification(world)}, get=NOT_YOURS
    ),
    "notification-read": Route(
        kwargs=lambda world: {"pk": someones_notification(world)}, writes={"POST": NOT_YOURS}
    ),
    **PROTOCOL_ROUTES,
    **RELATIONSHIP_ROUTES,
    **COMPLAINT_ROUTES,
}


# Walking the URLconf ----------------------------------------------------------------------


def is_covered(path: str) -> bool:
    return path.lstrip("^").startswith("api/")


def route_names(patterns=None, prefix: str = "", namespace: str = "") -> dict[str, str]:
    """``{url name: route}`` for every URL pattern under /api/, recursively. An unnamed
    pattern appears under its route so the coverage test can name it."""
    found: dict[str, str] = {}
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            found.update(route_names(pattern.url_patterns, route, inner))
        elif isinstance(pattern, URLPattern) and is_covered(route):
            found[f"{namespace}{pattern.name}" if pattern.name else f"<unnamed {route}>"] = route
    return found


def test_every_api_route_is_in_the_matrix():
    missing = sorted(set(route_names()) - set(MATRIX))
    assert not missing, f"Routes with no entry in the authorization matrix: {missing}"


def test_every_matrix_entry_is_a_route():
    assert not sorted(set(MATRIX) - set(route_names()))


# The checks -------------------------------------------------------------------------------


@pytest.fixture
def world(db):
    council = factories.CouncilFactory(slug="city", name="City Council")
    committee = factories.CommitteeFactory(council=council)
    factories.CommitteeMembershipFactory(committee=committee)
    return {
        "council": council,
        "other_council": factories.CouncilFactory(slug="elsewhere"),
        "ward": factories.WardFactory(council=council),
        "political_group": factories.PoliticalGroupFactory(council=council),
        "directorate": factories.DirectorateFactory(council=council),
        "member": factories.MemberFactory(council=council),
        "officer": factories.OfficerFactory(council=council, employee_number="E-MATRIX"),
        "committee": committee,
        "enquiry": factories.enquiry(council),
    }


def client_for(role: str, world: dict, route: Route) -> APIClient:
    client = APIClient()
    if role == "anonymous":
        return client
    if role.startswith("token_"):
        scopes = [f"{route.scope}:write" if route.scope else "*"]
        if role == "token_without_scope":
            scopes = ["events:read"]
        _token, key = factories.api_token(world["council"], scopes)
        client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
        return client
    if role == "other_council_administrator":
        user = factories.person("administrator", world["other_council"])
    else:
        user = factories.person(role, world["council"])
    client.force_login(user)
    return client


def statuses(world, route: Route, name: str, method: str) -> dict[str, int]:
    url = reverse(name, kwargs=route.kwargs(world))
    answers = {}
    for role in ROLES:
        client = client_for(role, world, route)
        if method == "GET":
            response = client.get(url, route.query, headers=route.headers)
        else:
            response = getattr(client, method.lower())(
                url, {}, format="json", headers=route.headers
            )
        answers[role] = response.status_code
    return answers


@pytest.mark.parametrize("name", sorted(name for name, route in MATRIX.items() if route.get))
def test_get_answers_each_role_as_the_matrix_says(world, name):
    route = MATRIX[name]
    assert statuses(world, route, name, "GET") == route.get


@pytest.mark.parametrize(
    ("name", "method"),
    sorted((name, method) for name, route in MATRIX.items() for method in route.writes),
)
def test_writes_answer_each_role_as_the_matrix_says(world, name, method):
    route = MATRIX[name]
    assert statuses(world, route, name, method) == route.writes[method]
