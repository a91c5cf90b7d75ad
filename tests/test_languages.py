"""Content languages and linked translations: tags, the model, pages, the sitemap,
stamps and query counts (the admin, imports and the API have their own files)."""

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import reversion
from django.contrib.staticfiles import finders
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from articles.languages import language_name, normalize_tag, text_direction
from articles.models import Article, TranslationGroup, TranslationMember
from articles.revisions import revert_article
from articles.stamps import article_stamp, wiki_stamp
from articles.translations import link_translation, set_translations, translations_of
from tests.factories import make_article, make_big_article, make_debate, make_section

pytestmark = pytest.mark.django_db

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"


def make_trio() -> tuple[Article, Article, Article]:
    """Water in English, Simplified and Traditional Chinese, linked."""
    water = make_article(title="Water", slug="water")
    hans = make_article(title="水", slug="shui", language="zh-Hans")
    hant = make_article(title="水（繁體）", slug="shui-hant", language="zh-Hant")
    link_translation(hans, to=water)
    link_translation(hant, to=hans)
    return water, hans, hant


# --- Tags -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("given", "stored"),
    [("en", "en"), ("zh-hans", "zh-Hans"), ("ZH-HANT-tw", "zh-Hant-TW"),
     ("zh_Hans_CN", "zh-Hans-CN"), ("sr-latn-rs", "sr-Latn-RS"), ("en-US-x-twain", "en-US-x-twain"),
     ("de-CH-1996", "de-CH-1996"), (" ja ", "ja")],
)  # fmt: skip
def test_tags_are_stored_as_bcp_47_writes_them(given, stored):
    article = make_article(language=given)
    article.full_clean()
    assert article.language == stored
    assert normalize_tag(given) == stored


@pytest.mark.parametrize(
    "junk", ["", "x", "e n", "english!", "<script>", "zh-", "-zh", "toolongtag", "a" * 40, "中文"]
)
def test_a_language_that_is_no_bcp_47_tag_is_refused(junk):
    article = Article(title="Water", slug="water", language=junk)
    with pytest.raises(ValidationError) as error:
        article.full_clean()
    assert "language" in error.value.message_dict


def test_a_new_article_is_in_english_unless_told():
    assert make_article().language == "en"


@pytest.mark.parametrize(
    ("tag", "direction", "name"),
    [("en", "ltr", "English"), ("zh-Hans", "ltr", "简体中文"), ("zh-Hant-TW", "ltr", "繁體中文"),
     ("ar", "rtl", "العربيّة"), ("az-Arab", "rtl", "Azərbaycanca"), ("ar-Latn", "ltr", "العربيّة"),
     ("he", "rtl", "עברית"), ("qaa", "ltr", "qaa")],
)  # fmt: skip
def test_each_language_has_a_direction_and_its_own_name(tag, direction, name):
    assert text_direction(tag) == direction
    assert language_name(tag) == name


# --- Groups -----------------------------------------------------------------------


def test_links_are_symmetric_and_transitive():
    water, hans, hant = make_trio()
    assert translations_of(water) == [hans, hant]
    assert translations_of(hans) == [water, hant]
    assert translations_of(hant) == [water, hans]
    assert TranslationGroup.objects.count() == 1


def test_linking_an_article_brings_its_own_translations_along():
    water, hans = make_article(), make_article(title="水", slug="shui", language="zh-Hans")
    fire = make_article(title="Fire", slug="fire", language="fr")
    ja = make_article(title="火", slug="hi", language="ja")
    link_translation(hans, to=water)
    link_translation(ja, to=fire)
    set_translations(water, others=[hans, fire])
    assert translations_of(ja) == [water, fire, hans]
    assert TranslationGroup.objects.count() == 1


def test_unlinking_leaves_the_others_linked_and_drops_a_group_of_one():
    water, hans, hant = make_trio()
    set_translations(hant, others=[])
    assert translations_of(hant) == []
    assert translations_of(water) == [hans]
    set_translations(water, others=[])
    assert not TranslationGroup.objects.exists() and not TranslationMember.objects.exists()


def test_those_unlinked_together_stay_translations_of_each_other():
    water, hans, hant = make_trio()
    set_translations(water, others=[])
    assert translations_of(water) == [] and translations_of(hans) == [hant]
    link_translation(water, to=hans)
    set_translations(water, others=[hans])  # only hant is unlinked, from both
    assert translations_of(hant) == [] and translations_of(hans) == [water]


def test_a_group_holds_one_article_per_language():
    water, hans, _ = make_trio()
    other = make_article(title="Wasser", slug="wasser", language="zh-Hans")
    with pytest.raises(ValidationError, match="both in zh-Hans"):
        link_translation(other, to=water)
    assert translations_of(other) == [] and len(translations_of(water)) == 2


