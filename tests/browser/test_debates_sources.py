import re

import pytest
from playwright.sync_api import expect

# serialized_rollback keeps the data that migrations created (the Editors group).
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SECTION = "regulation-standards-and-control"
DEBATE = "regulatory-framework"


def test_reader_goes_from_a_debate_to_a_source_and_back_to_the_section(
    page, seeded_live_server, artifacts
):
    page.goto(f"{seeded_live_server.url}/wiki/miit/")
    page.locator(f'#{SECTION} a[href="/wiki/miit/debate/{DEBATE}/"]').click()
    expect(page).to_have_url(re.compile(f"/wiki/miit/debate/{DEBATE}/$"))
    expect(page.locator("h1")).to_contain_text("regulatory framework")
    expect(page.locator(".balance")).to_contain_text("Distinct sources")

    # A rebuttal is drawn in its own column, below the argument it answers.
    target = page.locator(f"#argument-{DEBATE}-trade-barriers").bounding_box()
    rebuttal = page.locator(f"#argument-{DEBATE}-sovereignty-not-protectionism").bounding_box()
    assert rebuttal["y"] >= target["y"] + target["height"]
    assert rebuttal["x"] + rebuttal["width"] <= target["x"]  # supporters left, critics right
    page.screenshot(path=artifacts / "debate-desktop.png", full_page=True)

    card = page.locator(f"#argument-{DEBATE}-censorship-and-surveillance")
    citation = card.locator("sup.citation a").first
    href = citation.get_attribute("href")
    citation.click()
    reference = page.locator(href)
    expect(reference).to_be_in_viewport()
    reference.locator("a.source-page-link").click()
    expect(page).to_have_url(re.compile(r"/sources/hrw-cybersecurity-law-2016/$"))
    expect(page.locator(".cited-by")).to_contain_text("Regulation, standards, and control")
    page.screenshot(path=artifacts / "source-page.png", full_page=True)

    page.locator('.cited-by li[data-kind="section"] > a').first.click()
    expect(page).to_have_url(re.compile(r"/wiki/miit/#cite-hrw-cybersecurity-law-2016-\d+$"))
    anchor = page.url.rsplit("#", 1)[1]
    cited = page.locator(f"#{SECTION} #{anchor}")
    expect(cited).to_be_in_viewport()


def test_reader_searches_for_a_phrase_and_lands_on_the_section(page, seeded_live_server, artifacts):
    page.goto(f"{seeded_live_server.url}/")
    page.locator(".site-search input[name=q]").fill('"market vitality"')
    page.locator(".site-search button").click()
    expect(page).to_have_url(re.compile(r"/search/\?q="))
    first = page.locator(".search-result").first
    expect(first.locator("mark").first).to_have_text(re.compile("market", re.I))
    page.screenshot(path=artifacts / "search.png", full_page=True)
    first.locator(".search-result__title a").click()
    expect(page).to_have_url(re.compile(f"/wiki/miit/#{SECTION}$"))
    expect(page.locator(f"#{SECTION} h2")).to_be_in_viewport()


def test_debate_columns_stack_on_a_phone(browser, seeded_live_server, artifacts):
    context = browser.new_context(viewport={"width": 375, "height": 800}, is_mobile=True)
    page = context.new_page()
    page.goto(f"{seeded_live_server.url}/wiki/miit/debate/{DEBATE}/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    supporters = page.locator('[data-side="supporter"]').bounding_box()
    critics = page.locator('[data-side="critic"]').bounding_box()
    assert critics["y"] >= supporters["y"] + supporters["height"]
    page.screenshot(path=artifacts / "debate-phone.png", full_page=True)
    context.close()
