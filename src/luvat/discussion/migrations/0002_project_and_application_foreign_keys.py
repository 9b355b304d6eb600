"""Rooms and threads refer to projects.Project and projects.Application by foreign key (were
plain numbers). Rooms and threads of projects or applications that no longer exist go."""

import django.db.models.deletion
from django.db import migrations, models


def copy_ids(apps, schema_editor):
    Room = apps.get_model("discussion", "DiscussionRoom")
    Thread = apps.get_model("discussion", "Thread")
    Project = apps.get_model("projects", "Project")
    Application = apps.get_model("projects", "Application")
    projects = set(Project.objects.values_list("pk", flat=True))
    applications = set(Application.objects.values_list("pk", flat=True))
    for room in Room.objects.only("pk", "legacy_project_id"):
        if room.legacy_project_id in projects:
            Room.objects.filter(pk=room.pk).update(project_id=room.legacy_project_id)
        else:
            room.delete()
    for thread in Thread.objects.exclude(legacy_application_id=None).only(
        "pk", "legacy_application_id"
    ):
        if thread.legacy_application_id in applications:
            Thread.objects.filter(pk=thread.pk).update(application_id=thread.legacy_application_id)
        else:
            thread.delete()


def copy_back(apps, schema_editor):
    Room = apps.get_model("discussion", "DiscussionRoom")
    Thread = apps.get_model("discussion", "Thread")
    for room in Room.objects.only("pk", "project_id"):
        Room.objects.filter(pk=room.pk).update(legacy_project_id=room.project_id)
    for thread in Thread.objects.exclude(application=None).only("pk", "application_id"):
        Thread.objects.filter(pk=thread.pk).update(legacy_application_id=thread.application_id)


class Migration(migrations.Migration):
    dependencies = [
        ("projects", "0001_initial"),
        ("discussion", "0001_initial"),
    ]

    operations = [
        migrations.RemoveConstraint("thread", "discussion_one_shared_thread_per_kind"),
        migrations.RemoveConstraint("thread", "discussion_one_thread_per_application"),
        migrations.RenameField("discussionroom", "project_id", "legacy_project_id"),
        migrations.AlterField(
            "discussionroom",
            "legacy_project_id",
            models.BigIntegerField(null=True, verbose_name="project"),
        ),
        migrations.RenameField("thread", "application_id", "legacy_application_id"),
        migrations.AddField(
            model_name="discussionroom",
            name="project",
            field=models.OneToOneField(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="discussion_room",
                to="projects.project",
                verbose_name="project",
            ),
        ),
        migrations.AddField(
            model_name="thread",
            name="application",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="projects.application",
                verbose_name="application",
            ),
        ),
        migrations.RunPython(copy_ids, copy_back),
        migrations.RemoveField("discussionroom", "legacy_project_id"),
        migrations.RemoveField("thread", "legacy_application_id"),
        migrations.AlterField(
            model_name="discussionroom",
            name="project",
            field=models.OneToOneField(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="discussion_room",
                to="projects.project",
                verbose_name="project",
            ),
        ),
        migrations.AddConstraint(
            model_name="thread",
            constraint=models.UniqueConstraint(
                condition=models.Q(("application_id__isnull", True)),
                fields=("room", "kind"),
                name="discussion_one_shared_thread_per_kind",
            ),
        ),
        migrations.AddConstraint(
            model_name="thread",
            constraint=models.UniqueConstraint(
                condition=models.Q(("application_id__isnull", False)),
                fields=("room", "application"),
                name="discussion_one_thread_per_application",
            ),
        ),
    ]
