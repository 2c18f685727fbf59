from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from commitments import services


class Command(BaseCommand):
    help = (
        "Load the sheet a department signed for a year (its commitments, indicators, "
        "targets and the signed words) from a CSV or XLSX file; all or nothing."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", help="CSV (UTF-8, BOM allowed) or XLSX file")
        parser.add_argument("--department", required=True, help="the department's unit code")
        parser.add_argument("--year", required=True, type=int, help="the year of the sheet")
        parser.add_argument(
            "--replace",
            action="store_true",
            help="replace the department's sheet of that year when it has one",
        )

    def handle(self, *args, **options) -> None:
        # The lines of an import are English, whatever the site's language.
        with translation.override("en"):
            try:
                loaded = services.sheet_files.sheet_load(
                    path=options["file"],
                    department=options["department"],
                    year=options["year"],
                    replace=options["replace"],
                )
            except services.sheet_files.SheetLoadFailed as failed:
                for line in [*failed.errors, *failed.warnings]:
                    self.stderr.write(line)
                raise CommandError(
                    f"{len(failed.errors)} error(s); nothing was loaded.", returncode=1
                ) from None
        for line in loaded.warnings:
            self.stderr.write(line)
        self.stdout.write(self.style.SUCCESS(f"{options['file']}: {loaded}"))
