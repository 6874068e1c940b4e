"""The conduct complaints' stage history and view log are append-only, and every council has
the default complaint routes (DESIGN.md, Conduct complaints; STYLE.md: the database is the
last line of defence).

- ``complaints_complainthistory`` (every escalation, re-route and outcome) and
  ``complaints_complaintview`` (who looked): any UPDATE or DELETE is refused, SQLSTATE 23001
  (restrict_violation, Django's ``IntegrityError``), whoever issues it. TRUNCATE is not
  guarded: the test harness empties tables with it.
- the default routes of complaints.conduct.routing for every council that exists; councils
  created later get theirs from complaints.conduct.receivers.
"""

from django.db import migrations

TABLES = ("complaints_complainthistory", "complaints_complaintview")

GUARD = """
CREATE FUNCTION complaints_refuse_history_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only: % is refused', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'restrict_violation';
END
$$;
""" + "".join(
    f"""
CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table}
    FOR EACH ROW EXECUTE FUNCTION complaints_refuse_history_change();
"""
    for table in TABLES
)

DROP = "".join(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table};\n" for table in TABLES) + (
    "DROP FUNCTION IF EXISTS complaints_refuse_history_change();\n"
)


def seed_routes(apps, schema_editor):
    from complaints.conduct.routing import seed_default_routes

    Council = apps.get_model("council", "Council")
    Route = apps.get_model("complaints", "Route")
    RouteStage = apps.get_model("complaints", "RouteStage")
    for council_id in Council.objects.order_by("pk").values_list("pk", flat=True):
        seed_default_routes(council_id, Route, RouteStage)


class Migration(migrations.Migration):
    dependencies = [("complaints", "0004_conduct_complaints")]

    operations = [
        migrations.RunSQL(sql=GUARD, reverse_sql=DROP),
        migrations.RunPython(seed_routes, migrations.RunPython.noop),
    ]
