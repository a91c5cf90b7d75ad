"""Render cache and conditional GET: a warm page renders nothing, and every write
path (admin saves, section edits, debates, sources, reverts, imports) shows at once."""

import gzip
import logging
import time
import uuid

import brotli
import pytest
import redis
from django.contrib.messages import INFO
from django.contrib.messages.storage.base import Message
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from reversion.models import Version

from articles import caching
from articles.models import Article, Source
from articles.views import history, pages
from miitwiki import cache
from tests.editing import CHANGE_URL, article_form, form_values, make_editor, set_section
from tests.factories import (
    make_argument,
    make_article,
    make_debate,
    make_section,
    make_source,
    save_revision,
)

pytestmark = pytest.mark.django_db

REDIS_TEST_URL = "redis://127.0.0.1:6379/14"


@pytest.fixture
def renders(monkeypatch) -> list:
    """The article states rendered by page views (a cache miss renders one)."""
    calls = []
    real = pages.render_article

    def counting(state, *args, **kwargs):
        calls.append(state)
        return real(state, *args, **kwargs)

    for view_module in (pages, history):
        monkeypatch.setattr(view_module, "render_article", counting)
    return calls


@pytest.fixture
def water():
    make_source("un", title="UN water report")
    article = make_article(lead="Water is wet [@un].")
    make_section(article, heading="Rivers", body="Rivers flow.")
    make_argument(make_debate(article), body="Dams store water.")
    save_revision(article, "Create")
    return article


@pytest.fixture
def editor() -> Client:
    client = Client()
    client.force_login(make_editor())
    return client


@pytest.fixture
def reader(water) -> Client:
    """An anonymous reader whose view of /wiki/water/ is already cached."""
    client = Client()
    html = page(client)
    assert "Rivers flow." in html and "Dams store water." in html and "UN water report" in html
    return client


def page(client: Client, url: str = "/wiki/water/") -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_a_warm_page_renders_no_markdown_and_is_identical(water, renders):
    reader = Client()
    first, second = page(reader), page(reader)
    assert len(renders) == 1
    assert first == second


def test_editors_and_readers_get_their_own_cached_body(water, renders, editor):
    edit_link = f"/admin/articles/article/{water.pk}/section/"
    assert edit_link not in page(Client())
    assert edit_link in page(editor)
    page(Client()), page(editor)
    assert len(renders) == 2


def test_admin_article_save_shows_at_once(water, reader, editor):
    data = set_section(article_form(water), "Rivers", body="Rivers meander.")
    assert editor.post(CHANGE_URL.format(water.pk), data).status_code == 302
    html = page(reader)
    assert "Rivers meander." in html and "Rivers flow." not in html


def test_single_section_save_shows_at_once(water, reader, editor):
    url = f"/admin/articles/article/{water.pk}/section/{water.sections.get().pk}/"
    data = {**form_values(editor.get(url)), "body": "Rivers run dry."}
    assert editor.post(url, data).status_code == 302
    assert "Rivers run dry." in page(reader)


def debate_url(debate_id: int, action: str = "change") -> str:
    return f"/admin/articles/debate/{debate_id}/{action}/"


DEBATE_PAGE = "/wiki/water/debate/dams/"


def test_debate_save_shows_at_once(water, reader, editor):
    assert "Dams store water." in page(reader, DEBATE_PAGE)
    debate = water.debates.get()
    data = form_values(editor.get(debate_url(debate.pk)))
    data.update({"question": "Are dams worth it?", "arguments-0-body": "Dams make power."})
    assert editor.post(debate_url(debate.pk), data).status_code == 302
    for html in [page(reader), page(reader, DEBATE_PAGE)]:
        assert "Are dams worth it?" in html and "Dams make power." in html
        assert "Dams store water." not in html


def test_a_warm_debate_page_renders_no_markdown(water, editor, monkeypatch):
    from articles.views import debates

    calls, real = [], debates.debate_page
    monkeypatch.setattr(
        debates, "debate_page", lambda arguments: calls.append(1) or real(arguments)
    )
    first, second = page(editor, DEBATE_PAGE), page(editor, DEBATE_PAGE)
    assert calls == [1] and first == second and "Dams store water." in second


@pytest.mark.parametrize("url", [DEBATE_PAGE, "/sources/", "/sources/un/"])
def test_debate_and_source_pages_revalidate_with_304(water, url):
    reader = Client()
    first = reader.get(url)
    assert first.status_code == 200 and first["Last-Modified"].endswith("GMT")
    again = reader.get(url, headers={"if-none-match": first["ETag"]})
    assert again.status_code == 304 and again["ETag"] == first["ETag"]


