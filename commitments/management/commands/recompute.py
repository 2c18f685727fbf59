from django.core.management.base import BaseCommand

from commitments import selectors, services


class Command(BaseCommand):
    help = "Recompute statuses now, in this process, with the code the Celery task runs."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--year", type=int, help="one year (default: every year with targets)")

    def handle(self, *args, **options) -> None:
        years = (
            [options["year"]] if options["year"] else selectors.engine_inputs.years_with_targets()
        )
        total = 0
        for year in years:
            count = services.recompute.statuses_recompute(year=year)
            total += count
            self.stdout.write(f"{year}: {count} statuses")
        self.stdout.write(self.style.SUCCESS(f"{total} statuses written"))
