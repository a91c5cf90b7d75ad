"""export_article and import_export: an article and its whole history, round-tripped."""

import json

import pytest
import reversion
from django.contrib.auth.models import User
from django.core import serializers
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.test import Client
from reversion.models import Revision, Version

from articles.models import Article, Source
from articles.revisions import revert_article, states_at
from tests.editing import CHANGE_URL, article_form, make_editor, set_section

pytestmark = pytest.mark.django_db


def edit(user, article, summary, **sections):
    """One save through the admin as `user`, changing sections given as {heading: body}."""
    client = Client()
    client.force_login(user)
    data = article_form(Article.objects.get(pk=article.pk), edit_summary=summary)
    for heading, body in sections.items():
        set_section(data, heading, body=body)
    response = client.post(CHANGE_URL.format(article.pk), data)
    assert response.status_code == 302, response.content.decode()[:2000]


@pytest.fixture
def history(seed):
    """The seed article with a history: created, two editors' edits, a deleted section,
    a debate edit and a revert."""
    call_command("createinitialrevisions", comment="Initial version from fixtures", verbosity=0)
    ann, bob = make_editor("ann"), make_editor("bob")
    first, second = [s.heading for s in seed.sections.all()[:2]]
    key = Source.objects.order_by("key").first().key
    edit(ann, seed, "Ann rewrites the start", **{first: f"Rewritten by Ann [@{key}]."})
    edit(bob, seed, "Bob adds a line", **{second: seed.sections.all()[1].body + "\n\nBob's line."})
    client = Client()
    client.force_login(bob)
    data = article_form(Article.objects.get(pk=seed.pk), edit_summary="Bob removes a section")
    data["sections-2-DELETE"] = "on"
    assert client.post(CHANGE_URL.format(seed.pk), data).status_code == 302
    debate = seed.debates.first()
    debate.question = debate.question + " (edited)"
    with reversion.create_revision():
        debate.save()
        reversion.set_user(ann)
        reversion.set_comment("Sharper question")
    oldest = Version.objects.get_for_object(seed).order_by("revision_id").first().revision
    revert_article(seed, oldest, user=ann, summary="Back to the start")
    edit(bob, seed, "Bob again after the revert", **{first: "After the revert."})
    return Article.objects.get(pk=seed.pk)


def rows(objects) -> list[dict]:
    return serializers.serialize("python", objects)


def everything(article) -> dict:
    """Every revision's metadata, stored versions and state, and the rendered pages."""
    revisions = Revision.objects.filter(
        pk__in=Version.objects.get_for_object(article).values("revision_id")
    ).order_by("pk")
    states = states_at(article, [r.pk for r in revisions])
    reader = Client()
    pages = [
        f"/wiki/{article.slug}/",
        f"/wiki/{article.slug}/history/",
        *(f"/wiki/{article.slug}/revision/{r.pk}/" for r in revisions),
        f"/wiki/{article.slug}/diff/?from={revisions.first().pk}&to={revisions.last().pk}",
    ]
    cache.clear()  # pages are rendered from the database, not from a cache
    return {
        "revisions": [
            (
                r.pk,
                r.date_created,
                r.user and r.user.username,
                r.comment,
                sorted(
                    (v.pk, v.content_type.model, v.object_id, v.serialized_data)
                    for v in r.version_set.all()
                ),
            )  # fmt: skip
            for r in revisions
        ],
        "states": {
            pk: rows([s.article, *s.sections, *(d.debate for d in s.debates)])
            + rows([a for d in s.debates for a in d.arguments])
            for pk, s in states.items()
        },
        "pages": {url: reader.get(url).content.decode() for url in pages},
    }


def empty_the_database():
    Version.objects.all().delete()
    Revision.objects.all().delete()
    Article.objects.all().delete()
    Source.objects.all().delete()
    User.objects.all().delete()
    cache.clear()


def test_export_then_import_on_an_empty_database_restores_everything(history, tmp_path):
    before = everything(history)
    assert len(before["revisions"]) == 7
    assert all(page.count("<") > 50 for page in before["pages"].values())
    output = tmp_path / "miit.json"
    call_command("export_article", "miit", output=output, verbosity=0)
    empty_the_database()
    assert not Article.objects.exists() and not Revision.objects.exists()

    call_command("import_export", output, verbosity=0)

    after = everything(Article.objects.get(slug="miit"))
    assert after["revisions"] == before["revisions"]
    assert after["states"] == before["states"]
    for url, html in before["pages"].items():
        assert after["pages"][url] == html, url
    assert not User.objects.get(username="ann").is_active  # names kept, no login
    # New rows get new ids after the restored ones.
    edit(make_editor("cy"), history, "After the restore", **{"History and mandate": "New."})


def test_export_file_holds_history_sources_debates_and_a_markdown_text(history, tmp_path):
    output = tmp_path / "out.json"
    call_command("export_article", "miit", output=output, verbosity=0)
    data = json.loads(output.read_text())
    assert [r["comment"] for r in data["revisions"]][-2:] == [
        f"Reverted to revision {data['revisions'][0]['id']} of "
        + data["revisions"][-2]["comment"].split(" of ", 1)[1],
        "Bob again after the revert",
    ]
    assert {r["user"] for r in data["revisions"]} >= {"ann", "bob"}
    models = {row["model"] for row in data["objects"]}
    assert models == {
        "articles.article",
        "articles.section",
        "articles.debate",
        "articles.argument",
    }
    assert len(data["sources"]) == Source.objects.count() == 34
    text = output.with_suffix(".md").read_text()
    assert text.startswith("# Miit\n\n") and "\n## Sources\n" in text
    assert "\n## History and mandate\n\nAfter the revert.\n" in text


def test_import_refuses_to_overwrite_and_changes_nothing(history, tmp_path):
    output = tmp_path / "miit.json"
    call_command("export_article", "miit", output=output, verbosity=0)
    revisions = Revision.objects.count()
    with pytest.raises(CommandError, match="already has part of it: an article with slug"):
        call_command("import_export", output, verbosity=0)
    assert Revision.objects.count() == revisions
    (tmp_path / "bad.json").write_text('{"format": "something else"}')
    with pytest.raises(CommandError, match="not a miitwiki-article-export file"):
        call_command("import_export", tmp_path / "bad.json", verbosity=0)
    with pytest.raises(CommandError, match="No article has the slug"):
        call_command("export_article", "nothing-here", output=output, verbosity=0)