def test_article_and_source_edits_show_on_the_source_pages(water, editor):
    reader = Client()
    assert "Cited 1 time in 1 place" in page(reader, "/sources/un/")
    assert '<td class="num">1</td>' in page(reader, "/sources/")
    save_revision(water, "Cite again", sections={"rivers": "Rivers flow [@un]."})
    assert "Cited 2 times in 2 places" in page(reader, "/sources/un/")
    assert '<td class="num">2</td>' in page(reader, "/sources/")
    url = f"/admin/articles/source/{Source.objects.get(key='un').pk}/change/"
    data = {**form_values(editor.get(url)), "title": "World Water Development Report"}
    assert editor.post(url, data).status_code == 302
    for html in [page(reader, "/sources/"), page(reader, "/sources/un/")]:
        assert "World Water Development Report" in html and "UN water report" not in html


def test_debate_moved_to_another_article_leaves_the_first(water, reader, editor):
    ice = make_article(slug="ice", title="Ice")
    page(reader, "/wiki/ice/")
    debate = water.debates.get()
    data = {**form_values(editor.get(debate_url(debate.pk))), "article": str(ice.pk)}
    assert editor.post(debate_url(debate.pk), data).status_code == 302
    assert "Should dams be built?" not in page(reader)
    assert "Should dams be built?" in page(reader, "/wiki/ice/")


def test_debate_deletion_shows_at_once(water, reader, editor):
    debate = water.debates.get()
    assert editor.post(debate_url(debate.pk, "delete"), {"post": "yes"}).status_code == 302
    assert "Should dams be built?" not in page(reader)


def test_source_edit_shows_on_articles_and_old_revisions(water, reader, editor):
    [revision_id] = Version.objects.get_for_object(water).values_list("revision_id", flat=True)
    revision_url = f"/wiki/water/revision/{revision_id}/"
    assert "UN water report" in page(reader, revision_url)
    url = f"/admin/articles/source/{Source.objects.get(key='un').pk}/change/"
    data = {**form_values(editor.get(url)), "title": "World Water Development Report"}
    assert editor.post(url, data).status_code == 302
    for html in [page(reader), page(reader, revision_url)]:
        assert "World Water Development Report" in html and "UN water report" not in html


def test_source_deletion_shows_the_citation_as_missing(water, reader):
    page(reader)
    # The admin refuses to delete a cited source; one can still go outside it.
    Source.objects.filter(key="un").delete()
    assert 'class="citation-missing"' in page(reader)


def test_revert_from_history_shows_at_once(water, reader):
    first = Version.objects.get_for_object(water).get().revision_id
    save_revision(water, "Rewrite", sections={"rivers": "Rivers freeze."})
    assert "Rivers freeze." in page(reader)
    reverter = Client()
    reverter.force_login(make_editor())
    url = f"/wiki/water/revision/{first}/revert/"
    assert reverter.post(url, {"summary": "Undo"}).status_code == 302
    html = page(reader)
    assert "Rivers flow." in html and "Rivers freeze." not in html


def test_admin_revert_shows_at_once(water, reader, editor):
    first = Version.objects.get_for_object(water).get()
    save_revision(water, "Rewrite", sections={"rivers": "Rivers freeze."})
    assert "Rivers freeze." in page(reader)
    url = f"/admin/articles/article/{water.pk}/history/{first.pk}/"
    assert editor.post(url, form_values(editor.get(url))).status_code == 302
    assert "Rivers flow." in page(reader)


def test_reimport_shows_at_once(water, reader, tmp_path):
    text = tmp_path / "water.md"
    text.write_text("# Water\n\nWater is wet.\n\n## Rivers\n\nRivers were imported.\n")
    call_command("import_article", str(text), slug="water", verbosity=0)
    assert "Rivers were imported." in page(reader)


def test_reader_gets_validators_and_a_public_cache_control(water):
    response = Client().get("/wiki/water/")
    assert response["ETag"].startswith('"') and response["Last-Modified"].endswith("GMT")
    cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"public", "max-age=60"} <= cache_control
    assert "Cookie" in response["Vary"]


@pytest.mark.parametrize(("fresh_seconds", "queries"), [(1, 0), (0, 1)])
def test_revalidation_answers_304_with_at_most_one_query(
    water, settings, django_assert_num_queries, fresh_seconds, queries
):
    settings.PAGE_FRESH_SECONDS = fresh_seconds
    reader = Client()
    first = reader.get("/wiki/water/")
    with django_assert_num_queries(queries):
        again = reader.get("/wiki/water/", headers={"if-none-match": first["ETag"]})
    assert again.status_code == 304 and again.content == b""
    assert again["ETag"] == first["ETag"]
    since = reader.get("/wiki/water/", headers={"if-modified-since": first["Last-Modified"]})
    assert since.status_code == 304


