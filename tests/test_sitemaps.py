"""Sitemap and robots.txt: what search engines are shown and kept away from."""

import re
from datetime import UTC, datetime

import pytest

from articles.models import Article
from tests.factories import make_article, make_debate

pytestmark = pytest.mark.django_db


def test_sitemap_lists_published_articles_and_debates_with_last_edit(client):
    article = make_article(slug="rivers", title="Rivers")
    make_debate(article, slug="dams")
    draft = make_article(slug="secret", title="Secret", status=Article.Status.DRAFT)
    make_debate(draft, slug="hidden")
    when = datetime(2024, 5, 6, 7, 8, tzinfo=UTC)
    Article.objects.filter(pk=article.pk).update(updated_at=when)

    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    entries = dict(
        re.findall(r"<url><loc>([^<]+)</loc><lastmod>([^<]+)</lastmod>", response.content.decode())
    )
    assert entries == {
        "http://testserver/wiki/rivers/": "2024-05-06",
        "http://testserver/wiki/rivers/debate/dams/": "2024-05-06",
    }


def test_robots_keeps_crawlers_off_history_and_staff_pages(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert lines[0] == "User-agent: *"
    for path in ["/admin/", "/search/", "/maintenance/", "/wiki/*/history/", "/wiki/*/diff/",
                 "/wiki/*/revision/"]:  # fmt: skip
        assert f"Disallow: {path}" in lines
    assert "Disallow: /wiki/" not in lines and "Disallow: /sources/" not in lines
    assert "Sitemap: http://testserver/sitemap.xml" in lines
