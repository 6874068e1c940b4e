"""API tokens: ``Authorization: Token <key>``, scopes, one council each, the management
command that issues them (API.md, Authentication and scope)."""

import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from core.api.viewsets import CouncilScopedReadOnlyViewSet
from core.audit.models import AuditEvent
from council import services
from council.api import urls as api_urls
from council.choices import API_SCOPE_RESOURCES
from council.models import ApiToken, Officer
from tests import factories

pytestmark = pytest.mark.django_db


def keyed_client(key):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


# Authentication ---------------------------------------------------------------------------


def test_a_token_with_the_read_scope_lists_its_councils_records(council, token_client):
    factories.OfficerFactory(council=council, full_name="Ann Able")
    response = token_client(["officers:read"]).get("/api/v1/officers/")
    assert response.status_code == 200
    assert [row["full_name"] for row in response.json()["results"]] == ["Ann Able"]


def test_an_unknown_key_answers_401(db):
    response = keyed_client("cc_not-a-key").get("/api/v1/officers/")
    assert response.status_code == 401
    assert response.json() == {"detail": "Invalid token.", "errors": {}}
    assert response["WWW-Authenticate"] == "Token"


def test_a_revoked_token_answers_401_saying_so(council, token_client):
    client = token_client(["officers:read"])
    services.revoke_api_token(token=client.token, by="test")
    response = client.get("/api/v1/officers/")
    assert response.status_code == 401
    assert response.json()["detail"] == "This token has been revoked."


def test_an_expired_token_answers_401_saying_so(council, token_client):
    client = token_client(["officers:read"], expires_at=timezone.now() + datetime.timedelta(1))
    ApiToken.objects.filter(pk=client.token.pk).update(
        expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    response = client.get("/api/v1/officers/")
    assert response.status_code == 401
    assert response.json()["detail"] == "This token has expired."


@pytest.mark.parametrize("header", ["Token", "Token a b", "token"])
def test_a_malformed_token_header_answers_401(db, header):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=header)
    assert client.get("/api/v1/officers/").status_code == 401


def test_no_credentials_answer_401(db):
    response = APIClient().get("/api/v1/officers/")
    assert response.status_code == 401
    assert response.json()["errors"] == {}


def test_use_is_recorded_at_most_once_a_minute(council, token_client):
    client = token_client(["officers:read"])
    with CaptureQueriesContext(connection) as first:
        client.get("/api/v1/officers/")
    with CaptureQueriesContext(connection) as second:
        client.get("/api/v1/officers/")
    updates = [q["sql"] for q in first.captured_queries if q["sql"].startswith("UPDATE")]
    assert len(updates) == 1 and "last_used_at" in updates[0]
    assert not any(q["sql"].startswith("UPDATE") for q in second.captured_queries)
    client.token.refresh_from_db()
    assert client.token.last_used_at is not None

    ApiToken.objects.filter(pk=client.token.pk).update(
        last_used_at=timezone.now() - datetime.timedelta(minutes=2)
    )
    client.get("/api/v1/officers/")
    client.token.refresh_from_db()
    assert timezone.now() - client.token.last_used_at < datetime.timedelta(seconds=30)


# Scopes and councils ----------------------------------------------------------------------


def test_a_token_without_the_scope_answers_403(council, token_client):
    response = token_client(["members:read"]).get("/api/v1/officers/")
    assert response.status_code == 403
    assert response.json()["detail"] == "This token needs the officers:read scope."


def test_a_read_scope_does_not_allow_writes(council, token_client):
    response = token_client(["wards:read"]).post("/api/v1/wards/", {"name": "North"})
    assert response.status_code == 403
    assert not council.wards.exists()


def test_a_write_scope_allows_reading_and_writing(council, token_client):
    client = token_client(["wards:write"])
    assert client.post("/api/v1/wards/", {"name": "North"}).status_code == 201
    assert client.get("/api/v1/wards/").status_code == 200


def test_the_wildcard_scope_allows_everything_in_the_council(council, token_client):
    client = token_client(["*"])
    assert client.get("/api/v1/members/").status_code == 200
    assert client.post("/api/v1/wards/", {"name": "North"}).status_code == 201


def test_a_token_never_sees_another_councils_records(council, other_council, token_client):
    theirs = factories.OfficerFactory(council=other_council)
    ours = factories.OfficerFactory(council=council)
    client = token_client(["officers:write", "councils:read"])
    listed = client.get("/api/v1/officers/").json()["results"]
    assert [row["id"] for row in listed] == [ours.pk]
    assert client.get(f"/api/v1/officers/{theirs.pk}/").status_code == 404
    assert client.patch(f"/api/v1/officers/{theirs.pk}/", {"job_title": "x"}).status_code == 404
    assert client.get(f"/api/v1/councils/{other_council.slug}/").status_code == 404


