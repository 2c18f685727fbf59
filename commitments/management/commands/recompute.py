import os

from django.core.management.base import BaseCommand

from commitments import selectors, services


class Command(BaseCommand):
    help = (
        "Recompute statuses now, from this process, with the code the Celery tasks run; "
        "a large tree's parts by --jobs processes at once (PostgreSQL)."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--year", type=int, help="one year (default: every year with targets)")
        parser.add_argument(
            "--jobs",
            type=int,
            default=os.cpu_count() or 1,
            help="processes computing a large tree's parts at once (default: the cores; "
            "1: part after part in one transaction)",
        )

    def handle(self, *args, **options) -> None:
        years = (
            [options["year"]] if options["year"] else selectors.engine_inputs.years_with_targets()
        )
        total = 0
        for year in years:
            count = services.recompute_here.statuses_recompute_here(year=year, jobs=options["jobs"])
            if count is None:
                self.stdout.write(f"{year}: a recompute of the year is running; it covers it")
                continue
            total += count
            self.stdout.write(f"{year}: {count} statuses")
        self.stdout.write(self.style.SUCCESS(f"{total} statuses written"))
