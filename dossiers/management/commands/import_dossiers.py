from django.core.management.base import CommandError

from commitments.management.commands._base import ImportCommand
from commitments.tabular import ImportFailed
from dossiers import services


class Command(ImportCommand):
    help = (
        "Upsert one-stop-shop dossier records from CSV or XLSX (README: dossier records) "
        "and derive the dossier figures of their units, fields and quarters."
    )

    def handle(self, *args, **options) -> None:
        # The rows read so far, on one line of standard error rewritten in place.
        def progress(rows: int) -> None:
            self.stderr.write(f"\r{rows:,} rows read", ending="")
            self.stderr.flush()

        try:
            result = services.dossiers_import(path=options["file"], progress=progress)
        except ImportFailed as failed:
            self.stderr.write("")
            for line in failed.errors:
                self.stderr.write(line)
            raise CommandError(
                f"{len(failed.errors)} error(s); nothing was imported.", returncode=1
            ) from None
        self.stderr.write("")
        self.stdout.write(self.style.SUCCESS(f"{options['file']}: {result}"))