def test_a_token_writes_into_its_own_council_only(council, other_council, token_client):
    client = token_client(["wards:write"])
    response = client.post("/api/v1/wards/", {"name": "North", "council": other_council.slug})
    assert response.status_code == 400
    assert "council" in response.json()["errors"]
    assert not other_council.wards.exists()


def test_a_token_cannot_create_councils(council, token_client):
    response = token_client(["*"]).post("/api/v1/councils/", {"slug": "new", "name": "New"})
    assert response.status_code == 403


def test_a_token_change_is_attributed_to_the_token_in_the_audit_trail(council, token_client):
    client = token_client(["officers:write"])
    response = client.put("/api/v1/officers/by-employee-number/E1/", {"full_name": "Ann"})
    event = AuditEvent.objects.get(table_name="council_officer", row_pk=str(response.json()["id"]))
    assert event.actor == f"token:{client.token.pk}"


def test_every_viewset_declares_a_known_scope_resource():
    for _prefix, viewset, _basename in api_urls.router.registry:
        if issubclass(viewset, CouncilScopedReadOnlyViewSet):
            assert viewset.scope_resource in API_SCOPE_RESOURCES, viewset


# Issuing and revoking ---------------------------------------------------------------------


def test_issue_stores_only_the_digest_of_the_key(council):
    token, key = services.issue_api_token(
        council=council, by="test", name="HR sync", scopes=["officers:write"]
    )
    assert key.startswith("cc_") and len(key) > 40
    assert token.key_digest == services.api_token_digest(key) != key
    assert token.key_prefix == key[:10]
    assert not ApiToken.objects.filter(key_digest=key).exists()


@pytest.mark.parametrize("scope", ["officers", "officers:admin", "people:read", "", " "])
def test_issue_refuses_scopes_it_does_not_know(council, scope):
    with pytest.raises(ValidationError) as raised:
        services.issue_api_token(council=council, by="test", name="x", scopes=[scope])
    assert "scopes" in raised.value.message_dict


def test_issue_refuses_a_name_the_council_already_uses(council):
    services.issue_api_token(council=council, by="test", name="HR", scopes=["*"])
    with pytest.raises(ValidationError) as raised:
        services.issue_api_token(council=council, by="test", name="HR", scopes=["*"])
    assert "name" in raised.value.message_dict


def test_issue_refuses_an_expiry_in_the_past(council):
    with pytest.raises(ValidationError) as raised:
        services.issue_api_token(
            council=council,
            by="test",
            name="x",
            scopes=["*"],
            expires_at=timezone.now() - datetime.timedelta(days=1),
        )
    assert "expires_at" in raised.value.message_dict


def test_revoking_twice_keeps_the_first_time(council):
    token, _key = services.issue_api_token(council=council, by="test", name="x", scopes=["*"])
    first = services.revoke_api_token(token=token, by="test").revoked_at
    assert services.revoke_api_token(token=token, by="test").revoked_at == first


# The management command -------------------------------------------------------------------


def run_command(*args):
    out = io.StringIO()
    call_command("create_api_token", *args, stdout=out)
    return out.getvalue()


def test_command_prints_the_key_alone_on_its_last_line_and_the_key_works(council):
    factories.OfficerFactory(council=council)
    output = run_command(
        "--council", "city", "--name", "HR sync", "--scopes", "officers:write,members:read"
    )
    key = output.strip().splitlines()[-1]
    assert key.startswith("cc_") and " " not in key
    token = ApiToken.objects.get(name="HR sync")
    assert token.scopes == ["officers:write", "members:read"]
    assert token.expires_at is None
    response = keyed_client(key).put(
        "/api/v1/officers/by-employee-number/E77/", {"full_name": "Cara"}
    )
    assert response.status_code == 201
    assert Officer.objects.filter(council=council, employee_number="E77").exists()


def test_command_sets_an_expiry_in_days(council):
    run_command("--council", "city", "--name", "t", "--scopes", "*", "--expires-in-days", "30")
    expires_at = ApiToken.objects.get(name="t").expires_at
    assert expires_at - timezone.now() > datetime.timedelta(days=29)


def test_command_names_an_unknown_council(db):
    with pytest.raises(CommandError, match="nowhere"):
        run_command("--council", "nowhere", "--name", "t", "--scopes", "*")


def test_command_names_an_unknown_scope(council):
    with pytest.raises(CommandError, match="officers:delete"):
        run_command("--council", "city", "--name", "t", "--scopes", "officers:delete")
    assert not ApiToken.objects.exists()
