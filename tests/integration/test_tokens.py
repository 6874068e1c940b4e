"""API tokens across the whole API (issue 7): scopes on every endpoint, one council each,
revoked and expired tokens refused, the rate limit, and the commands that list and revoke."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from council import services
from council.models import ApiToken
from tests import factories

pytestmark = pytest.mark.django_db

SAMPLE_KWARGS = {"pk": "1", "slug": "city", "employee_number": "E1"}


def token_routes(patterns=None, prefix=""):
    """``(url name, path, methods, scope resource)`` for every /api/ route that takes tokens."""
    found = []
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            found += token_routes(pattern.url_patterns, route)
            continue
        if not isinstance(pattern, URLPattern) or not route.lstrip("^").startswith("api/"):
            continue
        view = getattr(pattern.callback, "cls", None)
        resource = getattr(view, "scope_resource", None)
        if not resource:
            continue
        actions = getattr(pattern.callback, "actions", None)
        if actions:
            methods = sorted(method.upper() for method in actions)
        else:
            methods = sorted(m.upper() for m in ("get", "post", "put", "patch") if hasattr(view, m))
        names = pattern.pattern.regex.groupindex
        path = reverse(pattern.name, kwargs={name: SAMPLE_KWARGS.get(name, "1") for name in names})
        found.append((pattern.name, path, methods, resource))
    return found


ROUTES = token_routes()


def test_the_walk_finds_the_integration_routes():
    names = {name for name, *_ in ROUTES}
    assert {"officer-sync", "officer-by-employee-number", "event-list", "member-list"} <= names


@pytest.mark.parametrize(
    ("name", "path", "methods", "resource"), ROUTES, ids=[r[0] for r in ROUTES]
)
def test_every_token_route_refuses_a_token_without_its_scope(
    council, token_client, name, path, methods, resource
):
    other = "wards" if resource != "wards" else "members"
    reader = token_client([f"{resource}:read", f"{other}:write"])
    stranger = token_client([f"{other}:write"])
    for method in methods:
        send = getattr(stranger, method.lower())
        response = send(path, {}, format="json") if method != "GET" else send(path)
        assert response.status_code == 403, (method, path)
        assert response.json()["detail"].endswith(f"{resource}:read scope.") or method != "GET"
        if method != "GET":
            response = getattr(reader, method.lower())(path, {}, format="json")
            assert response.status_code == 403, (method, path)
            assert response.json()["detail"] == f"This token needs the {resource}:write scope."


def test_a_token_never_reads_or_writes_another_councils_people(
    council, other_council, token_client
):
    theirs = factories.OfficerFactory(council=other_council, employee_number="T1")
    client = token_client(["*"])
    assert client.get(f"/api/v1/officers/{theirs.pk}/").status_code == 404
    response = client.put("/api/v1/officers/by-employee-number/T1/", {"job_title": "Spy"})
    assert response.status_code == 400  # a new officer of its own council needs a name
    body = {"officers": [{"employee_number": "T1", "job_title": "Spy"}]}
    assert client.post("/api/v1/officers/sync/", body, format="json").status_code == 400
    theirs.refresh_from_db()
    assert theirs.job_title == "Officer"
    listed = client.get("/api/v1/officers/").json()["results"]
    assert theirs.pk not in [row["id"] for row in listed]


def test_a_revoked_token_is_refused_everywhere_at_once(council, token_client):
    client = token_client(["*"])
    assert client.get("/api/v1/events/").status_code == 200
    services.revoke_api_token(token=client.token, by="test")
    for path in ("/api/v1/events/", "/api/v1/officers/", "/api/v1/members/"):
        assert client.get(path).status_code == 401
    assert client.post("/api/v1/officers/sync/", {"officers": []}, format="json").status_code == 401


def test_an_expired_token_is_refused(council, token_client):
    client = token_client(["*"], expires_at=timezone.now() + timezone.timedelta(days=1))
    ApiToken.objects.filter(pk=client.token.pk).update(expires_at=timezone.now())
    response = client.get("/api/v1/events/")
    assert response.status_code == 401
    assert response.json() == {"detail": "This token has expired.", "errors": {}}


# The rate limit ----------------------------------------------------------------------------


def test_a_token_over_its_rate_gets_429_with_retry_after(council, token_client, settings):
    settings.API_TOKEN_RATE = "3/minute"
    client = token_client(["wards:read"])
    assert [client.get("/api/v1/wards/").status_code for _ in range(3)] == [200, 200, 200]
    response = client.get("/api/v1/wards/")
    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 60
    assert set(response.json()) == {"detail", "errors"}


def test_each_token_has_its_own_limit(council, token_client, settings):
    settings.API_TOKEN_RATE = "2/minute"
    busy, quiet = token_client(["wards:read"]), token_client(["wards:read"])
    for _ in range(3):
        busy.get("/api/v1/wards/")
    assert busy.get("/api/v1/wards/").status_code == 429
    assert quiet.get("/api/v1/wards/").status_code == 200


def test_signed_in_people_are_not_rate_limited_as_tokens_are(council, client_as, settings):
    settings.API_TOKEN_RATE = "1/minute"
    client = client_as("administrator")
    assert [client.get("/api/v1/wards/").status_code for _ in range(3)] == [200, 200, 200]


def test_the_schema_documents_429_and_retry_after_where_tokens_are_accepted(api_client):
    schema = api_client.get("/api/schema/?format=json").json()
    sync = schema["paths"]["/api/v1/officers/sync/"]["post"]
    assert "Retry-After" in sync["responses"]["429"]["headers"]
    assert "`officers:write`" in sync["description"]
    assert "400" in schema["paths"]["/api/v1/events/"]["get"]["responses"]
    assert "429" not in schema["paths"]["/api/v1/notifications/"]["get"]["responses"]


# The commands ------------------------------------------------------------------------------


def run(command, *args):
    out = io.StringIO()
    call_command(command, *args, stdout=out)
    return out.getvalue()


def test_list_api_tokens_shows_each_tokens_scopes_and_status_never_its_key(council):
    _token, key = services.issue_api_token(
        council=council, by="test", name="HR sync", scopes=["officers:write"]
    )
    gone, _ = services.issue_api_token(council=council, by="test", name="Old", scopes=["*"])
    services.revoke_api_token(token=gone, by="test")
    output = run("list_api_tokens", "--council", "city")
    assert "HR sync" in output and "officers:write" in output and "active" in output
    assert "Old" in output and "revoked" in output
    assert key not in output


def test_revoke_api_token_by_name_stops_the_token(council, token_client):
    client = token_client(["wards:read"], name="HR sync")
    output = run("revoke_api_token", "--council", "city", "--name", "HR sync")
    assert "revoked" in output
    assert client.get("/api/v1/wards/").status_code == 401


def test_revoke_api_token_names_a_token_that_does_not_exist(council):
    with pytest.raises(CommandError, match="no API token named 'nope'"):
        run("revoke_api_token", "--council", "city", "--name", "nope")


def test_revoke_api_token_does_not_reach_another_councils_token(council, other_council):
    token, _key = services.issue_api_token(
        council=other_council, by="test", name="Theirs", scopes=["*"]
    )
    with pytest.raises(CommandError):
        run("revoke_api_token", "--council", "city", "--id", str(token.pk))
    token.refresh_from_db()
    assert token.revoked_at is None
