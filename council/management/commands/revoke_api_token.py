"""Revoke a council's API token, by name or id (API.md, Authentication and scope).

    python manage.py revoke_api_token --council SLUG (--name NAME | --id ID)

The token answers 401 from then on. Revoking a revoked token changes nothing.
"""

from django.core.management.base import BaseCommand, CommandError

from council import services
from council.models import ApiToken, Council


class Command(BaseCommand):
    help = "Revoke an API token of a council, named by --name or --id."

    def add_arguments(self, parser):
        parser.add_argument("--council", required=True, help="The council's slug.")
        which = parser.add_mutually_exclusive_group(required=True)
        which.add_argument("--name", help="The token's name.")
        which.add_argument("--id", type=int, help="The token's id (see list_api_tokens).")

    def handle(self, *args, council, name, id, **options):
        found = Council.objects.filter(slug=council).first()
        if found is None:
            raise CommandError(f"There is no council with slug {council!r}.")
        tokens = ApiToken.objects.filter(council=found)
        token = tokens.filter(name=name).first() if name else tokens.filter(pk=id).first()
        if token is None:
            named = f"named {name!r}" if name else f"with id {id}"
            raise CommandError(f"{found.name} has no API token {named}.")
        already = token.revoked_at is not None
        token = services.revoke_api_token(token=token, by="command:revoke_api_token")
        when = f"{token.revoked_at:%Y-%m-%d %H:%M %Z}"
        if already:
            self.stdout.write(f"Token {token.name!r} was already revoked ({when}).")
        else:
            self.stdout.write(f"Token {token.name!r} of {found.name} revoked: it no longer works.")
