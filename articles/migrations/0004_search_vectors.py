"""PostgreSQL full-text search: a trigger-filled `search_vector` column and GIN index
on articles, sections, arguments and sources (see articles/search.py).

Other databases get nothing: their search does not use it. The column is not a
model field, so the migration state does not change.
"""

from django.db import migrations

from articles import search


def install(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in search.install_statements():
            schema_editor.execute(statement)


def uninstall(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in search.uninstall_statements():
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0003_source_updated_at"),
    ]

    operations = [
        migrations.RunPython(install, uninstall),
    ]
