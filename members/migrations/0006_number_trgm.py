"""On PostgreSQL, trigram indexes make the claim list's search by part of a card or membership
number (`card_number LIKE %0012%`, claims.selectors_list._text_match) index scans; no-op elsewhere.

A RunPython, as 0002 and claims 0011: SQLite has neither GIN nor pg_trgm. The unique b-tree
indexes on these columns only serve equality and prefixes, not a part in the middle.
"""

from __future__ import annotations

from django.db import migrations

INDEXES = {
    "members_beneficiary_card_number_trgm": ("members_beneficiary", "card_number"),
    "members_member_membership_number_trgm": ("members_member", "membership_number"),
}


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, (table, column) in INDEXES.items():
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin ({column} gin_trgm_ops)")


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("members", "0005_field_labels")]
    operations = [migrations.RunPython(forwards, backwards)]
