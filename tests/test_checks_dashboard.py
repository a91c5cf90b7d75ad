"""The maintenance page's source checks: dead links, quotations not found, close
or on changed pages, sources never or not lately checked, verified coverage."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.checks.dashboard import sentences, verified_coverage
from articles.checks.models import SourceStatus
from articles.checks.running import check_sources
from articles.models import Source
from tests.checking import html_page
from tests.factories import make_article, make_section, make_source

pytestmark = pytest.mark.django_db

QUOTE = "The ministry shall supervise the industry."


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def count(html: str, name: str) -> int:
    return int(re.search(rf'data-count="{name}">(\d+)', html).group(1))


def listed(html: str, section: str) -> list[str]:
    block = html.split(f'<section id="{section}"', 1)[1].split("</section>", 1)[0]
    return re.findall(r'data-source="([\w-]+)"', block)


def test_the_dashboard_lists_what_checks_found(editor_client, local_site):
    url = local_site.serve("/n", html_page(QUOTE))
    make_source("verified", url=url, quote=QUOTE)
    make_source("close", url=url, quote=QUOTE.replace("supervise", "supervize"))
    make_source("missing", url=url, quote="Never said anything like this at all, really.")
    changed = make_source("changed", url=local_site.serve("/c", html_page(QUOTE)), quote=QUOTE)
    make_source("dead", url=local_site.serve("/d", "gone", status=404))
    make_source("never", url="https://example.org/never")
    make_source("book")  # no URL: nothing to check
    check_sources(Source.objects.exclude(key="never"))
    local_site.serve("/c", html_page("Withdrawn."))
    check_sources([changed])
    SourceStatus.objects.filter(source__key="close").update(
        checked_at=timezone.now() - timedelta(days=31)
    )
    html = editor_client.get("/maintenance/").content.decode()
    assert count(html, "dead-links") == 1 and listed(html, "dead-links") == ["dead"]
    assert listed(html, "quotes-not-found") == ["missing"]
    assert listed(html, "quotes-close") == ["close"]
    assert listed(html, "pages-changed") == ["changed"]
    assert listed(html, "never-checked") == ["never"]
    assert listed(html, "stale-checks") == ["close"]
    assert "no archived copy: save it to the web archive" in html


def test_sentences_split_at_full_stops_in_both_scripts():
    text = "One [@a]. Two? Three [@b]!\n\n工信部成立[@c]。负责监管。\n\n## Heading [@d]."
    assert sentences(text) == ["One [@a].", "Two?", "Three [@b]!", "工信部成立[@c]。", "负责监管。"]
    coverage = verified_coverage([text], {"a", "c"})
    assert (coverage.cited, coverage.total, coverage.percent) == (2, 3, 67)


def test_verified_coverage_per_article(editor_client, local_site):
    url = local_site.serve("/n", html_page(QUOTE))
    make_source("good", url=url, quote=QUOTE)
    make_source("plain", url=url)
    article = make_article(lead="Rivers flow [@good]. Seas are salty [@plain]. No cite.")
    make_section(article, body="Lakes [@good; @plain]. Ponds [@plain].")
    check_sources(Source.objects.all())
    html = editor_client.get("/maintenance/").content.decode()
    row = html.split('<section id="verified-coverage"', 1)[1].split('data-article="water"')[1]
    row = row.split("</tr>", 1)[0]
    assert "2 of 4" in row and "50%" in row
    assert 'data-count="verified-coverage">50%' in html


def dashboard_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/maintenance/").status_code == 200
    return len(queries)


def test_dashboard_queries_do_not_grow_with_checked_sources(editor_client, local_site):
    url = local_site.serve("/n", html_page(QUOTE))
    make_source("s0", url=url, quote=QUOTE)
    make_article(lead="A [@s0].")
    check_sources(Source.objects.all())
    small = dashboard_queries(editor_client)
    for n in range(1, 12):
        path = f"/n{n}"
        make_source(f"s{n}", url=local_site.serve(path, "x", status=404 if n % 2 else 200),
                    quote="Missing." if n % 3 else "")  # fmt: skip
        make_source(f"u{n}", url=f"https://example.org/{n}")
        make_article(slug=f"a{n}", title=f"A{n}", lead=f"B [@s{n}]. C [@u{n}].")
    check_sources(Source.objects.filter(key__startswith="s"))
    assert dashboard_queries(editor_client) == small
