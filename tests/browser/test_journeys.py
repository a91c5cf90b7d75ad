"""Whole journeys of a reader and of two editors, with screenshots at 1280 and 375 px.

Set README_SCREENSHOTS=1 to also refresh the README's pictures in docs/screenshots/.
"""

import os
import re
import shutil
from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from articles.models import Article
from tests.browser.conftest import log_in_as_editor
from tests.editing import make_editor
from tests.factories import save_revision

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
README_PICTURES = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
WIDTHS = {"desktop": 1280, "phone": 375}
SECTION = "regulation-standards-and-control"


def shoot(page, folder: Path, name: str) -> Path:
    path = folder / f"{name}.png"
    page.screenshot(path=path, full_page=False)
    return path


def for_readme(path: Path, name: str) -> None:
    if os.environ.get("README_SCREENSHOTS") == "1":
        shutil.copy(path, README_PICTURES / f"{name}.png")


@pytest.mark.parametrize("device", WIDTHS)
def test_reader_journey(browser, live_server, artifacts, device):
    call_command("loaddata", "miit", verbosity=0)
    article = Article.objects.get(slug="miit")
    first = save_revision(article, "Seed")
    body = article.sections.get(anchor="global-role-and-impact").body
    changed = body.replace("The ministry is also", "The ministry has also been")
    save_revision(article, "Tense", sections={"global-role-and-impact": changed})
    folder = artifacts / f"reader-{device}"
    folder.mkdir(exist_ok=True)
    context = browser.new_context(viewport={"width": WIDTHS[device], "height": 900})
    page = context.new_page()

    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="Miit", exact=True).click()
    expect(page.locator("h1")).to_have_text("Miit")
    article_shot = shoot(page, folder, "1-article")
    if device == "desktop":
        for_readme(article_shot, "article")

    toc = page.locator(".toc details")
    if not toc.evaluate("d => d.open"):
        toc.locator("summary").click()  # folded on a phone
    page.locator(f'.toc a[href="#{SECTION}"]').click()
    expect(page).to_have_url(re.compile(f"#{SECTION}$"))
    citation = page.locator(f"#{SECTION} > p sup.citation a").first
    citation_id, reference = citation.get_attribute("id"), citation.get_attribute("href")
    citation.click()
    expect(page.locator(reference)).to_be_in_viewport()
    shoot(page, folder, "2-reference")
    page.locator(f'{reference} a[href="#{citation_id}"]').click()
    expect(page.locator(f"#{citation_id}")).to_be_in_viewport()

    page.locator(f'#{SECTION} a[href="/wiki/miit/debate/regulatory-framework/"]').click()
    expect(page.locator('[data-side="critic"]')).to_be_visible()
    debate_shot = shoot(page, folder, "3-debate")
    if device == "desktop":
        for_readme(debate_shot, "debate")
    page.locator("sup.citation a").first.click()
    page.locator("ol.references a.source-page-link").first.click()
    expect(page).to_have_url(re.compile(r"/sources/[\w-]+/$"))
    expect(page.locator(".cited-by")).to_be_visible()
    shoot(page, folder, "4-source-cited-by")

    page.goto(f"{live_server.url}/wiki/miit/history/")
    page.check(f'input[name="from"][value="{first}"]')
    page.get_by_role("button", name="Compare selected revisions").click()
    expect(page.locator(".diff-block ins").first).to_have_text(re.compile("has"))
    diff_shot = shoot(page, folder, "5-diff")
    if device == "desktop":
        for_readme(diff_shot, "diff")
    page.get_by_role("link", name=f"Revision {first}").click()
    expect(page.locator(".old-revision-banner")).to_be_visible()
    shoot(page, folder, "6-old-revision")

    search = page.locator(".site-search input[name=q]")
    if not search.is_visible():
        page.goto(f"{live_server.url}/search/")
        search = page.locator("main input[name=q]")
    search.fill('"market vitality"')
    search.press("Enter")
    expect(page.locator(".search-result mark").first).to_be_visible()
    shoot(page, folder, "7-search")
    page.locator(".search-result__title a").first.click()
    expect(page).to_have_url(re.compile(f"/wiki/miit/#{SECTION}$"))
    context.close()


def test_editor_journey(browser, live_server, artifacts):
    folder = artifacts / "editor"
    folder.mkdir(exist_ok=True)
    ann = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    log_in_as_editor(ann, live_server, "/wiki/miit/", username="ann")

    # Add a source, then cite it from one section with the live preview.
    ann.goto(f"{live_server.url}/admin/articles/source/add/")
    ann.fill("#id_key", "miit-annual-report")
    ann.fill("#id_title", "Statistical communiqué on industry")
    ann.fill("#id_publisher", "Ministry of Industry and Information Technology")
    ann.click("input[name=_save]")
    expect(ann.locator(".messagelist")).to_contain_text("was added successfully")
    ann.goto(f"{live_server.url}/wiki/miit/")
    ann.click("#h-global-role-and-impact a.edit-link")
    body = ann.locator("#id_body")
    body.fill(body.input_value() + " A new claim [@miit-annual-report].")
    expect(ann.locator(".markdownx-preview sup.citation").last).to_be_visible()
    for_readme(shoot(ann, folder, "1-section-editor"), "admin-editor")
    ann.fill("#id_edit_summary", "Cite the annual communiqué")
    ann.click("text=Save section")
    expect(ann.locator("#global-role-and-impact")).to_contain_text("A new claim")
    ann.goto(f"{live_server.url}/wiki/miit/history/")
    expect(ann.locator("td.summary").first).to_have_text("Cite the annual communiqué")

    # Two editors open the same section; the second to save gets a conflict.
    make_editor("bob")
    bob = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    bob.goto(f"{live_server.url}/admin/login/?next=/wiki/miit/")
    bob.fill("#id_username", "bob")
    bob.fill("#id_password", "pw-for-tests")
    bob.click("input[type=submit]")
    for page in (ann, bob):
        page.goto(f"{live_server.url}/wiki/miit/")
        page.click("#h-history-and-mandate a.edit-link")
    ann.fill("#id_body", "Ann's version of the history.")
    ann.click("text=Save section")
    expect(ann.locator("#history-and-mandate")).to_contain_text("Ann's version")
    bob.fill("#id_body", "Bob's version of the history.")
    bob.click("text=Save section")
    expect(bob.locator(".errornote, .errorlist").first).to_contain_text("Another editor")
    expect(bob.locator("#id_body")).to_have_value("Bob's version of the history.")
    shoot(bob, folder, "2-conflict")

    # Ann reverts the article from its history.
    ann.goto(f"{live_server.url}/wiki/miit/history/")
    ann.locator("a", has_text="revert to this").nth(1).click()
    ann.fill("#id_summary", "Undo the history rewrite")
    ann.get_by_role("button", name=re.compile("Revert to revision")).click()
    expect(ann.locator(".messages")).to_contain_text("Restored the article")
    ann.goto(f"{live_server.url}/wiki/miit/")
    expect(ann.locator("#history-and-mandate")).not_to_contain_text("Ann's version")
    shoot(ann, folder, "3-after-revert")
