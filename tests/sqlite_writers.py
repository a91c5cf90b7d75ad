"""Six editors save different sections of one article at the same moment, on a SQLite file.

Run by tests/test_sqlite_writers.py in a process of its own (`python -m
tests.sqlite_writers`), with DATABASE_URL naming a fresh SQLite file: the test
suite's own SQLite database lives in memory, where SQLite locks differently.
Prints one JSON object: each editor's status code, the bodies saved, the journal mode.
"""

import json
import threading

import django

EDITORS = 6


def main() -> None:
    django.setup()
    import reversion
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from articles.models import Section
    from tests.editing import form_values, make_editor
    from tests.factories import make_article, make_section

    call_command("migrate", verbosity=0)
    with reversion.create_revision():  # the revision the editors' forms stand on
        article = make_article(lead="Lead.")
        sections = [make_section(article, heading=f"Part {n}", body="Old.") for n in range(EDITORS)]
    editor = make_editor()
    forms, start, statuses = [], threading.Barrier(EDITORS), {}
    for section in sections:
        client = Client(raise_request_exception=False)
        client.force_login(editor)
        url = f"/admin/articles/article/{article.pk}/section/{section.pk}/"
        forms.append((client, url, {**form_values(client.get(url)), "body": f"New {section.pk}."}))

    def save(client, url, data) -> None:
        start.wait()
        statuses[url] = client.post(url, data).status_code

    threads = [threading.Thread(target=save, args=form) for form in forms]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    bodies = sorted(Section.objects.filter(article=article).values_list("body", flat=True))
    with connection.cursor() as cursor:
        journal = cursor.execute("PRAGMA journal_mode").fetchone()[0]
    outcome = {"statuses": sorted(statuses.values()), "bodies": bodies, "journal": journal}
    print(json.dumps(outcome))  # noqa: T201


if __name__ == "__main__":
    main()
