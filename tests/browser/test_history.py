import re

import pytest
from playwright.sync_api import expect

from tests.factories import make_article, make_section, make_source, save_revision

# serialized_rollback keeps the data that migrations created (content types, the
# Editors group) for the tests that follow, whichever order they run in.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_reader_compares_two_revisions_and_opens_an_old_one(page, live_server, artifacts):
    make_source("a", title="Source A")
    article = make_article(lead="Water is wet [@a].")
    make_section(article, heading="Rivers", body="Rivers flow.")
    first = save_revision(article, "Create")
    save_revision(article, "Polish", lead="Water is very wet [@a].")
    save_revision(article, "More", sections={"rivers": "Rivers flow to the sea."})

    page.goto(f"{live_server.url}/wiki/water/")
    page.get_by_role("link", name="History").first.click()
    expect(page.locator("h1")).to_contain_text("History of")
    expect(page.locator("table.history tbody tr")).to_have_count(3)
    page.check(f'input[name="from"][value="{first}"]')  # oldest against newest
    page.get_by_role("button", name="Compare selected revisions").click()
    expect(page).to_have_url(re.compile(rf"/diff/\?.*from={first}"))
    expect(page.locator("ins").first).to_be_visible()
    assert "very" in page.locator(".diff-block ins").all_inner_texts()[0]
    page.screenshot(path=artifacts / "diff.png", full_page=True)

    page.get_by_role("link", name=f"Revision {first}").click()
    expect(page.locator(".old-revision-banner")).to_contain_text("You are reading an old revision")
    expect(page.locator(".lead")).to_have_text(re.compile("Water is wet"))
    page.screenshot(path=artifacts / "old-revision.png", full_page=True)
