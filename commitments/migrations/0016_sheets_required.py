import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("commitments", "0015_sheets_from_targets")]

    operations = [
        migrations.AlterField(
            model_name="commitment",
            name="sheet",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="commitments",
                to="commitments.sheet",
                verbose_name="bản đăng ký",
            ),
        ),
        migrations.AlterField(
            model_name="indicator",
            name="sheet",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="indicators",
                to="commitments.sheet",
                verbose_name="bản đăng ký",
            ),
        ),
        migrations.AlterField(
            model_name="indicator",
            name="version",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="indicators",
                to="commitments.definitionversion",
                verbose_name="phiên bản định nghĩa",
            ),
        ),
    ]
