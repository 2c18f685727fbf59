"""``api_token USERNAME [--name NAME] [--days N]``: create an API token for a user and
print it (shown once: only its hash is kept), as the tokens page and the admin do."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from api.services import create_token, max_token_days


class Command(BaseCommand):
    help = "Create an API token for a user and print it (shown once)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("username")
        parser.add_argument("--name", default="", help="what the token is for")
        parser.add_argument(
            "--days",
            type=int,
            default=max_token_days(),
            help="days until it expires (at most API_TOKEN_DAYS)",
        )

    def handle(self, *args, **options) -> None:
        user = get_user_model().objects.filter(username=options["username"]).first()
        if user is None or not user.is_active:
            raise CommandError(f"no active user {options['username']!r}")
        try:
            _, token = create_token(user, name=options["name"], days=options["days"])
        except ValueError as error:  # the service's bound on a token's life
            raise CommandError(f"--days: {error}") from None
        self.stdout.write(token)
