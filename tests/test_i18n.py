"""The interface in Simplified Chinese: every string translated, the language chosen
by Accept-Language or the picker's cookie, and cached pages kept per language."""

import gzip
import re
import shutil
import subprocess
import sys

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from reversion.models import Version

from articles.models import Article
from tests.catalogues import CATALOGUE, DOMAINS, MESSAGES, ROOT, msgfmt, translated_msgids
from tests.factories import make_article

ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-CN,zh;q=0.9,en;q=0.5"}
EN = {"HTTP_ACCEPT_LANGUAGE": "en-GB,en;q=0.9"}
SOURCES_OF_STRINGS = ("articles", "miitwiki", "templates", "manage.py")


def extracted_msgids(tmp_path, domain: str) -> set[str]:
    """Every msgid `makemessages` finds in the sources, read from a fresh catalogue made
    in a copy of them (the committed one is left alone)."""
    copy = tmp_path / "project"
    for name in SOURCES_OF_STRINGS:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, copy / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy(source, copy / name)
    (copy / "locale").mkdir()
    done = subprocess.run(  # noqa: S603 - our own manage.py
        [sys.executable, "manage.py", "makemessages", "-d", domain, "-l", "zh_Hans", "--no-wrap"],
        cwd=copy,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    fresh = copy / "locale" / "zh_Hans" / "LC_MESSAGES" / f"{domain}.po"
    # msgen fills each msgstr with its msgid, so that the compiled form lists them all.
    english = tmp_path / "english.po"
    done = subprocess.run(  # noqa: S603
        ["msgen", "-o", str(english), str(fresh)],  # noqa: S607 - gettext's tool
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert msgfmt(english, tmp_path / "english.mo").returncode == 0
    return translated_msgids(tmp_path / "english.mo")


def untranslated(wanted: set[str], catalogue, tmp_path) -> list[str]:
    """Those of `wanted` that `catalogue` does not translate (missing, empty or fuzzy)."""
    compiled = tmp_path / f"{catalogue.stem}-checked.mo"
    assert msgfmt(catalogue, compiled).returncode == 0
    return sorted(wanted - translated_msgids(compiled))


@pytest.mark.parametrize("domain", DOMAINS)
def test_every_interface_string_has_a_chinese_translation(tmp_path, domain):
    """Fails with the exact msgids that have no translation (missing from the
    catalogue, empty or fuzzy): run `make messages`, translate them, commit the .po."""
    wanted = extracted_msgids(tmp_path, domain)
    catalogue = MESSAGES / f"{domain}.po"
    missing = untranslated(wanted, catalogue, tmp_path)
    assert len(wanted) > {"django": 300, "djangojs": 5}[domain]  # the extraction worked
    assert not missing, (
        f"{len(missing)} interface string(s) have no Simplified Chinese translation in "
        f"{catalogue.relative_to(ROOT)} (missing, empty or fuzzy; `context|msgid` when "
        "they have a context). Run `make messages`, translate them, and commit the .po:\n"
        + "\n".join(f"  {msgid!r}" for msgid in missing)
    )


@pytest.mark.parametrize("domain", DOMAINS)
def test_the_catalogue_passes_msgfmt_check(tmp_path, domain):
    done = msgfmt(MESSAGES / f"{domain}.po", tmp_path / "checked.mo", "--check", "--statistics")
    assert done.returncode == 0, done.stderr
    assert "untranslated" not in done.stderr and "fuzzy" not in done.stderr, done.stderr


def test_the_check_names_empty_fuzzy_and_missing_translations(tmp_path):
    text = CATALOGUE.read_text()
    wanted = {"Recent changes", "Sources", "compare revisions|From", "A string from a new branch"}
    assert untranslated(wanted, CATALOGUE, tmp_path) == ["A string from a new branch"]
    changed = re.sub(r'(msgid "Recent changes"\nmsgstr )"[^"]*"', r'\1""', text)
    changed = changed.replace('msgid "Sources"\n', '#, fuzzy\nmsgid "Sources"\n')
    changed = changed.replace('msgctxt "compare revisions"\nmsgid "From"', 'msgid "From"')
    assert changed.count("#, fuzzy") == text.count("#, fuzzy") + 1
    catalogue = tmp_path / "changed.po"
    catalogue.write_text(changed)
    assert untranslated(wanted, catalogue, tmp_path) == [
        "A string from a new branch",
        "Recent changes",
        "Sources",
        "compare revisions|From",
    ]


@pytest.fixture
def wiki(seed) -> Article:
    call_command("createinitialrevisions", comment="Initial version", verbosity=0)
    return seed


PUBLIC_PAGES = {
    "/": ["条目", "最近更改", "来源", "搜索"],
    "/wiki/miit/": ["阅读", "历史", "参考资料", "目录", "引用此页", "最后编辑于", "支持方"],
    "/wiki/miit/history/": ["的历史", "比较选定版本", "修订版本", "摘要"],
    "/recent/": ["最近更改", "所有条目的最新编辑", "首个版本"],
    "/sources/": ["来源", "被引用次数", "出版者"],
    "/sources/state-council-reform-plan-2008/": ["引用此来源的内容", "引用方式"],
    "/wiki/miit/debate/regulatory-framework/": ["辩论", "平衡", "批评方"],
    "/search/?q=ministry": ["搜索", "条目"],
}


@pytest.mark.django_db
@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_public_pages_speak_chinese_to_a_chinese_browser(client, wiki, url):
    page = client.get(url, **ZH)
    html = page.content.decode()
    assert page.status_code == 200
    assert '<html lang="zh-hans">' in html
    assert page["Content-Language"] == "zh-hans"
    for text in PUBLIC_PAGES[url]:
        assert text in html, text
    # The header's English words are gone (the content may be English).
    for english in ("Recent changes", "Skip to content", "Search MiitWiki"):
        assert english not in html, english


@pytest.mark.django_db
def test_dates_follow_the_interface_language(client, wiki):
    updated = Version.objects.get_for_object(wiki).latest("revision_id").revision.date_created
    chinese = client.get("/wiki/miit/history/", **ZH).content.decode()
    english = client.get("/wiki/miit/history/", **EN).content.decode()
    assert f"{updated.year}年{updated.month}月{updated.day}日" in chinese
    assert f"{updated.day} {updated:%b %Y}" in english
    recent = client.get("/recent/", **ZH).content.decode()
    assert f"{updated.year}年{updated.month}月{updated.day}日" in recent


@pytest.mark.django_db
def test_error_pages_and_feeds_are_translated(client, wiki):
    missing = client.get("/wiki/no-such-article/", **ZH)
    assert missing.status_code == 404 and "找不到页面" in missing.content.decode()
    feed = client.get("/recent/feed/", **ZH).content.decode()
    assert "MiitWiki：最近更改" in feed
    assert "差异" not in client.get("/wiki/miit/", **EN).content.decode()


@pytest.mark.django_db
def test_english_stays_the_default(client, wiki):
    for headers in ({}, {"HTTP_ACCEPT_LANGUAGE": "fr-FR,de;q=0.8"}, EN):
        html = client.get("/", **headers).content.decode()
        assert '<html lang="en">' in html and "Recent changes" in html


def language_of(response) -> str:
    return re.search(r'<html lang="([^"]+)"', response.content.decode())[1]


@pytest.mark.django_db
@pytest.mark.parametrize("order", [("en", "zh-hans"), ("zh-hans", "en")])
@pytest.mark.parametrize(
    "url", ["/wiki/miit/", "/wiki/miit/history/", "/sources/", "/wiki/miit/revision/{rev}/"]
)
def test_the_cache_never_gives_one_language_the_other_languages_page(client, wiki, order, url):
    """Pages stored for anonymous readers (whole pages, the recent-page fast path,
    the fragments of the body) and their ETags are kept per language."""
    url = url.format(rev=wiki_revision(wiki))
    headers = {"en": EN, "zh-hans": ZH}
    etags = {}
    for _ in range(2):  # cold, then from the stores
        for language in order:
            page = client.get(url, **headers[language])
            assert page.status_code == 200
            assert language_of(page) == language
            html = page.content.decode()
            assert ("最近更改" in html) == (language == "zh-hans")  # the page's own words
            if "/history/" not in url and url != "/sources/":  # the cached article body
                assert ("参考资料" in html) == (language == "zh-hans")
            assert etags.setdefault(language, page["ETag"]) == page["ETag"]
            vary = {v.strip() for v in page["Vary"].split(",")}
            assert {"Accept-Language", "Cookie"} <= vary
    assert etags["en"] != etags["zh-hans"]
    for language in order:
        other = "en" if language == "zh-hans" else "zh-hans"
        same = client.get(url, HTTP_IF_NONE_MATCH=etags[language], **headers[language])
        assert same.status_code == 304
        # A reader whose cached copy is in the other language gets a fresh page.
        changed = client.get(url, HTTP_IF_NONE_MATCH=etags[other], **headers[language])
        assert changed.status_code == 200 and language_of(changed) == language


def wiki_revision(article: Article) -> int:
    return Version.objects.get_for_object(article).latest("revision_id").revision_id


@pytest.mark.django_db
def test_compressed_pages_are_kept_per_language_too(client, wiki):
    for accept, word in ((EN, "References"), (ZH, "参考资料"), (EN, "References")):
        page = client.get("/wiki/miit/", HTTP_ACCEPT_ENCODING="gzip", **accept)
        assert page["Content-Encoding"] == "gzip"
        assert word in gzip.decompress(page.content).decode()


@pytest.mark.django_db
def test_a_warm_chinese_page_costs_the_queries_of_a_warm_english_page(client, wiki, settings):
    settings.PAGE_FRESH_SECONDS = 0  # count the stamp's check, not the recent-page path
    counts = {}
    for name, headers in (("en", EN), ("zh", ZH)):
        client.get("/wiki/miit/", **headers)
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/wiki/miit/", **headers).status_code == 200
        counts[name] = len(queries)
    assert counts["en"] == counts["zh"] <= 2


@pytest.mark.django_db
def test_the_picker_remembers_the_choice_in_a_cookie(client, wiki):
    chosen = client.post("/language/", {"language": "zh-hans", "next": "/recent/"}, **EN)
    assert chosen.status_code == 302 and chosen["Location"] == "/recent/"
    assert chosen.cookies["django_language"].value == "zh-hans"
    assert chosen.cookies["django_language"]["httponly"]
    # The cookie outweighs the browser's Accept-Language, on cached pages too.
    for url in ("/recent/", "/wiki/miit/", "/wiki/miit/"):
        assert language_of(client.get(url, **EN)) == "zh-hans"
    client.post("/language/", {"language": "en", "next": "/wiki/miit/"}, **ZH)
    assert language_of(client.get("/wiki/miit/", **ZH)) == "en"


@pytest.mark.django_db
def test_the_picker_is_on_every_public_page_and_marks_the_current_language(client, wiki):
    html = client.get("/wiki/miit/", **ZH).content.decode()
    assert 'action="/language/"' in html
    assert 'value="/wiki/miit/"' in html  # returns to the page it was used on
    assert re.search(r'value="zh-hans" lang="zh-hans" aria-pressed="true">简体中文<', html)
    assert re.search(r'value="en" lang="en" aria-pressed="false">English<', html)
    assert "csrfmiddlewaretoken" not in html  # a shared page carries no reader's token


@pytest.mark.django_db
@pytest.mark.parametrize(
    "headers",
    [
        {"HTTP_SEC_FETCH_SITE": "cross-site"},
        {"HTTP_SEC_FETCH_SITE": "same-site"},
        {"HTTP_ORIGIN": "https://attacker.example"},
    ],
)
def test_the_picker_refuses_posts_from_other_sites(client, wiki, headers):
    refused = client.post("/language/", {"language": "zh-hans", "next": "/"}, **headers)
    assert refused.status_code == 403
    assert "django_language" not in refused.cookies


@pytest.mark.django_db
def test_the_picker_accepts_same_origin_posts_and_ignores_unknown_languages(client, wiki):
    same = {"HTTP_SEC_FETCH_SITE": "same-origin", "HTTP_ORIGIN": "http://testserver"}
    assert client.post("/language/", {"language": "zh-hans"}, **same).status_code == 302
    unknown = client.post("/language/", {"language": "xx", "next": "https://evil.example/"})
    assert unknown.status_code == 302 and unknown["Location"] == "/"
    assert "django_language" not in unknown.cookies
    assert client.get("/language/").status_code == 405


@pytest.mark.django_db
def test_editors_see_the_admin_customisations_in_chinese(editor_client, wiki):
    editor_client.post("/language/", {"language": "zh-hans", "next": "/"})
    change = editor_client.get(f"/admin/articles/article/{wiki.pk}/change/").content.decode()
    for text in ("编辑摘要", "说明您更改了什么以及原因", "以 <code>[@key]</code>", "导言"):
        assert text in change, text
    imported = editor_client.get("/admin/articles/article/import/").content.decode()
    for text in ("导入条目", "……或文本", "预览", "许可协议"):
        assert text in imported, text
    listing = editor_client.get("/admin/articles/article/").content.decode()
    assert "导入条目" in listing
    maintenance = editor_client.get("/maintenance/").content.decode()
    assert "引用覆盖率" in maintenance and "未被引用的来源" in maintenance


@pytest.mark.django_db
def test_form_errors_are_translated(editor_client, wiki):
    editor_client.post("/language/", {"language": "zh-hans", "next": "/"})
    section = wiki.sections.first()
    refused = editor_client.post(
        f"/admin/articles/article/{wiki.pk}/section/{section.pk}/",
        {"heading": " ", "level": "2", "anchor": section.anchor, "body": "[@nobody-has-this]"},
    )
    html = refused.content.decode()
    assert "该字段是必填项" in html  # Django's own messages follow the language too
    assert "未知的来源键" in html
    assert "此表单未说明打开时所基于的条目修订版本" in html  # no base_revision was posted


@pytest.mark.django_db
def test_a_new_article_page_in_chinese_has_no_english_interface(client, db):
    make_article(title="水", slug="water", status=Article.Status.PUBLISHED)
    html = client.get("/wiki/water/", **ZH).content.decode()
    assert "此条目尚未引用任何来源" in html
    assert "This article cites no sources yet" not in html


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/api/v1/articles/nope/", "/api/v1/articles/?cursor=junk"])
def test_the_api_answers_in_english_to_a_chinese_reader(client, wiki, url):
    chinese, english = client.get(url, **ZH), client.get(url, **EN)
    assert chinese.status_code == english.status_code >= 400
    assert chinese.json() == english.json()
    assert chinese["Content-Language"] == "en"


@pytest.mark.django_db
def test_the_api_schema_is_english_whatever_the_reader_asks(client, db):
    schema = client.get("/api/schema/", **ZH).content.decode()
    assert "What articles cite" in schema or "Markdown" in schema
    assert not re.search(r"[\u4e00-\u9fff]", schema)


@pytest.mark.django_db
def test_the_editors_script_gets_its_words_from_the_admin_catalogue(editor_client, wiki):
    editor_client.post("/language/", {"language": "zh-hans", "next": "/"})
    section = wiki.sections.first()
    form = editor_client.get(f"/admin/articles/article/{wiki.pk}/section/{section.pk}/")
    assert 'src="/admin/jsi18n/"' in form.content.decode()
    catalogue = editor_client.get("/admin/jsi18n/").content.decode()
    assert "\\u6b63\\u5728\\u4fdd\\u5b58" in catalogue or "正在保存" in catalogue


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("accepted", "language"),
    [("zh-TW", "zh-hans"), ("fr, zh-CN;q=0.3", "zh-hans"), ("en-US, zh;q=0.8", "en"), ("", "en")],
)
def test_the_first_accepted_language_the_site_has_wins(client, db, accepted, language):
    assert language_of(client.get("/", HTTP_ACCEPT_LANGUAGE=accepted)) == language


@pytest.fixture
def checked(wiki):
    """Two of the seed's sources checked: one link dead for a month, one quotation only
    close to its page and rated deprecated; a domain rated generally reliable."""
    from datetime import timedelta

    import reversion
    from django.utils import timezone

    from articles.checks.models import SourceCheck, SourceStatus
    from articles.models import Rating, Source

    now = timezone.now()
    dead = Source.objects.get(key="hua-jianmin-reform-explanation-2008")
    close = Source.objects.get(key="xinhua-restructuring-highlights-2008")
    for source, link, quote in ((dead, "dead", ""), (close, "live", "close")):
        check = SourceCheck.objects.create(
            source=source,
            url=source.url,
            outcome=link,
            status_code=200,
            quote_status=quote,
            quote_score=88,
        )
        SourceStatus.objects.create(
            source=source,
            link=link,
            checked_at=now,
            last_check=check,
            quote=quote,
            failing_since=now - timedelta(days=30) if link == "dead" else None,
            quote_checked=source.quote,
            quote_score=88,
        )
    with reversion.create_revision():
        rating = Rating.objects.create(
            source=close, level="deprecated", reason="Retracted.", link="https://example.org/"
        )
        Rating.objects.create(
            domain="stanford.edu", level="reliable", reason="Sound.", link="https://example.org/"
        )
    return {"dead": dead, "close": close, "rating": rating}


def english_words(html: str) -> str:
    """The page's visible text with tags, scripts and styles taken out."""
    html = re.sub(r"(?s)<(script|style)\b.*?</\1>", " ", html)
    return re.sub(r"(?s)<[^>]+>", " ", html)


@pytest.mark.django_db
def test_source_checks_and_ratings_speak_chinese_on_public_pages(client, checked):
    article = client.get("/wiki/miit/", **ZH).content.decode()
    assert ">已弃用</a>" in article  # the badge's level
    assert 'data-reliability="deprecated"' in article  # the machine value stays English
    assert "链接自" in article and "起失效" in article
    close = client.get(f"/sources/{checked['close'].key}/", **ZH).content.decode()
    assert 'data-link-status="live"' in close and 'data-quote="close"' in close
    assert "链接有效" in close and "引文相近" in close and "针对此来源的评级" in close
    dead = client.get(f"/sources/{checked['dead'].key}/", **ZH).content.decode()
    assert 'data-link-status="dead"' in dead and "链接自" in dead
    text = english_words(close) + english_words(dead)
    for english in (
        "link live",
        "quotation close",
        "Deprecated",
        "rated as this source",
        "dead since",
    ):
        assert english not in text, english


@pytest.mark.django_db
def test_source_checks_and_ratings_speak_chinese_to_editors(editor_client, checked):
    editor_client.post("/language/", {"language": "zh-hans", "next": "/"})
    maintenance = editor_client.get("/maintenance/").content.decode()
    for text in ("失效链接", "仅与来源相近的引文", "最佳匹配 88%", "核实覆盖率", "从未检查的来源"):
        assert text in maintenance, text
    for english in ("best match", "dead since", "Dead links", "(draft)"):
        assert english not in english_words(maintenance), english
    change = editor_client.get(f"/admin/articles/source/{checked['close'].pk}/change/")
    html = change.content.decode()
    for text in ("最近的检查", "检查时间", "最终网址", "相近"):
        assert text in html, text
    assert "Quotation" not in english_words(html) and "Outcome" not in english_words(html)
    listing = editor_client.get("/admin/articles/source/").content.decode()
    assert "立即检查" in listing and "保存到网页存档" in listing
    ratings = editor_client.get("/admin/articles/rating/").content.decode()
    for text in ("可靠性评级", "评级对象", "已弃用", "普遍可靠"):
        assert text in ratings, text
    assert "Generally reliable" not in ratings and "Deprecated" not in english_words(ratings)
    preview = editor_client.post(
        "/editor/preview/", {"content": f"Claim.[@{checked['close'].key}]"}
    ).content.decode()
    assert "请检查这些来源" in preview and "Check these sources" not in preview
