"""Real articles nobody here wrote (tests/data/interchange/ATTRIBUTION.md), imported
in each format: every reference linked, nothing of the source syntax leaked."""

import re
from html import unescape
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from articles.models import Article, Source
from articles.rendering import render_article
from articles.revisions import current_state

pytestmark = pytest.mark.django_db
DATA = Path(__file__).parent / "data" / "interchange"
LEAKS = re.compile(r"\{\{|\}\}|\[\[|<ref|&lt;ref|\[\^|-\{")
# The page's schema.org data for machines: JSON, whose braces are its own.
JSON_LD = re.compile(r'<script type="application/ld\+json">.*?</script>', re.S)


def load(name: str, *args) -> str:
    out = StringIO()
    call_command("import_article", str(DATA / name), *args, stdout=out)
    return out.getvalue()


def page_text(client, slug: str) -> str:
    """The page as readers see it (without its JSON-LD)."""
    response = client.get(f"/wiki/{slug}/")
    assert response.status_code == 200
    return JSON_LD.sub("", response.content.decode())


def assert_every_reference_linked(slug: str) -> None:
    rendered = render_article(current_state(Article.objects.get(slug=slug)))
    assert rendered.missing_keys == []
    assert rendered.references


def test_wikitext_with_named_refs_and_cite_news(client):
    load(
        "clint-murchison-sr.wiki",
        "--title", "Clint Murchison Sr.",
        "--source-url", "https://en.wikipedia.org/wiki/Clint_Murchison_Sr.",
        "--license", "CC BY-SA 3.0",
        "--attribution", "Wikipedia contributors",
    )  # fmt: skip
    article = Article.objects.get(slug="clint-murchison-sr")
    assert [s.heading for s in article.sections.all()] == [
        "Personal", "Family", "Death", "JFK conspiracy allegations",
    ]  # fmt: skip
    assert Source.objects.count() == 6  # six distinct refs, reused by name 11 times
    tribune = Source.objects.get(title="Murchison Sr. Dies; Fortune near ½ billion")
    assert (tribune.publisher, tribune.date) == ("Chicago Tribune", "1969-06-21")
    assert str(tribune.accessed) == "2014-12-31"
    texts = "".join([article.lead, *(s.body for s in article.sections.all())])
    van_buren = Source.objects.get(title="Murchison, Clinton Williams Sr.")
    assert texts.count(f"[@{van_buren.key}]") == 7  # its <ref name> and six reuses
    assert_every_reference_linked(article.slug)
    page = page_text(client, article.slug)
    assert not LEAKS.search(page)
    assert 'class="footnote-ref"' in page  # the {{#tag:ref|…|group="nb"}} note
    assert "Licence: CC BY-SA 3.0" in page


def test_chinese_wikitext_and_its_markdown_conversion_share_their_sources(client):
    load("capital-zh.wiki", "--title", "首都", "--slug", "capital-zh-wiki")
    assert Source.objects.count() == 3
    output = load("capital-zh.md", "--slug", "capital-zh")
    # The two with URLs; the book's footnote gives no publisher field to match on.
    assert "Sources reused: 2" in output
    for key in Source.objects.values_list("key", flat=True):
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", key), key
    news = Source.objects.get(url="http://www.nownews.com/2002/03/29/328-1282773.htm")
    assert news.key.startswith("ettoday-2002-")  # publisher, year, hash
    assert (news.publisher, news.authors, news.date) == ("Ettoday", "林獻堂", "2002-03-29")
    assert news.quote.startswith("陳定南沒有明確回答")
    for slug in ("capital-zh-wiki", "capital-zh"):
        assert_every_reference_linked(slug)
        page = page_text(client, slug)
        assert "中央政府所在的首要城市" in unescape(page) and not LEAKS.search(page)
    assert Article.objects.get(slug="capital-zh").title == "首都"


def test_pandoc_with_its_bibliography_from_the_front_matter(client):
    output = load("shifman-2016/shifman-2016.md")
    article = Article.objects.get(slug="ionic-current-model-of-a-hypoglossal-motoneuron")
    assert article.title == "Ionic Current Model of a Hypoglossal Motoneuron"
    assert [s.heading for s in article.sections.all()][:3] == ["Introduction", "Methods", "Results"]
    purvis, cellml = Source.objects.get(key="purvis"), Source.objects.get(key="cellml")
    assert purvis.authors == "Liston K. Purvis, Robert J. Butera"
    assert purvis.publisher == "Journal of Neurophysiology" and purvis.date == "2005"
    assert "DOI: 10.1152/jn.00703.2004" in purvis.notes
    assert (cellml.url, str(cellml.accessed)) == (
        "https://models.cellml.org/workspace/purvis_butera_2005", "2016-12-01",
    )  # fmt: skip
    assert "Citations: 4" in output
    assert_every_reference_linked(article.slug)
    assert not LEAKS.search(page_text(client, article.slug))


@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("clint-murchison-sr.wiki", ["--title", "Clint Murchison Sr."]),
        ("capital-zh.md", ["--slug", "capital-zh"]),
        ("shifman-2016/shifman-2016.md", []),
    ],
)
def test_real_articles_round_trip_through_the_pandoc_export(tmp_path, name, args):
    load(name, *args)
    article = Article.objects.get()
    before = [(s.heading, s.level, s.body) for s in article.sections.all()]
    fields = ("key", "title", "authors", "publisher", "date", "url", "accessed")
    sources = list(Source.objects.order_by("key").values_list(*fields))
    call_command("export_article", article.slug, "--format", "pandoc", "--output", str(tmp_path),
                 stdout=StringIO())  # fmt: skip
    Article.objects.all().delete()
    Source.objects.all().delete()
    call_command("import_article", str(tmp_path / f"{article.slug}.md"), stdout=StringIO())
    again = Article.objects.get(slug=article.slug)
    assert (again.title, again.lead) == (article.title, article.lead)
    assert [(s.heading, s.level, s.body) for s in again.sections.all()] == before
    assert list(Source.objects.order_by("key").values_list(*fields)) == sources
