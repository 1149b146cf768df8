from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("foundation", "0007_merge_drafts"),
    ]

    operations = [
        migrations.AddField(
            model_name="child",
            name="nationality",
            field=models.CharField(blank=True, max_length=60),
        ),
    ]
