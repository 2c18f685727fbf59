"""What the import commands share: run a service, print the result or every bad row."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from commitments.tabular import ImportFailed


class ImportCommand(BaseCommand):
    """``<command> FILE``: all or nothing; exits 1 with ``line N: column: reason``
    lines on standard error when any row is bad."""

    service = None  # a services function taking path=
    # The system checks load every page's code (the URLs, the views, the workbook's
    # library): a second and more before a file is read. An import needs none of it;
    # ``manage.py check`` and the web processes run them.
    requires_system_checks = []

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", help="CSV (UTF-8, BOM allowed) or XLSX file")

    def handle(self, *args, **options) -> None:
        try:
            result = type(self).service(path=options["file"])
        except ImportFailed as failed:
            for line in failed.errors:
                self.stderr.write(line)
            raise CommandError(
                f"{len(failed.errors)} error(s); nothing was imported.", returncode=1
            ) from None
        self.stdout.write(self.style.SUCCESS(f"{options['file']}: {result}"))
