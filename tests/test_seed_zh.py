"""The Chinese seed article (fixtures/miit_zh.json): the Chinese Wikipedia article on
MIIT, tests/data/interchange/miit-zh.wiki, as `import_article` made it. Its text word
for word, every reference, its attribution, and a fixture that loads once however
often it is loaded after fixtures/miit.json."""

import json
import re
import xml.etree.ElementTree as ET
from html import unescape
from pathlib import Path
from urllib.parse import quote

import pytest
from django.core.management import call_command

from articles.citations import find_citation_keys
from articles.models import Article, Section, Source, TranslationGroup, TranslationMember
from articles.translations import translations_of

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = ROOT / "fixtures" / "miit_zh.json"
LIBRARY = ROOT / "fixtures" / "miit.json"
WIKI = ROOT / "tests" / "data" / "interchange" / "miit-zh.wiki"
LEAKS = re.compile(r"\{\{|\}\}|\[\[|\]\]|<ref|&lt;ref|\[\^|\[@|-\{|'''")
JSON_LD = re.compile(r'<script type="application/ld\+json">.*?</script>', re.S)
HEADINGS = ["沿革", "职责", "机构设置", "内设机构", "工信部管理的国家局", "派出机构",
            "直属事业单位", "直属高等学校", "直属企业单位", "主管社会团体", "历任领导",
            "外部链接", "参见"]  # fmt: skip

pytestmark = pytest.mark.django_db


@pytest.fixture
def zh(seed) -> Article:
    call_command("loaddata", "miit_zh", verbosity=0)
    return Article.objects.get(slug="miit-zh")


def wiki_lead() -> list[str]:
    """The lead's paragraphs as a reader of Wikipedia sees them, read from the wikitext
    here with the few rules it needs (not with the importer under test)."""
    text = WIKI.read_text(encoding="utf-8")
    lead = text.split("\n}}\n", 1)[1].split("\n== ", 1)[0]  # after the infobox
    lead = re.sub(r"\{\{lang(?:-en|\|en)\|([^}]*)\}\}", r"\1", lead)
    lead = re.sub(r"\[\[(?:[^|\]]*\|)?([^\]]*)\]\]", r"\1", lead)
    lead = lead.replace("'''", "")
    return [paragraph.strip() for paragraph in lead.split("\n\n") if paragraph.strip()]


def page(client, slug: str = "miit-zh") -> str:
    response = client.get(f"/wiki/{slug}/")
    assert response.status_code == 200
    return JSON_LD.sub("", response.content.decode())


def visible_text(html: str) -> str:
    """Chinese has no spaces between words: inline tags (bold, links) add none either."""
    html = re.sub(r'<sup class="(citation|footnote-ref)[^"]*".*?</sup>', "", html, flags=re.S)
    html = re.sub(r"</?(strong|em|a|span|code)\b[^>]*>", "", html)
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def rows() -> list:
    """Every row of the seeded tables, but the save times that loaddata renews."""
    tables = [m.objects.order_by("pk").values() for m in (Article, Section, Source)]
    return [[{k: v for k, v in row.items() if k != "updated_at"} for row in t] for t in tables]


def counts() -> tuple[int, ...]:
    models = (Article, Section, Source, TranslationGroup, TranslationMember)
    return tuple(m.objects.count() for m in models)


def links() -> list:
    """Who is linked to whom, and when the link last changed (page stamps read it)."""
    return list(
        TranslationMember.objects.order_by("article__slug").values_list(
            "article__slug", "group__key", "group__changed_at"
        )
    )


