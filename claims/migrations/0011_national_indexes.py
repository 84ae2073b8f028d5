"""On PostgreSQL, a trigram index makes the search by part of a file number (`number LIKE %0012%`,
claims.selectors_list._text_match) an index scan instead of reading every file; no-op elsewhere.

A RunPython rather than a GinIndex in the model's Meta: SQLite has neither GIN nor pg_trgm, and
the migration must run there unchanged (as members 0002). Parts shorter than 3 characters have no
trigram and still read the whole index: the search asks for a digit, and numbers are long.
"""

from __future__ import annotations

from django.db import migrations

INDEX = "claims_claimfile_number_trgm"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {INDEX} ON claims_claimfile USING gin (number gin_trgm_ops)")


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("claims", "0010_model_names"), ("members", "0002_search_trigram")]
    operations = [migrations.RunPython(forwards, backwards)]
