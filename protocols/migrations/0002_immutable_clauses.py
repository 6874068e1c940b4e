# ruff: noqa: S608 - constant SQL: no value comes from outside this module.
"""The database's guard on adopted protocol versions (DESIGN.md, Protocols; STYLE.md: the
database is the last line of defence).

Complaints cite clauses of the version in force on an incident date, so a version that has
been adopted is never rewritten. ``protocols.services`` refuses it; these triggers refuse it
for everything else too (``.update()``, raw SQL, an admin action, a bug):

- clauses: any INSERT, UPDATE or DELETE touching a clause of an adopted or superseded
  version fails. Statement-level with transition tables, like the audit triggers, so a
  bulk import of a draft costs one check, not one per clause. The versions are read
  ``FOR SHARE``, so a clause change waits for a concurrent adoption to commit and then
  sees it.
- versions: an adopted version may only become superseded; a superseded one stays as it
  is; neither changes its protocol, adoption date or approving body; neither is deleted.

Errors are SQLSTATE 23001 (restrict_violation), which Django raises as ``IntegrityError``.
TRUNCATE is not guarded: it is what the test harness uses to empty tables.
"""

from django.db import migrations

SETTLED = "('adopted', 'superseded')"

CLAUSE_GUARD = f"""
CREATE FUNCTION protocols_refuse_settled_clause_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        PERFORM 1 FROM protocols_protocolversion
        WHERE id IN (SELECT DISTINCT version_id FROM old_rows) FOR SHARE;
        IF EXISTS (
            SELECT 1 FROM protocols_protocolversion
            WHERE id IN (SELECT DISTINCT version_id FROM old_rows) AND status IN {SETTLED}
        ) THEN
            RAISE EXCEPTION 'the clauses of an adopted protocol version cannot be changed: % '
                'on protocols_clause is refused', TG_OP
                USING ERRCODE = 'restrict_violation';
        END IF;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        PERFORM 1 FROM protocols_protocolversion
        WHERE id IN (SELECT DISTINCT version_id FROM new_rows) FOR SHARE;
        IF EXISTS (
            SELECT 1 FROM protocols_protocolversion
            WHERE id IN (SELECT DISTINCT version_id FROM new_rows) AND status IN {SETTLED}
        ) THEN
            RAISE EXCEPTION 'an adopted protocol version cannot gain clauses: % '
                'on protocols_clause is refused', TG_OP
                USING ERRCODE = 'restrict_violation';
        END IF;
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER protocols_clause_settled_insert AFTER INSERT ON protocols_clause
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION protocols_refuse_settled_clause_change();
CREATE TRIGGER protocols_clause_settled_update AFTER UPDATE ON protocols_clause
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION protocols_refuse_settled_clause_change();
CREATE TRIGGER protocols_clause_settled_delete AFTER DELETE ON protocols_clause
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION protocols_refuse_settled_clause_change();
"""

VERSION_GUARD = f"""
CREATE FUNCTION protocols_refuse_settled_version_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.status NOT IN {SETTLED} THEN
        RETURN CASE TG_OP WHEN 'DELETE' THEN OLD ELSE NEW END;
    END IF;
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'an adopted protocol version cannot be deleted'
            USING ERRCODE = 'restrict_violation';
    END IF;
    IF NOT (NEW.status = OLD.status OR (OLD.status = 'adopted' AND NEW.status = 'superseded'))
       OR NEW.protocol_id IS DISTINCT FROM OLD.protocol_id
       OR NEW.adopted_on IS DISTINCT FROM OLD.adopted_on
       OR NEW.approving_body IS DISTINCT FROM OLD.approving_body
       OR (OLD.status = 'superseded' AND NEW.superseded_on IS DISTINCT FROM OLD.superseded_on)
    THEN
        RAISE EXCEPTION 'an adopted protocol version can only be superseded: its status '
            '(%), adoption and protocol do not change', OLD.status
            USING ERRCODE = 'restrict_violation';
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER protocols_version_settled BEFORE UPDATE OR DELETE ON protocols_protocolversion
    FOR EACH ROW EXECUTE FUNCTION protocols_refuse_settled_version_change();
"""

DROP = """
DROP TRIGGER IF EXISTS protocols_version_settled ON protocols_protocolversion;
DROP FUNCTION IF EXISTS protocols_refuse_settled_version_change();
DROP TRIGGER IF EXISTS protocols_clause_settled_insert ON protocols_clause;
DROP TRIGGER IF EXISTS protocols_clause_settled_update ON protocols_clause;
DROP TRIGGER IF EXISTS protocols_clause_settled_delete ON protocols_clause;
DROP FUNCTION IF EXISTS protocols_refuse_settled_clause_change();
"""


class Migration(migrations.Migration):
    dependencies = [("protocols", "0001_initial")]

    operations = [migrations.RunSQL(sql=[CLAUSE_GUARD, VERSION_GUARD], reverse_sql=DROP)]
