"""The event's project becomes a foreign key to projects.Project (was a plain number)."""

import django.db.models.deletion
from django.db import migrations, models


def copy_project(apps, schema_editor):
    Event = apps.get_model("supervision", "SupervisionEvent")
    Project = apps.get_model("projects", "Project")
    existing = set(Project.objects.values_list("pk", flat=True))
    for event in Event.objects.exclude(legacy_project_id=None).only("pk", "legacy_project_id"):
        if event.legacy_project_id in existing:
            Event.objects.filter(pk=event.pk).update(project_id=event.legacy_project_id)


def copy_back(apps, schema_editor):
    Event = apps.get_model("supervision", "SupervisionEvent")
    for event in Event.objects.exclude(project=None).only("pk", "project_id"):
        Event.objects.filter(pk=event.pk).update(legacy_project_id=event.project_id)


class Migration(migrations.Migration):
    dependencies = [
        ("projects", "0001_initial"),
        ("supervision", "0001_initial"),
    ]

    operations = [
        migrations.RenameField("supervisionevent", "project_id", "legacy_project_id"),
        migrations.AddField(
            model_name="supervisionevent",
            name="project",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="projects.project",
                verbose_name="project",
            ),
        ),
        migrations.RunPython(copy_project, copy_back),
        migrations.RemoveField("supervisionevent", "legacy_project_id"),
    ]
