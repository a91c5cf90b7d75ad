"""The Content Security Policy lets every page and the live preview work, and blocks the rest.

Violations are caught two ways: the `securitypolicyviolation` events a page
fires (collected by a script injected before the page's own) and Chromium's
console errors about the policy.
"""

import re

import pytest
from playwright.sync_api import expect

from articles.models import Article
from tests.browser.conftest import log_in_as_editor, violations

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def editor_page(watched_page, live_server):
    return log_in_as_editor(watched_page, live_server, "/admin/")


def test_public_and_admin_pages_load_without_violations(editor_page, live_server):
    page = editor_page
    article = Article.objects.get(slug="miit")
    debate = article.debates.first()
    paths = [
        "/",
        "/wiki/miit/",
        "/wiki/miit/history/",
        f"/wiki/miit/debate/{debate.slug}/",
        "/recent/",
        "/sources/",
        "/search/?q=ministry",
        "/maintenance/",
        "/admin/",
        f"/admin/articles/article/{article.pk}/change/",
        "/admin/articles/source/add/",
        f"/admin/articles/debate/{debate.pk}/change/",
    ]
    for path in paths:
        response = page.goto(f"{live_server.url}{path}")
        assert response.status == 200, path
        assert "script-src 'self'" in response.headers["content-security-policy"], path
        page.wait_for_load_state("networkidle")
        assert violations(page) == [], path


def test_live_preview_works_under_the_policy(editor_page, live_server, artifacts):
    page = editor_page
    page.goto(f"{live_server.url}/wiki/miit/")
    page.click("#h-global-role-and-impact a.edit-link")
    body, pane = page.locator("#id_body"), page.locator(".markdownx-preview")
    expect(pane).to_contain_text("Miit’s policies shape")  # the preview made on load
    body.fill(
        "Typed **under the policy** [@cybersecurity-law-2016] <img src=x onerror=alert(1)>\n\n"
        "| left | centred |\n|:--|:-:|\n| 1 | 2 |"
    )
    expect(pane.locator("strong")).to_have_text("under the policy")
    expect(pane.locator("td.align-center")).to_have_css("text-align", "center")
    expect(pane).to_contain_text("<img src=x onerror=alert(1)>")  # as text
    expect(pane.locator("sup.citation a")).to_have_text(re.compile(r"\[\d+\]"))
    page.screenshot(path=artifacts / "csp-section-preview.png")
    assert violations(page) == []


def test_the_policy_blocks_injected_inline_script(editor_page, live_server):
    page = editor_page
    page.goto(f"{live_server.url}/wiki/miit/")
    page.evaluate(
        """() => {
          const script = document.createElement("script");
          script.textContent = "window.__ran = true";
          document.body.appendChild(script);
        }"""
    )
    page.wait_for_timeout(200)
    assert page.evaluate("window.__ran") is None
    assert any(item.startswith("script-src") for item in violations(page))