ALTERNATES = [
    ("en", "http://testserver/wiki/miit/"),
    ("zh-Hans", "http://testserver/wiki/miit-zh/"),
]
ALTERNATE = re.compile(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">')


def test_the_lead_is_the_wikipedia_lead_word_for_word(client, zh):
    paragraphs = wiki_lead()
    assert len(paragraphs) == 3
    assert paragraphs[0].startswith("中华人民共和国工业和信息化部（Ministry of Industry")
    text = visible_text(page(client))
    for paragraph in paragraphs:
        assert paragraph in text
    assert zh.lead.replace("**", "").split("\n\n") == paragraphs  # stored, bold aside


def test_every_reference_of_the_wikitext_is_on_the_page(client, zh):
    refs = re.findall(r"<ref[ >]", WIKI.read_text(encoding="utf-8"))
    assert len(refs) == 11  # none is reused by name
    html = page(client)
    references = html.split('<ol class="references"', 1)[1].split("</ol>", 1)[0]
    listed = re.findall(r'<li id="ref-([\w-]+)"', references)
    assert len(listed) == len(set(listed)) == 11
    cited = re.findall(r'<a href="#ref-([\w-]+)" id="cite-', html)
    assert len(cited) == 11 and set(cited) == set(listed)
    assert "citation-missing" not in html
    assert 'class="footnote-ref"' in html  # the {{noteTag}} on four universities
    assert "党委书记和校长列入中央管理的高校" in html  # its text, at the foot of its section


def test_its_sources_are_merged_with_the_library_not_copied(zh):
    library = {i["fields"]["key"] for i in json.loads(LIBRARY.read_text()) if "key" in i["fields"]}
    data = json.loads(FIXTURE.read_text(encoding="utf-8"))
    mine = {item["fields"]["key"] for item in data if item["model"] == "articles.source"}
    assert len(mine) == 10 and not mine & library
    texts = [zh.lead, *zh.sections.values_list("body", flat=True)]
    cited = {key for text in texts for key in find_citation_keys(text)}
    # 华建敏's explanation of the 2008 reform, already in the library for Miit.
    assert cited == mine | {"hua-jianmin-reform-explanation-2008"}
    assert all("pk" not in item for item in data)


def test_headings_anchors_and_contents_are_chinese_and_stable(client, zh):
    assert list(zh.sections.values_list("heading", flat=True)) == HEADINGS
    assert list(zh.sections.values_list("anchor", flat=True)) == HEADINGS
    html = page(client)
    for anchor in HEADINGS:
        assert f'<section id="{anchor}"' in html
        assert f'href="#{anchor}"' in html  # table of contents
    history = client.get(f"/wiki/miit-zh/section/{quote('沿革')}/history/")
    assert history.status_code == 200


def test_nothing_of_the_wikitext_is_left_on_the_page(client, zh):
    html = page(client)
    body = html.split("<main", 1)[1]
    assert not LEAKS.search(body), LEAKS.search(body)
    assert "|-" not in visible_text(body)
    assert visible_text(body).count("通信管理局") >= 31  # the lists inside {{columns-list}}


def test_the_attribution_is_shown_at_the_foot_of_the_page(client, zh):
    html = page(client)
    foot = html.split('<p class="provenance">', 1)[1].split("</p>", 1)[0]
    assert "Wikipedia contributors" in foot
    assert "Licence: CC BY-SA 3.0" in foot
    assert "https://zh.wikipedia.org/wiki/" in unescape(foot)
    assert html.index('<p class="provenance">') > html.index('<ol class="references"')


def test_loading_it_again_changes_nothing(zh):
    first = counts()
    snapshot = rows(), links()
    call_command("loaddata", "miit_zh", verbosity=0)
    call_command("loaddata", "miit", verbosity=0)
    call_command("loaddata", "miit_zh", verbosity=0)
    assert counts() == first
    assert (rows(), links()) == snapshot
    assert first == (2, 13 + Section.objects.filter(article__slug="miit").count(), first[2], 1, 2)
    assert zh.sections.count() == 13


def test_it_is_in_simplified_chinese_and_the_translation_of_miit(seed, zh):
    assert (seed.language, zh.language) == ("en", "zh-Hans")
    assert translations_of(zh) == [seed] and translations_of(seed) == [zh]
    assert links()[0][:2] == ("miit", "miit") and links()[1][:2] == ("miit-zh", "miit")


def test_reloading_either_fixture_in_any_order_keeps_one_link(zh):
    before = counts(), links()
    for labels in (["miit"], ["miit_zh", "miit"], ["miit", "miit_zh"]):
        call_command("loaddata", *labels, verbosity=0)
        assert (counts(), links()) == before
    assert before[0][3:] == (1, 2)
    assert Article.objects.get(slug="miit").language == "en"  # a reload keeps it so


def test_the_english_seed_alone_is_in_english_and_in_no_group(seed):
    assert seed.language == "en"
    assert not TranslationGroup.objects.exists()  # a group of one links nothing


def test_each_page_links_the_other_with_hreflang_and_the_switcher(client, seed, zh):
    for slug, other, name in (("miit", "miit-zh", "简体中文"), ("miit-zh", "miit", "English")):
        html = client.get(f"/wiki/{slug}/").content.decode()
        assert ALTERNATE.findall(html) == ALTERNATES
        switcher = re.search(r'<nav class="language-switcher".*?</nav>', html, re.S).group()
        link = rf'<a href="/wiki/{other}/" rel="alternate" hreflang="[^"]+"[^>]*>{name}</a>'
        assert re.search(link, switcher), switcher
        assert 'aria-current="page"' in switcher
    assert "中文" in page(client, "miit")


def test_the_sitemap_lists_both_with_their_alternates(client, seed, zh):
    root = ET.fromstring(client.get("/sitemap.xml").content)  # noqa: S314 - our own sitemap
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
    entries = {
        url.findtext("s:loc", namespaces=ns): [
            (link.get("hreflang"), link.get("href")) for link in url.findall("x:link", ns)
        ]
        for url in root.findall("s:url", ns)
    }
    for slug in ("miit", "miit-zh"):
        assert entries[f"http://testserver/wiki/{slug}/"] == ALTERNATES
