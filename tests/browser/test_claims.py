"""A citation's supporting passage appears on hover and on keyboard focus, without
JavaScript (CSS only: the Content Security Policy allows no inline script)."""

import pytest
from playwright.sync_api import expect

from tests.browser import test_reader

# The reader tests' marks; the seeded server (conftest) has supporting passages.
pytestmark = test_reader.pytestmark


def test_the_passage_shows_on_hover_and_on_keyboard_focus(browser, seeded_live_server, artifacts):
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, java_script_enabled=False
    )
    page = context.new_page()
    page.goto(f"{seeded_live_server.url}/wiki/miit/")
    citation = page.locator("sup.citation a[aria-describedby]").first
    support = page.locator(f"#{citation.get_attribute('aria-describedby')}")
    expect(support).to_be_hidden()
    expect(support).to_contain_text("Ministry of Industry and Information Technology")

    citation.hover()
    expect(support).to_be_visible()
    page.screenshot(path=artifacts / "citation-passage-hover.png")
    page.mouse.move(0, 0)
    expect(support).to_be_hidden()

    # Keyboard: Tab until the citation has focus, as a reader without a mouse would.
    for _ in range(80):
        page.keyboard.press("Tab")
        if citation.evaluate("link => document.activeElement === link"):
            break
    else:
        pytest.fail("Tab never reached the citation")
    expect(support).to_be_visible()
    box, tip = citation.bounding_box(), support.bounding_box()
    assert tip["y"] >= box["y"]  # below the citation, not over it
    page.keyboard.press("Tab")
    expect(support).to_be_hidden()

    # The same passage is listed under the source in the references.
    key = citation.get_attribute("href")[1:]
    expect(page.locator(f"#{key} .support-passages q").first).to_contain_text(
        "Ministry of Industry and Information Technology"
    )
    context.close()
