"""Every attack of tests/data/xss_payloads.json, in every field, on every page.

Each payload goes into every markdown field (lead, section bodies, argument
bodies) and every plain-text field a page shows (titles, headings, debate
questions, argument summaries and holders, source titles, authors and URLs, the
edit summary and the editor's name), then every page of tests/url_table.py that
shows stored text is fetched as a superuser, with the search, the feeds and the
editor's preview. A page may hold nothing script-capable beyond what the same
page holds when every field says "Plain words".
"""

from urllib.parse import urlencode

import pytest
from django.contrib.auth.models import User
from django.db import transaction

from miitwiki.control_characters import IN_QUERY_TEXT
from tests.editing import make_editor
from tests.html_safety import HOSTILE, added_unsafe_parts, unsafe_feed_parts, unsafe_parts
from tests.url_table import ROWS
from tests.world import PLAIN, build_world

pytestmark = pytest.mark.django_db
CONTENT_URLS = [row.url for row in ROWS if row.content and row.method == "GET"]
BASELINE: dict[str, str] = {}


@pytest.fixture
def superuser_client(client):
    client.force_login(User.objects.create_superuser("root"))
    return client


def fetch_pages(client, text: str) -> dict[str, str]:
    """Every content page of a world whose fields all hold `text`, keyed by URL pattern."""
    world = build_world(text)
    urls = {url: url.format(**world) for url in CONTENT_URLS}
    if not IN_QUERY_TEXT.search(text):  # else refused before the search (test_control_characters)
        urls["/search/?q=<the text>"] = "/search/?" + urlencode({"q": text})
    pages = {}
    for key, url in urls.items():
        response = client.get(url)
        assert response.status_code == 200, f"{url}: {response.status_code}"
        pages[key] = response.content.decode()
    return pages


def baseline(client) -> dict[str, str]:
    """The pages with plain text, fetched once and rolled back."""
    if not BASELINE:
        with transaction.atomic():
            BASELINE.update(fetch_pages(client, PLAIN))
            transaction.set_rollback(True)
    return BASELINE


@pytest.mark.parametrize("payload", HOSTILE)
def test_hostile_text_in_every_field_leaves_every_page_harmless(superuser_client, payload):
    plain = baseline(superuser_client)
    pages = fetch_pages(superuser_client, payload)
    problems = {}
    for url, page in pages.items():
        if "/feed/" in url:
            found = unsafe_feed_parts(page.encode())
        else:
            found = added_unsafe_parts(page, plain[url])
        if found:
            problems[url] = found
    assert problems == {}


@pytest.mark.parametrize("payload", HOSTILE)
def test_hostile_text_in_the_editor_preview_is_harmless(client, payload):
    client.force_login(make_editor())
    response = client.post("/editor/preview/", {"content": payload, "preceding": [payload]})
    assert response.status_code == 200
    assert unsafe_parts(response.content.decode()) == []


def test_the_pages_do_show_the_hostile_text_as_text(superuser_client):
    """The check above is only worth something if the text reaches the pages."""
    payload = "<script>alert(1)</script>"
    pages = fetch_pages(superuser_client, payload)
    for url in ["/wiki/{slug}/", "/wiki/{slug}/history/", "/recent/", "/sources/{key}/"]:
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in pages[url], url
    assert "&lt;script&gt;" in pages["/recent/feed/"]  # escaped once more inside the XML


def test_a_stored_source_url_that_is_not_http_is_not_linked(superuser_client):
    build_world("javascript:alert(1)")
    html = superuser_client.get("/wiki/w/").content.decode()
    assert "javascript:alert(1)" in html  # shown as the title, as text
    assert 'href="javascript' not in html


def test_feed_descriptions_escape_the_editor_name(client):
    build_world("<b>bold</b>")
    xml = client.get("/recent/feed/").content.decode()
    # The description is HTML that readers render: the name must arrive as text.
    assert "Edited by &amp;lt;b&amp;gt;bold&amp;lt;/b&amp;gt;." in xml


def test_control_characters_in_stored_text_do_not_break_the_feeds(client):
    build_world("Bell\x07 and\x1b escape")
    for url in ["/recent/feed/", "/wiki/w/history/feed/"]:
        response = client.get(url)
        assert response.status_code == 200
        assert "Bell and escape" in response.content.decode()
