import csv
import json
import textwrap

from django.core.management.base import BaseCommand

from commitments import selectors


class Command(BaseCommand):
    help = "Write the statuses of a year to standard output as JSON or CSV."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--format", choices=["json", "csv"], default="json")

    def handle(self, *args, **options) -> None:
        # Written row by row as the database gives them: the whole country's year is
        # never held whole. The JSON is what json.dumps(rows, indent=2) would write.
        rows = selectors.statuses.status_export_stream(year=options["year"])
        if options["format"] == "json":
            self._json(rows)
            return
        writer = csv.DictWriter(
            self.stdout, fieldnames=selectors.statuses.EXPORT_COLUMNS, lineterminator="\n"
        )
        writer.writeheader()
        for row in rows:
            writer.writerow({k: "" if v is None else v for k, v in row.items()})

    def _json(self, rows) -> None:
        first = True
        for row in rows:
            item = textwrap.indent(json.dumps(row, ensure_ascii=False, indent=2), "  ")
            self.stdout.write(("[\n" if first else ",\n") + item, ending="")
            first = False
        self.stdout.write("[]" if first else "\n]")
