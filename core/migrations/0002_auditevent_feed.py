"""The change feed's index: a council's audit events in (transaction_id, id) order.

``core.events.feed`` reads a page as a walk of this index from the client's cursor. Built
concurrently, so adding it to a large trail does not block the writes the triggers make.
"""

from django.db import migrations

CREATE = """
CREATE INDEX CONCURRENTLY IF NOT EXISTS core_auditevent_feed
    ON core_auditevent (council_id, transaction_id, id);
"""
DROP = "DROP INDEX CONCURRENTLY IF EXISTS core_auditevent_feed;"


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("core", "0001_initial")]

    operations = [migrations.RunSQL(sql=CREATE, reverse_sql=DROP)]
