"""Supporting passages (`[@key, p. 3: "passage"]`) verified by `check_sources`
against their source's page, like its quotation, served locally: what is recorded,
what the reference list and the maintenance page show, stamps and query counts."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.checks.running import check_sources
from articles.models import Source
from articles.stamps import article_stamp
from tests.checking import html_page, status_of
from tests.factories import make_article, make_section, make_source

pytestmark = pytest.mark.django_db

TEXT = "The ministry shall supervise the telecommunications industry nationwide."
EXACT = "shall supervise the telecommunications industry"
CLOSE = "shall supervize the telecommunications industry"
MISSING = "abolishes every ministry of the former government"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.PAGE_FRESH_SECONDS = 0  # each page view checks its stamp


def passage_items(html: str, key: str) -> dict[str, str]:
    """{passage: data-quote} of the supporting passages listed under `key`'s reference."""
    start = html.index(f'<li id="ref-{key}"')
    block = html[start : html.index("</ul>", start)]
    items = re.findall(r'<li data-quote="([\w-]+)">.*?<q>(.*?)</q>', block)
    return {passage: state for state, passage in items}


def cite_three(key: str = "notice") -> None:
    make_article(lead=f'Rules [@{key}, p. 1: "{EXACT}"].')
    article = make_article(title="Ministry", slug="ministry")
    make_section(
        article, heading="Work", body=f'Near [@{key}: "{CLOSE}"]. Not [@{key}: "{MISSING}"].'
    )


def test_each_passage_is_verified_and_recorded(local_site):
    source = make_source("notice", url=local_site.serve("/n", html_page(TEXT)), quote=TEXT)
    cite_three()
    [check] = check_sources([source])
    assert check.quote_status == "verified"  # the quotation, as before
    passages = status_of(source).passages
    assert {p: r["state"] for p, r in passages.items()} == {
        EXACT: "verified",
        CLOSE: "close",
        MISSING: "not-found",
    }
    assert passages[EXACT]["score"] == 100.0 and 85 <= passages[CLOSE]["score"] < 100
    assert passages[EXACT]["hash"] == check.content_hash and passages[MISSING]["hash"] == ""


def test_a_passage_lost_from_a_changed_page_is_changed_and_one_no_longer_cited_dropped(
    local_site,
):
    source = make_source("notice", url=local_site.serve("/n", html_page(TEXT)))
    cite_three()
    check_sources([source])
    local_site.serve("/n", html_page("The notice was withdrawn."))
    Source.objects.filter(pk=source.pk).update(quote="")
    make_article(title="Other", slug="other")  # unrelated
    from articles.models import Section

    Section.objects.filter(heading="Work").update(body=f'Near [@notice: "{CLOSE}"].')
    check_sources([source])
    states = {p: r["state"] for p, r in status_of(source).passages.items()}
    assert states == {EXACT: "changed", CLOSE: "not-found"}


def test_the_reference_list_shows_each_passage_check(local_site, client):
    source = make_source("notice", url=local_site.serve("/n", html_page(TEXT)))
    cite_three()
    html = client.get("/wiki/ministry/").content.decode()
    assert passage_items(html, "notice") == {CLOSE: "unchecked", MISSING: "unchecked"}
    assert "quote-check" not in html
    check_sources([source])
    html = client.get("/wiki/ministry/").content.decode()
    assert passage_items(html, "notice") == {CLOSE: "close", MISSING: "not-found"}
    assert "Only close to the source&#x27;s text as last checked." in html
    assert "Not found in the source as last checked." in html
    html = client.get("/wiki/water/").content.decode()
    assert passage_items(html, "notice") == {EXACT: "verified"}
    assert '<small class="quote-check quote-check--verified">Found word for word' in html


def test_a_changed_result_changes_the_page_stamp_and_the_page(local_site, client):
    url = local_site.serve("/n", html_page(TEXT))
    source = make_source("notice", url=url)
    article = make_article(lead=f'Rules [@notice: "{EXACT}"].')
    check_sources([source])
    stamp = article_stamp(article.slug)
    assert passage_items(client.get("/wiki/water/").content.decode(), "notice") == {
        EXACT: "verified"
    }
    check_sources([source])  # the same answer: nothing a page shows has changed
    assert article_stamp(article.slug) == stamp
    local_site.serve("/n", html_page("The notice was withdrawn."))
    check_sources([source])
    assert article_stamp(article.slug) != stamp
    html = client.get("/wiki/water/").content.decode()
    assert passage_items(html, "notice") == {EXACT: "changed"}
    assert "The source&#x27;s page has changed since this passage was verified." in html


def test_the_maintenance_page_counts_passages_not_found_and_close(local_site, editor_client):
    source = make_source("notice", url=local_site.serve("/n", html_page(TEXT)))
    cite_three()
    html = editor_client.get("/maintenance/").content.decode()
    assert 'data-count="passages-not-found">0<' in html
    check_sources([source])
    html = editor_client.get("/maintenance/").content.decode()
    assert 'data-count="passages-not-found">1<' in html
    assert 'data-count="passages-close">1<' in html
    block = html.split('<section id="passages-not-found"', 1)[1].split("</section>", 1)[0]
    assert f"<q>{MISSING}</q>" in block and 'data-source="notice"' in block
    block = html.split('<section id="passages-close"', 1)[1].split("</section>", 1)[0]
    assert f"<q>{CLOSE}</q>" in block and "best match" in block
    # A passage edited away is not counted, though its result waits for the next check.
    from articles.models import Section

    Section.objects.filter(heading="Work").update(body="Nothing quoted.")
    html = editor_client.get("/maintenance/").content.decode()
    assert 'data-count="passages-not-found">0<' in html
    assert 'data-count="passages-close">0<' in html


def page_queries(client, slug: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(f"/wiki/{slug}/").status_code == 200
    return len(queries)


def test_checked_passages_keep_the_page_query_count_constant(local_site, client):
    url = local_site.serve("/n", html_page(TEXT))
    for slug, n in (("small", 2), ("large", 20)):
        article = make_article(title=slug, slug=slug, lead=f'Lead [@{slug}0: "{EXACT}"].')
        for i in range(n):
            key = f"{slug}{i % (n // 2)}"
            if not Source.objects.filter(key=key).exists():
                make_source(key, url=url)
            passage = (EXACT, CLOSE, MISSING)[i % 3]
            make_section(article, heading=f"S{i}", body=f'Text [@{key}, p. {i}: "{passage}"].')
    check_sources(Source.objects.all())
    cold = [page_queries(client, slug) for slug in ("small", "large")]
    warm = [page_queries(client, slug) for slug in ("small", "large")]
    assert cold[0] == cold[1] and warm[0] == warm[1] < cold[0]
    html = client.get("/wiki/large/").content.decode()
    assert html.count('<li data-quote="verified">') >= 7
    assert html.count('<li data-quote="not-found">') >= 6
