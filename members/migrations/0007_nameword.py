"""On PostgreSQL, the distinct words of every beneficiary's search text, for the tolerant search.

`members_nameword` holds each folded name word once (a few hundred thousand at national scale
against millions of beneficiaries), with a trigram index: the tolerant tier (members.search) finds
the stored words close to a misspelt query word there, then the beneficiaries bearing those words
by the existing index on `search_text`, instead of scoring the similarity of every beneficiary
whose text shares trigrams with the query (12,500 Filali for *Filaly* in the search bench).

Kept by statement-level triggers on `members_beneficiary`, so every write path keeps it current:
the services, the roster import, the demo's and the bench's COPY. It is only ever added to, and
without a unique constraint, on purpose: a word no one bears any more only costs a candidate that
matches nobody, and two imports adding the same new word at once must not wait for (or deadlock
on) each other's uncommitted row; a rare duplicate is grouped away by the reader. No Django model:
SQLite, the demo's database, has neither triggers of this kind nor pg_trgm and keeps its own rule.
"""

from __future__ import annotations

from django.db import migrations

# Words with a digit are left out: the search text also holds every number (membership, card,
# matricule, CIN), each unique, which would make the table as long as the registry; the tolerant
# tier never tolerates a number anyway.
_WORDS = (
    "SELECT DISTINCT w FROM {rows}, unnest(string_to_array(btrim({rows}.search_text), ' ')) AS w "
    "WHERE w <> '' AND w !~ '[0-9]'"
)

FORWARDS = [
    "CREATE TABLE members_nameword (word text NOT NULL)",
    "INSERT INTO members_nameword (word) " + _WORDS.format(rows="members_beneficiary"),
    "CREATE INDEX members_nameword_word ON members_nameword (word)",
    "CREATE INDEX members_nameword_trgm ON members_nameword USING gin (word gin_trgm_ops)",
    f"""CREATE FUNCTION members_nameword_add() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        INSERT INTO members_nameword (word)
        SELECT w FROM ({_WORDS.format(rows="new_rows")}) AS found
        WHERE NOT EXISTS (SELECT 1 FROM members_nameword n WHERE n.word = found.w);
        RETURN NULL;
    END $$""",  # noqa: S608 (constant SQL: the table names are this module's own)
    # Transition tables cannot name columns (UPDATE OF search_text): every update statement adds
    # its rows' words, an index probe per word when they are known already.
    "CREATE TRIGGER members_beneficiary_nameword_insert AFTER INSERT ON members_beneficiary "
    "REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION members_nameword_add()",
    "CREATE TRIGGER members_beneficiary_nameword_update AFTER UPDATE ON members_beneficiary "
    "REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION members_nameword_add()",
    "ANALYZE members_nameword",
]
BACKWARDS = [
    "DROP TRIGGER IF EXISTS members_beneficiary_nameword_update ON members_beneficiary",
    "DROP TRIGGER IF EXISTS members_beneficiary_nameword_insert ON members_beneficiary",
    "DROP FUNCTION IF EXISTS members_nameword_add()",
    "DROP TABLE IF EXISTS members_nameword",
]


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in FORWARDS:
            schema_editor.execute(statement)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in BACKWARDS:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("members", "0006_number_trgm")]
    operations = [migrations.RunPython(forwards, backwards)]
