"""The API's languages and translations: fields, the ?language= filter, caching."""

import pytest
import reversion
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from articles.models import Article
from articles.translations import link_translation, set_translations
from tests.api.test_views import every_page, get_json
from tests.editing import make_editor
from tests.factories import make_article

pytestmark = pytest.mark.django_db


@pytest.fixture
def trio():
    water = make_article(title="Water", slug="water")
    hans = make_article(title="水", slug="shui", language="zh-Hans")
    hant = make_article(title="水（繁）", slug="shui-hant", language="zh-Hant")
    link_translation(hans, to=water)
    link_translation(hant, to=water)
    make_article(title="Alone", slug="alone", language="fr")
    return water, hans, hant


def link(slug: str, title: str, language: str) -> dict:
    url = f"http://testserver/api/v1/articles/{slug}/"
    return {"slug": slug, "title": title, "language": language, "url": url}


def test_the_list_gives_each_article_its_language_and_translations(trio):
    by_slug = {item["slug"]: item for item in every_page("/api/v1/articles/")}
    assert by_slug["shui"]["language"] == "zh-Hans"
    assert by_slug["shui"]["translations"] == [
        link("water", "Water", "en"),
        link("shui-hant", "水（繁）", "zh-Hant"),
    ]
    assert by_slug["alone"]["translations"] == [] and by_slug["alone"]["language"] == "fr"


def test_the_detail_and_a_revision_give_the_language_and_translations(trio):
    water, hans, _ = trio
    with reversion.create_revision():
        hans.save()
    detail = get_json("/api/v1/articles/shui/")
    assert detail["language"] == "zh-Hans"
    assert detail["translations"] == [
        link("water", "Water", "en"),
        link("shui-hant", "水（繁）", "zh-Hant"),
    ]
    [revision] = every_page("/api/v1/articles/shui/revisions/")
    assert get_json(revision["url"])["translations"] == detail["translations"]


@pytest.mark.parametrize(("query", "slugs"), [
    ("zh-Hans", ["shui"]), ("zh-hans", ["shui"]), ("ZH-HANT", ["shui-hant"]), ("en", ["water"]),
    ("ja", []),
])  # fmt: skip
def test_the_list_filters_by_language(trio, query, slugs):
    results = every_page(f"/api/v1/articles/?language={query}")
    assert [item["slug"] for item in results] == slugs


@pytest.mark.parametrize("junk", ["e n", "<script>", "中文", "x", "a" * 36, "zh-", "'; DROP"])
def test_a_language_that_is_no_tag_is_a_json_400(trio, junk):
    body = get_json(f"/api/v1/articles/?language={junk}", status=400)
    assert body["status"] == 400 and body["detail"].startswith("language: ")
    assert "BCP 47 language tag" in body["detail"]


def test_drafts_are_never_listed_as_translations_even_to_editors(trio):
    water, hans, _ = trio
    Article.objects.filter(pk=hans.pk).update(status=Article.Status.DRAFT)
    client = Client()
    client.force_login(make_editor())
    detail = get_json("/api/v1/articles/water/", client)
    assert [item["slug"] for item in detail["translations"]] == ["shui-hant"]
    assert "shui" not in [t["slug"] for t in get_json("/api/v1/articles/water/")["translations"]]


def test_a_stored_answer_changes_when_a_translation_is_linked(trio, settings):
    settings.PAGE_FRESH_SECONDS = 0
    water, hans, hant = trio
    first = Client().get("/api/v1/articles/water/")
    listed = Client().get("/api/v1/articles/")
    set_translations(water, others=[hans])  # hant unlinked
    again = Client().get("/api/v1/articles/water/", headers={"If-None-Match": first["ETag"]})
    assert again.status_code == 200
    assert [t["slug"] for t in get_json("/api/v1/articles/water/")["translations"]] == ["shui"]
    relisted = Client().get("/api/v1/articles/", headers={"If-None-Match": listed["ETag"]})
    assert relisted.status_code == 200


def test_list_queries_do_not_grow_with_translations(trio):
    client = Client()
    client.force_login(make_editor())

    def queries() -> int:
        client.get("/api/v1/articles/")
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/api/v1/articles/").status_code == 200
        return len(captured)

    before = queries()
    for n, tag in enumerate(["de", "ja", "ko"]):
        link_translation(make_article(title=f"T{n}", slug=f"t{n}", language=tag), to=trio[0])
    assert queries() == before