def test_a_revert_keeps_the_links_and_deleting_an_article_unlinks_it(editor_client):
    water, hans, hant = make_trio()
    with reversion.create_revision():
        water.save()
    first = reversion.models.Version.objects.get_for_object(water).get().revision
    with reversion.create_revision():
        water.title = "Water!"
        water.save()
    revert_article(water, first, user=None)
    assert translations_of(water) == [hans, hant]
    hant.delete()
    assert translations_of(water) == [hans]


# --- Pages ------------------------------------------------------------------------


def test_article_page_marks_its_content_with_its_language():
    article = make_article(title="水", language="zh-Hans", lead="水是生命。")
    make_section(article, heading="河流", body="河流。")
    make_debate(article, question="要建坝吗？")
    html = Client().get("/wiki/water/").content.decode()
    marked = 'lang="zh-Hans" dir="ltr"'
    assert f"<h1 {marked}>水</h1>" in html
    assert f'<div class="lead" {marked}>' in html
    assert re.search(rf'<section id="河流" [^>]*{marked}>', html)
    assert f'<div class="article-debates" {marked}>' in html


def test_right_to_left_content_gets_dir_rtl():
    make_article(title="ماء", language="ar")
    assert '<h1 lang="ar" dir="rtl">ماء</h1>' in Client().get("/wiki/water/").content.decode()


def test_page_links_each_translation_and_itself_with_hreflang_and_a_switcher():
    make_trio()
    make_article(title="Draft", slug="draft", language="fr", status=Article.Status.DRAFT)
    html = Client().get("/wiki/shui/").content.decode()
    alternates = re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">', html)
    assert alternates == [
        ("en", "http://testserver/wiki/water/"),
        ("zh-Hans", "http://testserver/wiki/shui/"),
        ("zh-Hant", "http://testserver/wiki/shui-hant/"),
    ]
    switcher = re.search(r'<nav class="language-switcher".*?</nav>', html, re.S).group()
    assert '<span aria-current="page" lang="zh-Hans" dir="ltr">简体中文</span>' in switcher
    english = r'<a href="/wiki/water/" rel="alternate" hreflang="en" lang="en"[^>]*>English</a>'
    assert re.search(english, switcher)
    assert 'href="/wiki/shui-hant/"' in switcher and "繁體中文" in switcher
    assert "draft" not in switcher


def test_an_article_without_translations_has_no_switcher_nor_alternates():
    make_article()
    html = Client().get("/wiki/water/").content.decode()
    assert "language-switcher" not in html and 'rel="alternate"' not in html


def test_draft_translations_are_not_linked_from_public_pages():
    water, hans, _ = make_trio()
    Article.objects.filter(pk=hans.pk).update(status=Article.Status.DRAFT)
    html = Client().get("/wiki/water/").content.decode()
    assert "/wiki/shui/" not in html and 'hreflang="zh-Hant"' in html


def test_the_article_list_shows_each_language():
    make_trio()
    html = Client().get("/").content.decode()
    assert re.search(r'<a href="/wiki/shui/" hreflang="zh-Hans" lang="zh-Hans"[^>]*>水</a>', html)
    assert '<span class="article-language" lang="zh-Hans" title="zh-Hans">简体中文</span>' in html
    assert '<span class="article-language" lang="en" title="en">English</span>' in html


def test_linked_data_says_the_article_language():
    make_article(title="水", language="zh-Hans")
    html = Client().get("/wiki/water/").content.decode()
    script = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    data = json.loads(script[1])
    assert data["inLanguage"] == "zh-Hans"


def test_the_stylesheet_has_cjk_fallbacks_and_no_web_fonts():
    text = Path(finders.find("articles/site.css")).read_text(encoding="utf-8")
    assert '"Noto Sans CJK SC"' in text and '"PingFang TC"' in text and ":lang(zh-Hant)" in text
    assert "@font-face" not in text and "@import" not in text and "url(" not in text


# --- Sitemap ----------------------------------------------------------------------


def test_sitemap_lists_the_same_alternates_as_the_pages():
    make_trio()
    make_article(title="Alone", slug="alone")
    root = ET.fromstring(Client().get("/sitemap.xml").content)  # noqa: S314 - our own sitemap
    entries = {
        url.findtext(f"{SITEMAP}loc"): [
            (link.get("rel"), link.get("hreflang"), link.get("href"))
            for link in url.findall(f"{XHTML}link")
        ]
        for url in root.findall(f"{SITEMAP}url")
    }
    expected = [
        ("alternate", "en", "http://testserver/wiki/water/"),
        ("alternate", "zh-Hans", "http://testserver/wiki/shui/"),
        ("alternate", "zh-Hant", "http://testserver/wiki/shui-hant/"),
    ]
    for slug in ("water", "shui", "shui-hant"):
        assert entries[f"http://testserver/wiki/{slug}/"] == expected
        page = Client().get(f"/wiki/{slug}/").content.decode()
        links = re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">', page)
        assert [("alternate", *link) for link in links] == expected
    assert entries["http://testserver/wiki/alone/"] == []


