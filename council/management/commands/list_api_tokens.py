"""List a council's API tokens (API.md, Authentication and scope).

    python manage.py list_api_tokens --council SLUG

One line per token, newest first: id, name, the first characters of the key, scopes, status
(active, expires on, expired, revoked) and last use. The keys themselves are never stored, so
never shown.
"""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from council.models import ApiToken, Council


def status_of(token: ApiToken, now) -> str:
    if token.revoked_at is not None:
        return f"revoked {token.revoked_at:%Y-%m-%d %H:%M}"
    if token.expires_at is not None and token.expires_at <= now:
        return f"expired {token.expires_at:%Y-%m-%d %H:%M}"
    if token.expires_at is not None:
        return f"active until {token.expires_at:%Y-%m-%d %H:%M}"
    return "active"


class Command(BaseCommand):
    help = "List a council's API tokens: name, key prefix, scopes, status and last use."

    def add_arguments(self, parser):
        parser.add_argument("--council", required=True, help="The council's slug.")

    def handle(self, *args, council, **options):
        found = Council.objects.filter(slug=council).first()
        if found is None:
            raise CommandError(f"There is no council with slug {council!r}.")
        tokens = list(ApiToken.objects.filter(council=found).order_by("-created_at", "-id"))
        if not tokens:
            self.stdout.write(f"{found.name} has no API tokens.")
            return
        now = timezone.now()
        for token in tokens:
            used = f"{token.last_used_at:%Y-%m-%d %H:%M}" if token.last_used_at else "never"
            self.stdout.write(
                f"{token.pk}\t{token.name}\t{token.key_prefix}…\t{','.join(token.scopes)}\t"
                f"{status_of(token, now)}\tlast used {used}"
            )
