"""/api/docs/ works under the site's strict CSP with assets the site serves itself."""

from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from tests.api.test_schema import PATHS
from tests.browser.conftest import violations

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_api_docs_list_the_endpoints_and_try_one_without_violations(
    watched_page,
    live_server,
    artifacts,
):
    page = watched_page
    call_command("loaddata", "miit", verbosity=0)
    hosts = set()
    page.on("request", lambda request: hosts.add(urlsplit(request.url).netloc))
    page.goto(f"{live_server.url}/api/docs/")
    operation = page.locator("#operations-v1-v1_articles_retrieve")
    expect(operation).to_be_visible()
    expect(page.locator(".opblock-summary-path")).to_have_count(len(PATHS))
    operation.locator(".opblock-summary").click()
    page.click("text=Try it out")
    page.fill("input[placeholder='slug']", "miit")
    page.click("text=Execute")
    live = operation.locator(".live-responses-table")
    expect(live.locator("td.response-col_status:not(.col_header)")).to_have_text("200")
    expect(live.locator(".microlight").first).to_contain_text('"slug": "miit"')
    page.screenshot(path=artifacts / "api-docs.png", full_page=False)
    assert violations(page) == []
    assert hosts == {urlsplit(live_server.url).netloc}  # no CDN
