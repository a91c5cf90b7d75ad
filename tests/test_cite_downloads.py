"""Citation downloads of sources and articles, and the Pandoc export that
import_article reads back."""

import json
from io import StringIO

import pytest
from django.core.management import call_command

from articles.interchange.bibliography import read_bibtex, read_csl_json
from articles.models import Article, Source
from tests.factories import make_article, make_section, make_source

pytestmark = pytest.mark.django_db


@pytest.fixture
def source():
    return make_source(
        "doe-2001",
        title="Water {and} 50% of $ -- rivers",
        authors="Ann Doe, 林獻堂",
        publisher="Hydrology & Co",
        date="2001-02-03",
        url="https://example.org/w",
        notes="DOI: 10.1000/w",
    )


def test_source_downloads_in_three_formats_that_read_back(client, source):
    bib = client.get("/sources/doe-2001/cite.bib")
    assert bib["Content-Type"] == "application/x-bibtex; charset=utf-8"
    assert bib["Content-Disposition"] == 'attachment; filename="doe-2001.bib"'
    (entry,) = read_bibtex(bib.content.decode(), "cite.bib")
    assert (entry.key, entry.title, entry.authors) == ("doe-2001", source.title, source.authors)
    assert (entry.publisher, entry.date, entry.doi) == ("Hydrology & Co", "2001-02-03", "10.1000/w")
    ris = client.get("/sources/doe-2001/cite.ris").content.decode()
    assert "TI  - Water {and} 50% of $ -- rivers\nAU  - Ann Doe\nAU  - 林獻堂" in ris
    assert "DA  - 2001/02/03/" in ris and ris.rstrip().endswith("ER  -")
    (item,) = read_csl_json(client.get("/sources/doe-2001/cite.json").content.decode(), "x")
    assert (item.title, item.authors, item.url) == (source.title, source.authors, source.url)


def test_a_page_citation_names_the_wiki_and_the_page(client):
    make_article(status=Article.Status.PUBLISHED)
    bib = client.get("/wiki/water/cite.bib").content.decode()
    assert bib.startswith("@misc{water,") and "publisher = {MiitWiki}" in bib
    assert "url = {http://testserver/wiki/water/}" in bib
    item = json.loads(client.get("/wiki/water/cite.json").content)[0]
    assert item["URL"] == "http://testserver/wiki/water/" and item["title"] == "Water"


def test_downloads_are_linked_from_the_pages(client, source):
    article = make_article(status=Article.Status.PUBLISHED)
    make_section(article, heading="Rivers", body="Flow [@doe-2001].")
    assert 'href="/wiki/water/cite.ris"' in client.get("/wiki/water/").content.decode()
    assert 'href="/sources/doe-2001/cite.bib"' in client.get("/sources/doe-2001/").content.decode()


def test_drafts_have_no_page_citation(client):
    make_article(status=Article.Status.DRAFT)
    assert client.get("/wiki/water/cite.bib").status_code == 404


def test_pandoc_export_round_trips_into_an_empty_database(tmp_path, source):
    article = make_article(
        title="Water: “rivers”", lead="Water flows [@doe-2001, p. 3].", status="published"
    )
    make_section(article, heading="Rivers", level=2, body="Fast.[^n]\n\n[^n]: A note.")
    make_section(article, heading="Deltas", level=3, position=2, body="Silt [@doe-2001].")
    call_command("export_article", "water", "--format", "pandoc", "--output", str(tmp_path),
                 stdout=StringIO())  # fmt: skip
    assert sorted(p.name for p in tmp_path.iterdir()) == ["water.bib", "water.json", "water.md"]
    assert json.loads((tmp_path / "water.json").read_text())[0]["id"] == "doe-2001"
    before = [(s.heading, s.level, s.body) for s in article.sections.all()]
    fields = ("key", "title", "authors", "publisher", "date", "url")
    sources_before = list(Source.objects.values_list(*fields))
    Article.objects.all().delete()
    Source.objects.all().delete()
    call_command("import_article", str(tmp_path / "water.md"), stdout=StringIO())
    again = Article.objects.get(slug="water")
    assert again.title == "Water: “rivers”" and again.lead == "Water flows [@doe-2001, p. 3]."
    assert [(s.heading, s.level, s.body) for s in again.sections.all()] == before
    assert list(Source.objects.values_list(*fields)) == sources_before
