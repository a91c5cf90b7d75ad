"""PostgreSQL full-text search: a trigger-filled `search_vector` column and GIN index
on articles, sections, arguments and sources (see articles/search/postgres.py).

Other databases get nothing: their search does not use it. The column is not a
model field, so the migration state does not change.
"""

from django.db import migrations

from articles.search import postgres


def install(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in postgres.install_statements(apps):
            schema_editor.execute(statement)


def uninstall(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in postgres.uninstall_statements(apps):
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0003_source_updated_at"),
    ]

    operations = [
        migrations.RunPython(install, uninstall),
    ]
