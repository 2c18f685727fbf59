"""Figures stored before official figures existed without a quarterly report came from
an admin's import or the admin (staff always write through a report): they were
official on arrival, so the reports they belong to are recorded as approved, as an
import now does. Without it, the first draft a unit opened for such a quarter would
take those figures out of the department's official numbers."""

from django.db import migrations
from django.utils import timezone


def approve_reports_of_imported_figures(apps, schema_editor):
    Figure = apps.get_model("commitments", "Figure")
    QuarterlyReport = apps.get_model("commitments", "QuarterlyReport")
    reported = set(QuarterlyReport.objects.values_list("unit_id", "year", "quarter"))
    periods = set(Figure.objects.values_list("unit_id", "year", "quarter").distinct())
    now = timezone.now()
    QuarterlyReport.objects.bulk_create(
        [
            QuarterlyReport(
                unit_id=unit_id,
                year=year,
                quarter=quarter,
                state="approved",
                version=1,
                decided_at=now,
                comment="",
            )
            for unit_id, year, quarter in sorted(periods - reported)
        ],
        batch_size=1000,
    )


class Migration(migrations.Migration):
    dependencies = [("commitments", "0006_official_figures")]

    operations = [
        migrations.RunPython(approve_reports_of_imported_figures, migrations.RunPython.noop)
    ]
