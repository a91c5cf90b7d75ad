"""Search that understands Chinese: the vectors of 0004 made again with folded text
(simplified and traditional alike) and Han characters and pairs (see
articles/search/han.py). Installing is idempotent: the functions and triggers are
replaced and every vector recomputed.
"""

from django.db import migrations

from articles.search import postgres


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0009_reliability_register"),
    ]

    operations = [
        # Going back leaves the new vectors, which the older code reads as well.
        migrations.RunPython(postgres.install, migrations.RunPython.noop),
    ]
