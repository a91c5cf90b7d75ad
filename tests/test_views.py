import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.models import Article
from tests.editing import make_editor
from tests.factories import (
    make_article,
    make_big_article,
    make_section,
    make_source,
    save_revision,
)

pytestmark = pytest.mark.django_db


def test_index_lists_published_articles_only(client):
    make_article(title="Rivers", slug="rivers")
    make_article(title="Secret", slug="secret", status=Article.Status.DRAFT)
    html = client.get("/").content.decode()
    assert 'href="/wiki/rivers/"' in html
    assert "Secret" not in html


def test_draft_and_unknown_articles_are_404_with_a_helpful_page(client):
    make_article(slug="secret", status=Article.Status.DRAFT)
    for url in ["/wiki/secret/", "/wiki/nothing-here/"]:
        response = client.get(url)
        assert response.status_code == 404
        assert "Page not found" in response.content.decode()


def test_article_page_shows_sections_with_levels_and_toc(client):
    article = make_article(lead="The lead [@un].")
    make_source(
        "un",
        title="World Water Report",
        authors="UN-Water",
        date="2023",
        url="https://www.unwater.org/",
    )
    make_section(article, heading="Flow", body="Moves [@un].")
    make_section(article, heading="Speed", level=3, body="Fast.")
    html = client.get("/wiki/water/").content.decode()
    assert (
        '<section id="flow"' in html and '<h2 id="h-flow">Flow<span class="section-links">' in html
    )
    assert '<h3 id="h-speed">Speed<span' in html
    assert '<span class="toc-number">1.1</span> Speed' in html
    assert '<ol class="references">' in html
    assert '<li id="ref-un" data-link-status="unchecked">' in html
    assert 'href="#cite-un-2"' in html
    assert "UN-Water (2023)." in html and 'href="https://www.unwater.org/"' in html


def test_plain_text_fields_are_escaped(client):
    article = make_article(title="<script>alert(1)</script>")
    make_section(article, heading="<img src=x onerror=alert(1)>")
    html = client.get("/wiki/water/").content.decode()
    assert "<script>alert(1)" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html


def test_unknown_citation_key_shows_marker_on_page(client):
    make_article(lead="Claim [@ghost].")
    html = client.get("/wiki/water/").content.decode()
    assert '<sup class="citation-missing"' in html and "ghost" in html


def article_page_queries(client, slug: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/wiki/{slug}/")
    assert response.status_code == 200
    return len(queries)


def make_two_sizes() -> None:
    make_big_article("small", sections=5, sources=3, debates=1)
    large = make_big_article("large", sections=60, sources=40, debates=10)
    for n in range(12):
        save_revision(large, f"Edit {n}", lead=f"Lead {n} [@large-s{n}].")


def test_article_page_query_count_does_not_grow_with_content(client, settings):
    # Warm means the stamp's check: the recent-page path (no query) lasts a second, and
    # on a loaded machine it had ended for the first page but not for the second.
    settings.PAGE_FRESH_SECONDS = 0
    make_two_sizes()
    cold = [article_page_queries(client, slug) for slug in ("small", "large")]
    warm = [article_page_queries(client, slug) for slug in ("small", "large")]
    assert cold[0] == cold[1] <= 10
    assert warm[0] == warm[1] <= 3  # render cache warm: the article row only


def test_editor_article_page_query_count_does_not_grow_with_content(client):
    make_two_sizes()
    client.force_login(make_editor())
    cold = [article_page_queries(client, slug) for slug in ("small", "large")]
    warm = [article_page_queries(client, slug) for slug in ("small", "large")]
    assert cold[0] == cold[1] <= 10
    assert warm[0] == warm[1] < cold[0]
