"""``Authorization: Token <key>`` for integrations (API.md, Authentication and scope).

A key is looked up by its SHA-256 digest (only the digest is stored). An unknown, revoked or
expired key answers 401 with a detail saying which; a request without the header falls through
to the session. ``request.user`` becomes a ``TokenPrincipal`` (the token's council, id and
scopes; no database user) and ``request.auth`` the ``ApiToken``. Use is recorded at most once
a minute per token (``services.record_api_token_use``).
"""

from django.utils import timezone
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header

from core.api.principal import TokenPrincipal
from council import services
from council.models import ApiToken

KEYWORD = "Token"


class ApiTokenAuthentication(BaseAuthentication):
    keyword = KEYWORD

    def authenticate(self, request):
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != self.keyword.lower().encode():
            return None
        if len(parts) == 1:
            raise exceptions.AuthenticationFailed("Invalid token header: no key was given.")
        if len(parts) > 2:
            raise exceptions.AuthenticationFailed(
                "Invalid token header: the key must not contain spaces."
            )
        try:
            key = parts[1].decode("ascii")
        except UnicodeDecodeError as error:
            raise exceptions.AuthenticationFailed(
                "Invalid token header: the key has characters no key contains."
            ) from error
        return self.authenticate_key(key)

    def authenticate_key(self, key: str):
        token = ApiToken.objects.filter(key_digest=services.api_token_digest(key)).first()
        if token is None:
            raise exceptions.AuthenticationFailed("Invalid token.")
        now = timezone.now()
        if token.revoked_at is not None:
            raise exceptions.AuthenticationFailed("This token has been revoked.")
        if token.expires_at is not None and token.expires_at <= now:
            raise exceptions.AuthenticationFailed("This token has expired.")
        services.record_api_token_use(token=token, now=now)
        principal = TokenPrincipal(
            token_id=token.pk,
            council_id=token.council_id,
            scopes=frozenset(token.scopes),
            name=token.name,
        )
        return principal, token

    def authenticate_header(self, request):
        # Makes unauthenticated requests answer 401 (with WWW-Authenticate), not 403.
        return self.keyword


class ApiTokenAuthenticationScheme(OpenApiAuthenticationExtension):
    target_class = ApiTokenAuthentication
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": (
                "An API token of one council: `Authorization: Token <key>`. Issue one with "
                "`python manage.py create_api_token --council SLUG --name NAME --scopes a,b`. "
                "Scopes are `<resource>:read` / `<resource>:write` (write implies read) or "
                "`*`. A token sees only its own council's records; a missing scope answers 403; "
                "an unknown, revoked or expired key answers 401."
            ),
        }
