from django.db import migrations, models


def first_revision(apps, schema_editor):
    apps.get_model("catalogue", "CatalogueRevision").objects.create(pk=1, number=1)


class Migration(migrations.Migration):
    dependencies = [("catalogue", "0005_catalogue_changes_and_versions")]

    operations = [
        migrations.CreateModel(
            name="CatalogueRevision",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("number", models.PositiveBigIntegerField(default=1, verbose_name="revision")),
            ],
            options={
                "verbose_name": "catalogue revision",
                "verbose_name_plural": "catalogue revisions",
            },
        ),
        migrations.RunPython(first_revision, migrations.RunPython.noop),
    ]
