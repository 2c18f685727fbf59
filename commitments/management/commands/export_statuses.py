import csv
import json

from django.core.management.base import BaseCommand

from commitments import selectors


class Command(BaseCommand):
    help = "Write the statuses of a year to standard output as JSON or CSV."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--format", choices=["json", "csv"], default="json")

    def handle(self, *args, **options) -> None:
        rows = selectors.statuses.status_export_rows(year=options["year"])
        if options["format"] == "json":
            self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2))
            return
        writer = csv.DictWriter(
            self.stdout, fieldnames=selectors.statuses.EXPORT_COLUMNS, lineterminator="\n"
        )
        writer.writeheader()
        for row in rows:
            writer.writerow({k: "" if v is None else v for k, v in row.items()})
