"""The reader journey works with the keyboard alone, with a visible focus."""

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

# serialized_rollback keeps the data that migrations created (content types, the
# Editors group) for the tests that follow, whichever order they run in.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def tab_to(page, selector: str, limit: int = 60) -> None:
    """Press Tab until the focused element matches `selector`."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement.matches(s)", selector):
            outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
            assert outline != "none", f"no visible focus on {selector}"
            return
    raise AssertionError(f"{selector} was not reached with {limit} presses of Tab")


def test_reader_uses_the_article_with_the_keyboard_only(page, live_server, artifacts):
    call_command("loaddata", "miit", verbosity=0)
    page.goto(f"{live_server.url}/wiki/miit/")
    tab_to(page, ".skip-link")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile("#content$"))

    tab_to(page, '.toc a[href="#economic-and-industrial-policy"]')
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile("#economic-and-industrial-policy$"))
    expect(page.locator("#economic-and-industrial-policy")).to_be_in_viewport()

    tab_to(page, "#economic-and-industrial-policy sup.citation a")
    target = page.evaluate("document.activeElement.getAttribute('href')")
    citation_id = page.evaluate("document.activeElement.id")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(f"{target}$"))

    tab_to(page, f'{target} a[href="#{citation_id}"]')
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(f"#{citation_id}$"))
    expect(page.locator(f"#{citation_id}")).to_be_in_viewport()
    page.screenshot(path=artifacts / "keyboard-back-at-citation.png")
