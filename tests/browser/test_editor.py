import re

import pytest
from playwright.sync_api import expect
from reversion.models import Revision

from articles.models import Article
from articles.revisions import latest_revision_id
from tests.browser.conftest import log_in_as_editor

# serialized_rollback keeps the data that migrations created (the Editors group).
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def editor_session(page, live_server):
    return log_in_as_editor(page, live_server, "/wiki/miit/")


def test_editor_edits_a_section_with_live_preview(editor_session, live_server, artifacts):
    page = editor_session
    page.click("#h-global-role-and-impact a.edit-link")
    expect(page.locator("h1")).to_contain_text("Global role and impact")
    body, pane = page.locator("#id_body"), page.locator(".markdownx-preview")
    expect(pane).to_contain_text("Miit’s policies shape")  # first preview on load

    body.fill("Tidal text with **weight** and a source [@cybersecurity-law-2016].")
    expect(pane.locator("strong")).to_have_text("weight")
    # Numbered as on the page: after every source cited in the lead and earlier sections.
    number = pane.locator("sup.citation a").inner_text()
    assert int(number.strip("[]")) > 1
    body.press_sequentially(" More <b>")
    expect(pane).to_contain_text("More <b>")  # raw HTML shows as text
    page.screenshot(path=artifacts / "editor-section-preview.png", full_page=True)

    page.fill("#id_edit_summary", "Rewrite the global role")
    page.click("text=Save section")
    expect(page).to_have_url(re.compile(r"/wiki/miit/#global-role-and-impact$"))
    expect(page.locator("#global-role-and-impact")).to_contain_text("Tidal text with weight")
    expect(page.locator(".messages")).to_contain_text("Saved section")
    article = Article.objects.get(slug="miit")
    assert Revision.objects.get(pk=latest_revision_id(article)).comment == "Rewrite the global role"


def test_added_inline_section_gets_a_live_preview(editor_session, live_server, artifacts):
    page = editor_session
    article = Article.objects.get(slug="miit")
    page.goto(f"{live_server.url}/admin/articles/article/{article.pk}/change/")
    page.click("#sections-group .add-row a")
    new_body = page.locator("#id_sections-4-body")
    new_body.fill("Fresh section citing [@pipl-2021] and [citation needed].")
    pane = page.locator("#sections-4 .markdownx-preview")
    expect(pane.locator("sup.citation-needed")).to_be_visible()
    expect(pane.locator("sup.citation a")).to_have_text(re.compile(r"\[\d+\]"))
    page.screenshot(path=artifacts / "editor-article-add-section.png")


def test_preview_places_headings_under_the_field_heading(editor_session, live_server):
    page = editor_session
    article = Article.objects.get(slug="miit")
    page.goto(f"{live_server.url}/admin/articles/article/{article.pk}/change/")
    page.locator("#id_lead").fill("# Lead part\n\nText.")
    expect(page.locator(".markdownx-preview h2#preview-lead-part")).to_have_text("Lead part")
    page.click("#sections-group .add-row a")
    page.locator("#id_sections-4-body").fill("# Background\n\nText.")
    pane = page.locator("#sections-4 .markdownx-preview")
    expect(pane.locator("h3#preview-background")).to_have_text("Background")
    page.locator("#id_sections-4-level").fill("4")
    page.locator("#id_sections-4-level").dispatch_event("change")
    expect(pane.locator("h5#preview-background")).to_have_text("Background")
