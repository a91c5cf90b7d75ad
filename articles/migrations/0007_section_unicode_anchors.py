"""Section anchors may keep a Chinese heading's characters (articles/anchors.py).

Only the field's validation changes: the column is the same varchar(120), so the
database is left alone (on SQLite an AlterField would copy the whole table).
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0006_article_provenance"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="section",
                    name="anchor",
                    field=models.SlugField(
                        allow_unicode=True,
                        blank=True,
                        help_text="Stable link target; filled from the heading when left "
                        "empty and kept when the heading changes.",
                        max_length=120,
                    ),
                ),
            ],
        ),
    ]
