"""Issue an API token for a council's integration (API.md, Authentication and scope).

    python manage.py create_api_token --council SLUG --name NAME --scopes a,b [--expires-in-days N]

The key is printed once, alone on the last line (so scripts can take ``| tail -n 1``); only its
digest is stored, so it cannot be shown again.
"""

import datetime

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from council import services
from council.choices import API_SCOPE_RESOURCES
from council.models import Council


class Command(BaseCommand):
    help = "Issue an API token for a council and print its key on the last line."

    def add_arguments(self, parser):
        parser.add_argument("--council", required=True, help="The council's slug.")
        parser.add_argument("--name", required=True, help="What the token is for (unique).")
        parser.add_argument(
            "--scopes",
            required=True,
            help="Comma-separated: <resource>:read or <resource>:write, or * for everything. "
            f"Resources: {', '.join(API_SCOPE_RESOURCES)}.",
        )
        parser.add_argument(
            "--expires-in-days",
            type=int,
            default=None,
            help="Expire after N days (default: never).",
        )

    def handle(self, *args, council, name, scopes, expires_in_days, **options):
        found = Council.objects.filter(slug=council).first()
        if found is None:
            raise CommandError(f"There is no council with slug {council!r}.")
        if expires_in_days is not None and expires_in_days < 1:
            raise CommandError("--expires-in-days must be at least 1.")
        expires_at = (
            timezone.now() + datetime.timedelta(days=expires_in_days) if expires_in_days else None
        )
        try:
            token, key = services.issue_api_token(
                council=found,
                by="command:create_api_token",
                name=name,
                scopes=scopes.split(","),
                expires_at=expires_at,
            )
        except ValidationError as error:
            problems = "; ".join(
                f"{field}: {' '.join(messages)}" for field, messages in error.message_dict.items()
            )
            raise CommandError(problems) from error
        expiry = f", expires {token.expires_at:%Y-%m-%d %H:%M %Z}" if token.expires_at else ""
        self.stdout.write(
            f"Token {token.name!r} for {found.name} with scopes {', '.join(token.scopes)}"
            f"{expiry}. Keep the key below secret: it is shown only once."
        )
        self.stdout.write(key)