def test_sitemap_queries_do_not_grow_with_articles_or_translations():
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert Client().get("/sitemap.xml").status_code == 200
        return len(captured)

    make_trio()
    before = queries()
    for n in range(4):
        english = make_article(title=f"E{n}", slug=f"e{n}")
        link_translation(make_article(title=f"Z{n}", slug=f"z{n}", language="zh-Hans"), to=english)
    assert queries() == before


# --- Stamps and caching -----------------------------------------------------------


def stamps(*slugs) -> list[str]:
    return [article_stamp(slug).digest for slug in slugs]


def test_linking_unlinking_and_renaming_change_every_linked_page_stamp():
    water, hans, hant = make_trio()
    slugs = ("water", "shui", "shui-hant")
    before = stamps(*slugs)
    wiki_before = wiki_stamp().digest

    set_translations(hant, others=[])  # unlink one
    after_unlink = stamps(*slugs)
    assert all(a != b for a, b in zip(before, after_unlink, strict=True))
    assert wiki_stamp().digest != wiki_before

    link_translation(hant, to=water)  # link it again
    after_link = stamps(*slugs)
    assert all(a != b for a, b in zip(after_unlink, after_link, strict=True))

    hans.title = "水 (renamed)"  # a translation renamed
    hans.save()
    after_rename = stamps(*slugs)
    assert all(a != b for a, b in zip(after_link, after_rename, strict=True))

    hant.delete()  # a translation deleted
    assert all(a != b for a, b in zip(after_rename[:2], stamps("water", "shui"), strict=True))


def test_no_stale_switcher_is_served_after_a_link_or_a_rename(settings):
    settings.PAGE_FRESH_SECONDS = 0  # served again only after the stamp is read
    water, hans, _ = make_trio()
    reader = Client()
    assert "水（繁體）" in reader.get("/wiki/water/").content.decode()
    hant = Article.objects.get(slug="shui-hant")
    hant.title = "Renamed"
    hant.save()
    assert 'title="Renamed"' in reader.get("/wiki/water/").content.decode()
    set_translations(water, others=[hant])  # hans unlinked from water
    page = reader.get("/wiki/water/").content.decode()
    assert "/wiki/shui/" not in page
    assert "/wiki/water/" not in reader.get("/wiki/shui/").content.decode().split("<main")[1]


def page_queries(client, slug: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(f"/wiki/{slug}/").status_code == 200
    return len(captured)


@pytest.mark.parametrize("signed_in", [False, True])
def test_article_page_queries_do_not_grow_with_translations(signed_in, settings):
    settings.PAGE_FRESH_SECONDS = 0  # count the stamp's query on warm anonymous views too
    from tests.editing import make_editor

    small = make_big_article("small", sections=3, sources=2, debates=1)
    large = make_big_article("large", sections=30, sources=20, debates=5)
    link_translation(make_article(title="S", slug="small-zh", language="zh-Hans"), to=small)
    for n, tag in enumerate(["zh-Hans", "zh-Hant", "ja", "ko", "fr", "de"]):
        link_translation(make_article(title=f"L{n}", slug=f"large-{n}", language=tag), to=large)
    client = Client()
    if signed_in:
        client.force_login(make_editor())
    cold = [page_queries(client, slug) for slug in ("small", "large")]
    warm = [page_queries(client, slug) for slug in ("small", "large")]
    assert cold[0] == cold[1] <= 11
    assert warm[0] == warm[1] < cold[0]


def test_debate_page_marks_the_question_and_arguments_with_the_article_language():
    article = make_article(title="ماء", language="ar")
    make_debate(article, question="هل نبني السدود؟", summary="ملخص")
    html = Client().get("/wiki/water/debate/dams/").content.decode()
    assert '<h1 lang="ar" dir="rtl">هل نبني السدود؟</h1>' in html
    assert '<p class="debate-page__summary" lang="ar" dir="rtl">ملخص</p>' in html
    assert '<div class="debate-page__board" lang="ar" dir="rtl">' in html


def test_a_fixture_linking_translations_loads_twice_without_a_second_link(tmp_path):
    from django.core.management import call_command

    make_article(), make_article(title="水", slug="shui", language="zh-Hans")
    fixture = tmp_path / "links.json"
    group = {"changed_at": "2026-01-01T00:00:00Z"}
    fixture.write_text(json.dumps([
        {"model": "articles.translationgroup", "pk": 7, "fields": group},
        {"model": "articles.translationmember", "fields": {"article": ["water"], "group": 7}},
        {"model": "articles.translationmember", "fields": {"article": ["shui"], "group": 7}},
    ]), encoding="utf-8")  # fmt: skip
    for _ in range(2):
        call_command("loaddata", str(fixture), verbosity=0)
    assert TranslationMember.objects.count() == 2
    assert [a.slug for a in translations_of(Article.objects.get(slug="water"))] == ["shui"]