def test_an_edit_changes_the_etag(water):
    reader = Client()
    etag = reader.get("/wiki/water/")["ETag"]
    save_revision(water, "Rewrite", lead="Water is very wet [@un].")
    response = reader.get("/wiki/water/", headers={"if-none-match": etag})
    assert response.status_code == 200 and response["ETag"] != etag
    assert "Water is very wet" in response.content.decode()


def test_signed_in_users_always_get_a_fresh_page(water, editor):
    etag = Client().get("/wiki/water/")["ETag"]
    response = editor.get("/wiki/water/", headers={"if-none-match": etag})
    assert response.status_code == 200
    assert not response.has_header("ETag")
    cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"private", "no-cache", "no-store"} <= cache_control


def test_revision_page_revalidates_until_a_newer_revision_exists(water):
    first = Version.objects.get_for_object(water).get().revision_id
    reader = Client()
    etag = reader.get(f"/wiki/water/revision/{first}/")["ETag"]
    again = reader.get(f"/wiki/water/revision/{first}/", headers={"if-none-match": etag})
    assert again.status_code == 304
    newer = save_revision(water, "Rewrite", lead="New lead.")
    response = reader.get(f"/wiki/water/revision/{first}/", headers={"if-none-match": etag})
    assert response.status_code == 200
    assert f'href="/wiki/water/revision/{newer}/" rel="next"' in response.content.decode()


def test_history_revalidates_until_the_next_revision_and_editors_see_it_fresh(water, editor):
    reader = Client()
    first = reader.get("/wiki/water/history/")
    assert first.status_code == 200 and first.has_header("ETag")
    again = reader.get("/wiki/water/history/", headers={"if-none-match": first["ETag"]})
    assert again.status_code == 304
    assert reader.get("/wiki/water/history/?page=2")["ETag"] != first["ETag"]
    save_revision(water, "Second thoughts", lead="Water is wet.")
    response = reader.get("/wiki/water/history/", headers={"if-none-match": first["ETag"]})
    assert response.status_code == 200
    assert "Second thoughts" in response.content.decode()
    own = editor.get("/wiki/water/history/").content.decode()
    assert "revert to this" in own and "revert to this" not in response.content.decode()


def test_old_revisions_are_not_rendered_again_after_an_edit(water, renders):
    first = Version.objects.get_for_object(water).get().revision_id
    page(Client(), f"/wiki/water/revision/{first}/")
    save_revision(water, "Rewrite", lead="New lead.")
    page(Client(), f"/wiki/water/revision/{first}/")
    assert len(renders) == 1


def test_pages_are_served_when_redis_is_down(water, settings, caplog, monkeypatch):
    settings.CACHES = {
        "default": {
            "BACKEND": "miitwiki.cache.OptionalRedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there
            "OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.25},
        }
    }
    monkeypatch.setattr(cache, "_last_warning", float("-inf"))
    with caplog.at_level(logging.WARNING, logger="miitwiki.cache"):
        for _ in range(2):
            assert "Rivers flow." in page(Client())
    warnings = [r for r in caplog.records if r.name == "miitwiki.cache"]
    assert len(warnings) == 1  # not once per request
    assert "Cache unavailable" in warnings[0].getMessage()


@pytest.fixture
def redis_cache(settings):
    """Django's RedisCache on the local Redis, under a prefix of this test's own."""
    client = redis.Redis.from_url(REDIS_TEST_URL, socket_connect_timeout=0.25)
    try:
        client.ping()
    except redis.RedisError:
        pytest.skip(f"needs Redis at {REDIS_TEST_URL} (CI starts it)")
    prefix = f"test-{uuid.uuid4().hex}"
    settings.CACHES = {
        "default": {
            "BACKEND": "miitwiki.cache.OptionalRedisCache",
            "LOCATION": REDIS_TEST_URL,
            "KEY_PREFIX": prefix,
        }
    }
    yield
    for key in client.scan_iter(match=f"{prefix}:*"):
        client.delete(key)


def test_render_cache_works_on_redis(water, redis_cache, renders):
    first, second = page(Client()), page(Client())
    assert len(renders) == 1 and first == second
    save_revision(water, "Rewrite", lead="Water is very wet [@un].")
    assert "Water is very wet" in page(Client())


