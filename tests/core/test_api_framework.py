"""The shared API framework in core/api: error shape, If-Match parsing, principals, scopes,
cursor ordering. Exercised with small views of its own so it is tested apart from any app."""

import pytest
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions, serializers
from rest_framework.response import Response
from rest_framework.test import APIRequestFactory, force_authenticate
from rest_framework.views import APIView

from core.api.etags import parse_if_match
from core.api.exceptions import exception_handler, flatten_errors
from core.api.pagination import CursorPagination
from core.api.permissions import ScopedResourcePermission
from core.api.principal import TokenPrincipal
from core.errors import Conflict, PreconditionFailed

factory = APIRequestFactory()


def handle(exc):
    request = factory.get("/")
    return exception_handler(exc, {"request": request, "view": None})


# The error shape --------------------------------------------------------------------------


def test_flatten_errors_gives_dotted_names_for_nested_and_listed_fields():
    errors = {
        "name": ["Required."],
        "members": [{}, {"role": ["Not a valid choice."]}],
        "constituent": {"email": ["Enter a valid email address."]},
        "non_field_errors": ["Bad pair."],
    }
    assert flatten_errors(errors) == {
        "name": ["Required."],
        "members.1.role": ["Not a valid choice."],
        "constituent.email": ["Enter a valid email address."],
        "non_field_errors": ["Bad pair."],
    }


def test_drf_validation_error_answers_400_with_field_errors():
    response = handle(exceptions.ValidationError({"name": ["This field is required."]}))
    assert response.status_code == 400
    assert response.data == {
        "detail": "name: This field is required.",
        "errors": {"name": ["This field is required."]},
    }


def test_django_validation_error_dict_from_a_service_answers_400_per_field():
    error = DjangoValidationError({"email": ["Taken."], "__all__": ["Inconsistent."]})
    response = handle(error)
    assert response.status_code == 400
    assert response.data["errors"] == {"email": ["Taken."], "non_field_errors": ["Inconsistent."]}
    assert response.data["detail"]


def test_django_validation_error_without_fields_is_a_non_field_error():
    response = handle(DjangoValidationError("Not allowed on a closed case."))
    assert response.status_code == 400
    assert response.data == {
        "detail": "Not allowed on a closed case.",
        "errors": {"non_field_errors": ["Not allowed on a closed case."]},
    }


def test_conflict_answers_409_with_its_code():
    response = handle(Conflict("A declared relationship conflicts.", code="declared_conflict"))
    assert response.status_code == 409
    assert response.data == {
        "detail": "A declared relationship conflicts.",
        "errors": {},
        "code": "declared_conflict",
    }


def test_precondition_failed_answers_412_with_the_current_etag():
    response = handle(PreconditionFailed(current=7))
    assert response.status_code == 412
    assert response["ETag"] == '"7"'
    assert response.data["current_version"] == 7
    assert response.data["errors"] == {}


def test_not_found_and_permission_denied_keep_the_shape():
    assert handle(Http404()).data == {"detail": "Not found.", "errors": {}}
    denied = handle(exceptions.PermissionDenied("No."))
    assert (denied.status_code, denied.data) == (403, {"detail": "No.", "errors": {}})


class Explodes(APIView):
    permission_classes = []
    authentication_classes = []

    def get(self, request):
        raise RuntimeError("secret internals: password=hunter2")


def test_an_unhandled_error_answers_500_without_leaking_anything(caplog):
    response = Explodes.as_view()(factory.get("/"))
    response.render()
    assert response.status_code == 500
    body = response.content.decode()
    assert "hunter2" not in body and "Traceback" not in body and "RuntimeError" not in body
    assert response.data["errors"] == {}
    assert "hunter2" in caplog.text  # logged for the operators


# If-Match ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "version"), [(None, None), ("*", None), ('"3"', 3), ('W/"12"', 12), ("4", 4)]
)
def test_if_match_accepts_the_etags_this_api_issues(header, version):
    assert parse_if_match(header) == version


@pytest.mark.parametrize("header", ['"abc"', "", '"1", "2"', "W/3", '"-1"', "yesterday"])
def test_if_match_that_does_not_parse_is_a_validation_error(header):
    with pytest.raises(exceptions.ValidationError) as raised:
        parse_if_match(header)
    assert "If-Match" in raised.value.detail


# Principals and scopes ---------------------------------------------------------------------


def principal(*scopes):
    return TokenPrincipal(token_id=1, council_id=1, scopes=frozenset(scopes))


@pytest.mark.parametrize(
    ("scopes", "write", "allowed"),
    [
        (("officers:read",), False, True),
        (("officers:read",), True, False),
        (("officers:write",), False, True),
        (("officers:write",), True, True),
        (("*",), True, True),
        (("members:write",), False, False),
        ((), False, False),
    ],
)
def test_token_scopes(scopes, write, allowed):
    assert principal(*scopes).has_scope("officers", write=write) is allowed


def test_a_principal_is_authenticated_but_no_superuser_and_has_no_permissions():
    token = principal("*")
    assert token.is_authenticated and not token.is_anonymous
    assert not token.is_superuser and not token.is_staff
    assert not token.has_perm("council.change_officer")


class Scoped(APIView):
    scope_resource = "officers"

    def get(self, request):
        return Response({"ok": True})

    def post(self, request):
        return Response({"ok": True})


class Unscoped(APIView):
    def get(self, request):
        return Response({"ok": True})


def call(view, method, user):
    request = getattr(factory, method)("/")
    force_authenticate(request, user=user)
    return view.as_view(permission_classes=[ScopedResourcePermission])(request)


def test_scoped_view_checks_the_tokens_scope_for_the_method():
    assert call(Scoped, "get", principal("officers:read")).status_code == 200
    denied = call(Scoped, "post", principal("officers:read"))
    assert denied.status_code == 403
    assert denied.data["detail"] == "This token needs the officers:write scope."


def test_a_view_without_scope_resource_refuses_tokens():
    assert call(Unscoped, "get", principal("*")).status_code == 403


# Cursor pagination ------------------------------------------------------------------------


def test_cursor_ordering_comes_from_the_view():
    class View:
        cursor_ordering = ("full_name", "id")

    assert CursorPagination().get_ordering(None, None, View()) == ("full_name", "id")


def test_cursor_ordering_refuses_lookups_across_relations():
    class View:
        cursor_ordering = ("ward__name",)

    with pytest.raises(AssertionError):
        CursorPagination().get_ordering(None, None, View())


def test_serializer_errors_from_a_nested_list_are_flattened_in_the_response():
    class Seat(serializers.Serializer):
        role = serializers.ChoiceField(choices=["chair", "member"])

    class Body(serializers.Serializer):
        seats = Seat(many=True)

    body = Body(data={"seats": [{"role": "chair"}, {"role": "king"}]})
    assert not body.is_valid()
    response = handle(exceptions.ValidationError(body.errors))
    assert list(response.data["errors"]) == ["seats.1.role"]
