from django.core.management.base import BaseCommand, CommandError

from commitments import catalogue, services


class Command(BaseCommand):
    help = "Create or update a built-in catalogue of commitments, indicators and targets."

    def add_arguments(self, parser) -> None:
        parser.add_argument("name", choices=sorted(catalogue.CATALOGUES))

    def handle(self, *args, **options) -> None:
        try:
            counts = services.catalogue.catalogue_load(name=options["name"])
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        summary = ", ".join(f"{n} {what}" for what, n in counts.items())
        self.stdout.write(self.style.SUCCESS(f"{options['name']}: {summary}"))
