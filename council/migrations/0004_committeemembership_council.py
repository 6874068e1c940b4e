"""Committee seats carry their council, as every council-owned row does (DESIGN.md,
Architecture): the column is added, then filled from each seat's committee. Migration 0005
makes it NOT NULL and ties it to the committee's and the member's council."""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def fill_councils_from_committees(apps, schema_editor):
    """Give every seat without a council its committee's council: one UPDATE, whatever the
    number of seats."""
    committees = apps.get_model("council", "Committee").objects
    apps.get_model("council", "CommitteeMembership").objects.filter(council__isnull=True).update(
        council_id=Subquery(committees.filter(pk=OuterRef("committee_id")).values("council_id"))
    )


class Migration(migrations.Migration):
    dependencies = [
        ("council", "0003_committee_convened_about"),
    ]

    operations = [
        migrations.AddField(
            model_name="committeemembership",
            name="council",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="committee_memberships",
                to="council.council",
            ),
        ),
        migrations.RunPython(fill_councils_from_committees, migrations.RunPython.noop),
    ]
