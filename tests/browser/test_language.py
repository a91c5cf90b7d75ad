"""A reader picks 中文 in the header's picker and keeps the Chinese interface from
page to page, with and without JavaScript."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from playwright.sync_api import expect

from tests.browser.accessibility import axe_violations

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def revised_live_server(seeded_live_server):
    # The first transactional test after the others finds content types whose ids
    # this process has cached from before the flush (PostgreSQL's sequences go on).
    ContentType.objects.clear_cache()
    call_command("createinitialrevisions", verbosity=0)
    return seeded_live_server


@pytest.mark.parametrize("javascript", [True, False], ids=["with-js", "without-js"])
def test_picking_chinese_keeps_the_interface_chinese_across_pages(
    browser, revised_live_server, artifacts, javascript
):
    context = browser.new_context(locale="en-US", java_script_enabled=javascript)
    page = context.new_page()
    url = revised_live_server.url
    page.goto(f"{url}/wiki/miit/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("link", name="Recent changes")).to_be_visible()

    page.get_by_role("button", name="简体中文").click()
    # Back on the same page, now in Chinese, the choice shown as pressed.
    expect(page).to_have_url(f"{url}/wiki/miit/")
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    expect(page.locator("#references-title")).to_have_text("参考资料")
    expect(page.get_by_role("button", name="简体中文")).to_have_attribute("aria-pressed", "true")
    page.screenshot(path=artifacts / f"article-zh-{'js' if javascript else 'nojs'}.png")

    # Every page after that, reached by links or typed, stays Chinese.
    page.get_by_role("link", name="最近更改").click()
    expect(page.locator("h1")).to_have_text("最近更改")
    page.get_by_role("link", name="来源", exact=True).click()
    expect(page.locator("h1")).to_have_text("来源")
    page.goto(f"{url}/wiki/miit/history/")
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    expect(page.get_by_role("button", name="比较选定版本")).to_be_visible()

    # And back to English the same way.
    page.get_by_role("button", name="English").click()
    expect(page).to_have_url(f"{url}/wiki/miit/history/")
    expect(page.get_by_role("button", name="Compare selected revisions")).to_be_visible()
    context.close()


def test_the_chinese_interface_has_no_serious_accessibility_violations(
    browser, revised_live_server
):
    # axe-core is injected as an inline script, which the site's CSP rightly blocks.
    context = browser.new_context(locale="zh-CN", bypass_csp=True)
    page = context.new_page()
    problems = {}
    for path in ("/", "/wiki/miit/", "/wiki/miit/history/", "/recent/", "/sources/"):
        page.goto(revised_live_server.url + path)
        expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
        if found := axe_violations(page):
            problems[path] = found
    context.close()
    assert problems == {}
