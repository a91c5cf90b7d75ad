import re

import pytest
from playwright.sync_api import expect

# serialized_rollback keeps the data that migrations created (the Editors group).
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_reader_follows_a_citation_to_its_reference_and_back(page, seeded_live_server, artifacts):
    page.goto(f"{seeded_live_server.url}/wiki/miit/")
    expect(page.locator("h1")).to_have_text("Miit")
    page.screenshot(path=artifacts / "article-desktop.png", full_page=True)

    citation = page.locator("#history-and-mandate sup.citation a").first
    number = citation.inner_text()
    href = citation.get_attribute("href")
    citation_id = citation.get_attribute("id")
    citation.click()
    expect(page).to_have_url(re.compile(re.escape(href) + "$"))
    reference = page.locator(href)
    expect(reference).to_be_in_viewport()
    # The reference list item has the number the citation showed.
    position = page.locator("ol.references > li").evaluate_all(
        f"(items) => items.findIndex(li => li.id === '{href[1:]}') + 1"
    )
    assert f"[{position}]" == number

    reference.locator(f'a[href="#{citation_id}"]').click()
    expect(page).to_have_url(re.compile(f"#{citation_id}$"))
    expect(page.locator(f"#{citation_id}")).to_be_in_viewport()
    page.screenshot(path=artifacts / "article-back-at-citation.png")


def test_article_reads_on_a_phone(browser, seeded_live_server, artifacts):
    context = browser.new_context(viewport={"width": 375, "height": 800}, is_mobile=True)
    page = context.new_page()
    page.goto(f"{seeded_live_server.url}/wiki/miit/")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375
    supporter = page.locator('[data-side="supporter"]').first.bounding_box()
    critic = page.locator('[data-side="critic"]').first.bounding_box()
    assert critic["y"] > supporter["y"] + supporter["height"] - 1  # columns stack
    page.screenshot(path=artifacts / "article-phone.png", full_page=True)
    context.close()
