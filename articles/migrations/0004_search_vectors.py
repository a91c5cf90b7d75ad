"""PostgreSQL full-text search: a trigger-filled `search_vector` column and GIN index
on articles, sections, arguments and sources (see articles/search/postgres.py).

Other databases get nothing: their search does not use it. The column is not a
model field, so the migration state does not change.
"""

from django.db import migrations

from articles.search import postgres


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0003_source_updated_at"),
    ]

    operations = [
        migrations.RunPython(postgres.install, postgres.uninstall),
    ]
