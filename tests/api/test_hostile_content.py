"""Every attack of tests/data/xss_payloads.json, in every field: the API's `html`
fields (and search's marked titles and snippets) hold nothing script-capable.
Markdown and plain text come back as the text that was saved: JSON is not HTML."""

import json
from urllib.parse import urlencode

import pytest
from django.test import Client

from tests.html_safety import HOSTILE, unsafe_parts
from tests.world import build_world

pytestmark = pytest.mark.django_db


def html_fields(data) -> list[str]:
    """Every value of an `html` key anywhere in `data`, and of search results' marked
    `title` and `snippet` (elsewhere a `title` is plain text, which JSON escapes)."""
    if isinstance(data, list):
        return [html for item in data for html in html_fields(item)]
    if not isinstance(data, dict):
        return []
    found = [data["html"]] if "html" in data else []
    if "snippet" in data:
        found += [data["title"], data["snippet"]]
    return found + [html for value in data.values() for html in html_fields(value)]


@pytest.mark.parametrize("payload", HOSTILE)
def test_hostile_text_leaves_the_apis_html_harmless(payload):
    world = build_world(payload)
    client = Client()
    urls = [
        f"/api/v1/articles/{world['slug']}/",
        f"/api/v1/articles/{world['slug']}/revisions/{world['rev2']}/",
        "/api/v1/debates/",
        "/api/v1/search/?" + urlencode({"q": "plain " + payload[:100]}),
    ]
    responses = [client.get(url) for url in urls]
    # A control character in a search is refused (a JSON 400), as on the site.
    assert [r.status_code for r in responses] in ([200] * 4, [200] * 3 + [400])
    answers = [json.loads(response.content) for response in responses]
    assert answers[0]["lead"]["markdown"] == payload  # the text itself, as saved
    assert [part for html in html_fields(answers) for part in unsafe_parts(html)] == []
