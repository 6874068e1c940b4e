"""A seat's council is required, and it is its committee's and its member's: the database
refuses a seat that crosses councils (DESIGN.md, Architecture: no data crossing between
councils; STYLE.md: the database is the last line of defence).

Django has no composite foreign keys, so they are SQL: ``(committee_id, council_id)`` must be a
committee of that council and ``(member_id, council_id)`` a member of it, each backed by a
unique ``(id, council_id)`` on the referenced table. They are checked at once (not deferred,
unlike Django's own keys) and cascade as the model's keys do. A separate migration from 0004's
fill, since PostgreSQL will not alter a table with the fill's trigger events still pending.
"""

import django.db.models.deletion
from django.db import migrations, models

CREATE = """
ALTER TABLE council_committee
    ADD CONSTRAINT council_committee_id_council_unique UNIQUE (id, council_id);
ALTER TABLE council_member
    ADD CONSTRAINT council_member_id_council_unique UNIQUE (id, council_id);
ALTER TABLE council_committeemembership
    ADD CONSTRAINT committee_membership_committee_same_council
    FOREIGN KEY (committee_id, council_id) REFERENCES council_committee (id, council_id)
    ON DELETE CASCADE,
    ADD CONSTRAINT committee_membership_member_same_council
    FOREIGN KEY (member_id, council_id) REFERENCES council_member (id, council_id)
    ON DELETE CASCADE;
"""

DROP = """
ALTER TABLE council_committeemembership
    DROP CONSTRAINT IF EXISTS committee_membership_committee_same_council,
    DROP CONSTRAINT IF EXISTS committee_membership_member_same_council;
ALTER TABLE council_member DROP CONSTRAINT IF EXISTS council_member_id_council_unique;
ALTER TABLE council_committee DROP CONSTRAINT IF EXISTS council_committee_id_council_unique;
"""


class Migration(migrations.Migration):
    dependencies = [
        ("council", "0004_committeemembership_council"),
    ]

    operations = [
        migrations.AlterField(
            model_name="committeemembership",
            name="council",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="committee_memberships",
                to="council.council",
            ),
        ),
        migrations.RunSQL(sql=CREATE, reverse_sql=DROP),
    ]
