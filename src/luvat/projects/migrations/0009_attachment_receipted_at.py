"""Attachments remember when they reached the authority (issue 11: evidence is immutable).

Existing rows: a file of an application that has left the customer's hands (submitted and not
waiting for a supplement) is receipted at its upload; while a supplement is asked, the files
uploaded before the request are receipted and the newer ones stay the customer's."""

from django.db import migrations, models
from django.db.models import F, OuterRef, Subquery

EDITABLE = ("draft", "supplement_requested")


def receipt_existing(apps, schema_editor):
    Attachment = apps.get_model("projects", "Attachment")
    StatusEvent = apps.get_model("projects", "StatusEvent")
    submitted = Attachment.objects.filter(
        receipted_at__isnull=True, application__submitted_at__isnull=False
    )
    submitted.exclude(application__status__in=EDITABLE).update(receipted_at=F("uploaded_at"))
    asked = (
        StatusEvent.objects.filter(
            application_id=OuterRef("application_id"), status="supplement_requested"
        )
        .order_by("-occurred_at")
        .values("occurred_at")[:1]
    )
    waiting = submitted.filter(application__status="supplement_requested").annotate(
        asked_at=Subquery(asked)
    )
    for attachment in waiting.iterator():
        if attachment.asked_at is not None and attachment.uploaded_at <= attachment.asked_at:
            Attachment.objects.filter(pk=attachment.pk).update(receipted_at=attachment.uploaded_at)


class Migration(migrations.Migration):
    dependencies = [
        ("projects", "0008_shared_data_acknowledgement"),
    ]

    operations = [
        migrations.AddField(
            model_name="attachment",
            name="receipted_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="receipted at"),
        ),
        migrations.RunPython(receipt_existing, migrations.RunPython.noop),
    ]
