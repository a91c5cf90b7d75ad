"""The maintenance dashboard and citation coverage."""

import re

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.maintenance import citation_coverage, paragraphs
from articles.models import Article
from tests.editing import make_editor
from tests.factories import make_argument, make_article, make_debate, make_section, make_source

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client):
    client.force_login(make_editor())
    return client


def counts(html: str) -> dict[str, int]:
    return {name: int(n) for name, n in re.findall(r'data-count="([\w-]+)">(\d+)<', html)}


def block(html: str, anchor: str) -> str:
    return html.split(f'<section id="{anchor}"', 1)[1].split("</section>", 1)[0]


def test_anonymous_visitors_log_in_and_readers_are_refused(client):
    response = client.get("/maintenance/")
    assert response.status_code == 302
    assert response["Location"] == "/admin/login/?next=/maintenance/"
    client.force_login(User.objects.create_user("reader"))
    assert client.get("/maintenance/").status_code == 403


def test_staff_without_the_editors_permission_are_refused(client):
    """The report names drafts: staff status alone is not enough."""
    make_article(slug="draft", title="Secret draft", status=Article.Status.DRAFT)
    client.force_login(User.objects.create_user("staff", is_staff=True))
    response = client.get("/maintenance/")
    assert response.status_code == 403
    assert "Secret draft" not in response.content.decode()


def crafted() -> Article:
    make_source("used", title="Used source")
    idle = make_source("idle", title="Idle source")
    article = make_article(lead="Claim [citation needed]. Another [citation needed].")
    cited = make_section(article, heading="Cited", body="Fine [@used].\n\nUnsourced paragraph.")
    bare = make_section(article, heading="Bare", body="Nothing cited [citation needed].")
    ghost = make_section(article, heading="Ghost", body="[@ghost] and [@ghost, p. 2] [@used]")
    make_section(article, heading="Empty", body="")
    debate = make_debate(article)
    make_argument(debate, slug="sourced", body="[@used]")
    make_argument(debate, slug="naked", side="critic", summary="Naked claim", body="Trust me.")
    make_argument(debate, slug="phantom", side="critic", summary="Phantom claim", body="[@phantom]")
    draft = make_article(slug="draft", title="Draft", status=Article.Status.DRAFT)
    make_section(draft, heading="Draft part", body="[citation needed]")
    return article, cited, bare, ghost, debate, idle


def test_dashboard_counts_and_links_every_problem(staff_client):
    article, cited, bare, ghost, debate, idle = crafted()
    html = staff_client.get("/maintenance/").content.decode()
    assert counts(html) == {
        "citations-needed": 4,
        "unknown-keys": 3,
        "unsourced-arguments": 2,
        "uncited-sources": 1,
        "uncited-sections": 2,
        "unreliable-citations": 0,
        # Source checks (tests/test_checks_dashboard.py): none made, no source has a URL.
        "dead-links": 0,
        "quotes-not-found": 0,
        "quotes-close": 0,
        "passages-not-found": 0,
        "passages-close": 0,
        "pages-changed": 0,
        "never-checked": 0,
        "stale-checks": 0,
    }
    needed = block(html, "citations-needed")
    assert f'href="/admin/articles/article/{article.pk}/change/"' in needed  # the lead
    assert "2 markers" in needed
    assert f'href="/admin/articles/article/{article.pk}/section/{bare.pk}/"' in needed
    assert "Draft part" in needed  # drafts need fixing too

    unknown = block(html, "unknown-keys")
    assert "<code>[@ghost]</code>, cited 2 times" in unknown
    assert 'href="/admin/articles/source/add/?key=ghost"' in unknown
    assert f'href="/admin/articles/article/{article.pk}/section/{ghost.pk}/"' in unknown
    assert f'href="/admin/articles/debate/{debate.pk}/change/"' in unknown  # [@phantom]

    unsourced = block(html, "unsourced-arguments")
    assert unsourced.count(f'href="/admin/articles/debate/{debate.pk}/change/"') == 2
    assert "Naked claim" in unsourced and "Phantom claim" in unsourced
    assert "Dams store water" not in unsourced

    assert f'href="/admin/articles/source/{idle.pk}/change/"' in block(html, "uncited-sources")
    sections = block(html, "uncited-sections")
    assert "section “Bare”" in sections and "section “Draft part”" in sections
    assert "Cited" not in sections and "Empty" not in sections


def test_coverage_is_the_share_of_paragraphs_citing_a_source(staff_client):
    crafted()
    html = staff_client.get("/maintenance/").content.decode()
    row = html.split('data-article="water"', 1)[1].split("</tr>", 1)[0]
    # Lead (no), "Fine [@used]" (yes), "Unsourced" (no), Bare (no), Ghost (yes).
    assert "2 of 5" in row and "40%" in row


def test_paragraphs_skip_headings_footnotes_code_and_rules():
    text = "# Title\n\nOne [@a].\n\n\n* list [@b]\n* item\n\n---\n\n[^1]: Note.\n\n```\ncode\n```"
    assert paragraphs(text) == ["One [@a].", "* list [@b]\n* item"]
    coverage = citation_coverage([text, "", "Two."])
    assert (coverage.cited, coverage.total, coverage.percent) == (2, 3, 67)
    assert citation_coverage([""]).percent is None


def test_history_page_shows_the_coverage(client):
    article = make_article(lead="Lead [@a].")
    make_source("a")
    make_section(article, body="Uncited.\n\nCited [@a].\n\nUncited again.")
    html = client.get("/wiki/water/history/").content.decode()
    assert "Citation coverage: <strong>50%</strong> of paragraphs (2 of 4)" in html


def dashboard_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/maintenance/").status_code == 200
    return len(queries)


def test_dashboard_queries_do_not_grow_with_content(staff_client):
    crafted()
    small = dashboard_queries(staff_client)
    for n in range(15):
        article = make_article(slug=f"a{n}", title=f"A{n}", lead="[citation needed]")
        make_section(article, body=f"[@nope{n}]")
        make_argument(make_debate(article), body="")
        make_source(f"idle{n}")
    assert dashboard_queries(staff_client) == small
