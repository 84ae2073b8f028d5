"""On PostgreSQL, the database itself refuses to change or delete an audit row.

The ORM refuses too (AuditEvent.save/delete, its QuerySet's update/delete), but raw SQL and other
clients do not go through it. An UPDATE passes only inside audit.scrub.audit_scrub_allowed(),
which sets `mutuelle.audit_scrub` for its transaction; a DELETE never does. TRUNCATE (the test
suite's flush) fires no row trigger. Runs after the data migrations that rewrote audit rows
(audit 0002, claims 0008).
"""

from __future__ import annotations

from typing import Any

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION audit_auditevent_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND coalesce(current_setting('mutuelle.audit_scrub', true), '') = 'on' THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'audit_auditevent is append-only: % refused', TG_OP
        USING ERRCODE = 'restrict_violation';
END
$$;
CREATE TRIGGER audit_auditevent_append_only BEFORE UPDATE OR DELETE ON audit_auditevent
    FOR EACH ROW EXECUTE FUNCTION audit_auditevent_append_only();
"""
DROP = """
DROP TRIGGER IF EXISTS audit_auditevent_append_only ON audit_auditevent;
DROP FUNCTION IF EXISTS audit_auditevent_append_only();
"""


def _on_postgresql(sql: str) -> Any:
    def run(apps: Any, schema_editor: Any) -> None:
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [("audit", "0003_action_vocabulary"), ("claims", "0008_claimtransition_medical")]

    operations = [migrations.RunPython(_on_postgresql(CREATE), _on_postgresql(DROP), elidable=False)]
