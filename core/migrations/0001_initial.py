"""The audit trail's table and its append-only guard.

The table is created here in SQL (the model is unmanaged: see core/audit/models.py). The
trigger functions that write it, one per audited table, and their triggers are generated and
installed after every ``migrate`` for each registered model (core/audit/sql.py, triggers.py).
"""

from django.db import migrations, models

CREATE_TABLE = """
CREATE TABLE core_auditevent (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    occurred_at timestamptz NOT NULL DEFAULT clock_timestamp(),
    transaction_id bigint NOT NULL DEFAULT txid_current(),
    actor text NULL DEFAULT nullif(current_setting('councilcase.actor', true), ''),
    table_name text COLLATE "C" NOT NULL,
    row_pk text COLLATE "C" NULL,
    council_id bigint NULL,
    action text NOT NULL CHECK (action IN ('insert', 'update', 'delete', 'truncate')),
    changes jsonb NOT NULL DEFAULT '{}'::jsonb
);
-- One row's history in the order its changes happened: changes to a row are serialised by its
-- row lock and each audit row is written while that lock is held, so id order is change order
-- (clock time is not guaranteed to be, across sessions and clock adjustments). Byte-order ("C")
-- keys: these are identifiers, and comparing them with the locale's rules made every audit
-- row's index insert markedly slower.
CREATE INDEX core_auditevent_row_history ON core_auditevent (table_name, row_pk, id);
CREATE INDEX core_auditevent_council_time ON core_auditevent (council_id, occurred_at);
COMMENT ON TABLE core_auditevent IS
    'Councilcase audit trail: append-only, written only by councilcase_audit_record() triggers.';
"""

# Append-only: any UPDATE, DELETE or TRUNCATE statement is refused, even one that matches no
# row. Statement-level, so it costs nothing per row. Table owners and superusers can still
# drop the trigger: production runs the application as a role that owns nothing and holds
# only SELECT here (see core/audit/__init__.py); the trigger then stops the owner's mistakes.
CREATE_GUARD = """
CREATE FUNCTION councilcase_audit_refuse_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the audit trail is append-only: % on % is refused', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END
$$;
CREATE TRIGGER core_auditevent_append_only
    BEFORE UPDATE OR DELETE OR TRUNCATE ON core_auditevent
    FOR EACH STATEMENT EXECUTE FUNCTION councilcase_audit_refuse_change();
REVOKE UPDATE, DELETE, TRUNCATE ON core_auditevent FROM PUBLIC;
"""

REVOKE_GUARD = """
REVOKE ALL ON FUNCTION councilcase_audit_refuse_change() FROM PUBLIC;
"""

# The per-table trigger functions write to the table: drop them (and their triggers) first.
DROP_ALL = """
DO $drop$
DECLARE
    f regprocedure;
BEGIN
    FOR f IN SELECT p.oid::regprocedure FROM pg_proc p
             WHERE p.proname LIKE 'councilcase\\_audit\\_record\\_%'
               AND p.pronamespace = current_schema()::regnamespace
    LOOP
        EXECUTE format('DROP FUNCTION %s CASCADE', f);
    END LOOP;
END
$drop$;
DROP TABLE IF EXISTS core_auditevent;
DROP FUNCTION IF EXISTS councilcase_audit_refuse_change();
"""


class Migration(migrations.Migration):
    initial = True

    dependencies = []

    operations = [
        migrations.CreateModel(
            name="AuditEvent",
            fields=[
                ("id", models.BigAutoField(primary_key=True, serialize=False)),
                ("occurred_at", models.DateTimeField()),
                ("transaction_id", models.BigIntegerField()),
                ("actor", models.TextField(null=True)),
                ("table_name", models.TextField(db_collation="C")),
                ("row_pk", models.TextField(db_collation="C", null=True)),
                ("council_id", models.BigIntegerField(null=True)),
                (
                    "action",
                    models.TextField(
                        choices=[
                            ("insert", "Created"),
                            ("update", "Changed"),
                            ("delete", "Deleted"),
                            ("truncate", "Emptied (every row removed)"),
                        ]
                    ),
                ),
                ("changes", models.JSONField(default=dict)),
            ],
            options={"db_table": "core_auditevent", "ordering": ["-id"], "managed": False},
        ),
        migrations.RunSQL(
            sql=[CREATE_TABLE, CREATE_GUARD, REVOKE_GUARD],
            reverse_sql=DROP_ALL,
        ),
    ]