def test_a_readers_own_message_is_never_hidden_by_a_shared_page(water, rf):
    page(Client())  # the shared page is cached now
    storage = CookieStorage(rf.get("/"))
    reader = Client()
    reader.cookies[CookieStorage.cookie_name] = storage._encode([Message(INFO, "Welcome back")])
    assert "Welcome back" in page(reader)


def test_another_workers_write_shows_within_the_fresh_window(water, settings):
    settings.PAGE_FRESH_SECONDS = 0.3
    reader = Client()
    assert "Water is wet" in page(reader)
    # A write in another process sends no signal here: like an UPDATE of the row.
    Article.objects.filter(pk=water.pk).update(lead="Water is damp.", updated_at=timezone.now())
    assert "Water is wet" in page(reader)  # served again without a query
    time.sleep(0.35)
    assert "Water is damp." in page(reader)


def test_a_warm_page_within_the_window_needs_no_query(water, django_assert_num_queries):
    reader = Client()
    page(reader)
    with django_assert_num_queries(0):
        assert "Rivers flow." in page(reader)


def fetch(client: Client, encoding: str, url: str = "/wiki/water/", **headers):
    return client.get(url, headers={"accept-encoding": encoding, **headers})


@pytest.mark.parametrize(
    ("encoding", "decompress"), [("gzip", gzip.decompress), ("br", brotli.decompress)]
)
def test_readers_get_the_page_compressed_in_the_coding_they_accept(water, encoding, decompress):
    plain = fetch(Client(), "identity")
    packed = fetch(Client(), f"{encoding}, deflate")
    assert "Content-Encoding" not in plain
    assert packed["Content-Encoding"] == encoding
    assert decompress(packed.content) == plain.content
    assert len(packed.content) < len(plain.content)
    assert "Accept-Encoding" in packed["Vary"] and "Accept-Encoding" in plain["Vary"]
    assert packed["ETag"] != plain["ETag"]


def test_brotli_is_preferred_and_refused_codings_are_not_used(water):
    assert fetch(Client(), "gzip, br")["Content-Encoding"] == "br"
    assert fetch(Client(), "br;q=0, gzip")["Content-Encoding"] == "gzip"
    assert fetch(Client(), "*")["Content-Encoding"] == "br"
    refused = fetch(Client(), "br;q=0, gzip;q=0.0, x;q=junk")
    assert "Content-Encoding" not in refused and b"Rivers flow." in refused.content


@pytest.mark.parametrize(
    "url", ["/wiki/water/", DEBATE_PAGE, "/sources/", "/sources/un/", "/wiki/water/history/"]
)
def test_each_encoding_revalidates_with_its_own_etag(water, url):
    reader = Client()
    gzipped = fetch(reader, "gzip", url)
    assert gzipped["Content-Encoding"] == "gzip"
    again = fetch(reader, "gzip", url, if_none_match=gzipped["ETag"])
    assert again.status_code == 304 and again["ETag"] == gzipped["ETag"]
    # The same validator does not stand for the uncompressed bytes.
    other = fetch(reader, "identity", url, if_none_match=gzipped["ETag"])
    assert other.status_code == 200 and "Content-Encoding" not in other


def test_a_page_is_compressed_once_per_stamp(water, monkeypatch):
    calls = []
    for coding, compress in caching.COMPRESSORS.items():
        monkeypatch.setitem(
            caching.COMPRESSORS, coding, lambda content, c=compress: calls.append(1) or c(content)
        )
    first = fetch(Client(), "gzip").content
    assert all(fetch(Client(), "gzip").content == first for _ in range(3))
    assert fetch(Client(), "br")["Content-Encoding"] == "br"
    assert len(calls) == len(caching.COMPRESSORS)  # once each, on the first request
    save_revision(water, "Rewrite", lead="Water is very wet [@un].")
    assert b"very wet" in gzip.decompress(fetch(Client(), "gzip").content)
    assert len(calls) == 2 * len(caching.COMPRESSORS)


def test_signed_in_pages_and_pages_with_a_query_go_out_uncompressed(water, editor):
    assert "Content-Encoding" not in fetch(editor, "gzip, br")
    assert "Content-Encoding" not in fetch(Client(), "gzip, br", "/wiki/water/history/?page=1")


def test_the_seed_article_goes_out_at_most_a_quarter_of_its_size(seed):
    plain = fetch(Client(), "identity", "/wiki/miit/")
    for coding in ("br", "gzip"):
        packed = fetch(Client(), coding, "/wiki/miit/")
        assert packed["Content-Encoding"] == coding
        assert len(packed.content) <= len(plain.content) / 4
