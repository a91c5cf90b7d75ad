"""An article's provenance (source URL, licence, attribution): edited in the admin's
article form, validated, shown escaped at the foot of its pages, kept by revisions."""

import pytest
import reversion
from django.test import Client

from articles.models import Article
from articles.revisions import latest_revision_id
from tests.editing import CHANGE_URL, form_values
from tests.factories import make_article, save_revision

pytestmark = pytest.mark.django_db

WIKIPEDIA = "https://zh.wikipedia.org/wiki/%E9%A6%96%E9%83%BD"


@pytest.fixture
def article() -> Article:
    article = make_article(slug="capital", title="Capital", lead="A capital city.")
    save_revision(article)
    return article


def save(client: Client, article: Article, **fields):
    """Open the change form as a browser would, change `fields`, save."""
    url = CHANGE_URL.format(article.pk)
    return client.post(url, {**form_values(client.get(url)), **fields})


def foot(html: str) -> str:
    start = html.index('<p class="provenance">')
    return html[start : html.index("</p>", start)]


def test_the_article_form_has_the_provenance_fields(editor_client, article):
    values = form_values(editor_client.get(CHANGE_URL.format(article.pk)))
    assert {"source_url", "license", "attribution"} <= values.keys()


def test_editors_set_provenance_and_the_page_foot_shows_it(editor_client, article):
    response = save(
        editor_client,
        article,
        source_url=WIKIPEDIA,
        license="  CC BY-SA\n4.0 ",
        attribution="Wikipedia contributors",
    )
    assert response.status_code == 302
    article.refresh_from_db()
    assert (article.source_url, article.license) == (WIKIPEDIA, "CC BY-SA 4.0")
    shown = foot(Client().get("/wiki/capital/").content.decode())
    assert f'<a href="{WIKIPEDIA}" rel="nofollow noopener noreferrer">' in shown
    assert "Wikipedia contributors" in shown and "Licence: CC BY-SA 4.0" in shown
    # The form shows what was saved when opened again.
    again = form_values(editor_client.get(CHANGE_URL.format(article.pk)))
    assert (again["source_url"], again["attribution"]) == (WIKIPEDIA, "Wikipedia contributors")


@pytest.mark.parametrize(
    "url",
    ["javascript:alert(1)", "ftp://example.org/text", "data:text/html,<b>x</b>", "not a url"],
)
def test_a_source_url_that_is_not_http_is_refused(editor_client, article, url):
    response = save(editor_client, article, source_url=url, license="CC0")
    assert response.status_code == 200
    assert "errornote" in response.content.decode()
    article.refresh_from_db()
    assert (article.source_url, article.license) == ("", "")


def test_hostile_provenance_is_escaped_at_the_foot(editor_client, article):
    hostile = '<script>alert(1)</script><img src=x onerror="alert(2)">'
    response = save(
        editor_client, article, source_url="https://example.org/", license=hostile[:200],
        attribution=hostile,
    )  # fmt: skip
    assert response.status_code == 302
    html = Client().get("/wiki/capital/").content.decode()
    shown = foot(html)
    assert "<script" not in shown and "<img" not in shown
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in shown
    assert html.count("<script>alert(1)") == 0


def test_revisions_keep_the_provenance_and_a_revert_restores_it(editor_client, article):
    save(editor_client, article, source_url=WIKIPEDIA, license="CC BY-SA 4.0", attribution="W")
    sourced = latest_revision_id(article)
    save(editor_client, article, source_url="", license="", attribution="")
    article.refresh_from_db()
    assert article.source_url == ""
    assert '<p class="provenance">' not in Client().get("/wiki/capital/").content.decode()
    old = Client().get(f"/wiki/capital/revision/{sourced}/").content.decode()
    assert "Licence: CC BY-SA 4.0" in foot(old)
    response = editor_client.post(
        f"/wiki/capital/revision/{sourced}/revert/", {"summary": "provenance back"}
    )
    assert response.status_code == 302
    article.refresh_from_db()
    assert (article.source_url, article.license, article.attribution) == (
        WIKIPEDIA,
        "CC BY-SA 4.0",
        "W",
    )


def test_another_editors_provenance_change_merges_with_a_lead_edit(editor_client, article):
    """Provenance fields take part in the three-way merge like the article's others."""
    url = CHANGE_URL.format(article.pk)
    opened = form_values(editor_client.get(url))
    with reversion.create_revision():
        article.license = "CC BY 4.0"
        article.save()
    response = editor_client.post(url, {**opened, "lead": "A capital city, edited."})
    assert response.status_code == 302
    article.refresh_from_db()
    assert (article.lead, article.license) == ("A capital city, edited.", "CC BY 4.0")
