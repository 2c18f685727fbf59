"""``api_token USERNAME [--name NAME] [--days N]``: create an API token for a user and
print it (shown once: only its hash is kept), as the tokens page and the admin do."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from api.services import create_token


class Command(BaseCommand):
    help = "Create an API token for a user and print it (shown once)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("username")
        parser.add_argument("--name", default="", help="what the token is for")
        parser.add_argument(
            "--days",
            type=int,
            default=settings.REST_KNOX["TOKEN_TTL"].days,
            help="days until it expires (at most API_TOKEN_DAYS)",
        )

    def handle(self, *args, **options) -> None:
        user = get_user_model().objects.filter(username=options["username"]).first()
        if user is None or not user.is_active:
            raise CommandError(f"no active user {options['username']!r}")
        days = options["days"]
        if not 1 <= days <= settings.REST_KNOX["TOKEN_TTL"].days:
            raise CommandError(f"--days must be 1 to {settings.REST_KNOX['TOKEN_TTL'].days}")
        _, token = create_token(user, name=options["name"], days=days)
        self.stdout.write(token)
