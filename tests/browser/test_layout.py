"""Layout at phone, tablet and desktop widths, on paper, and in the dark."""

import pytest
from django.core.management import call_command

# serialized_rollback keeps the data that migrations created (content types, the
# Editors group) for the tests that follow, whichever order they run in.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
WIDTHS = [375, 768, 1280]


@pytest.fixture
def article_url(live_server):
    call_command("loaddata", "miit", verbosity=0)
    return f"{live_server.url}/wiki/miit/"


def open_at(browser, url, width, **options):
    context = browser.new_context(viewport={"width": width, "height": 900}, **options)
    page = context.new_page()
    page.goto(url)
    return context, page


@pytest.mark.parametrize("width", WIDTHS)
def test_article_fits_the_screen(browser, article_url, artifacts, width):
    context, page = open_at(browser, article_url, width)
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    supporter = page.locator('[data-side="supporter"]').first.bounding_box()
    critic = page.locator('[data-side="critic"]').first.bounding_box()
    side_by_side = abs(critic["y"] - supporter["y"]) < 1 and critic["x"] > supporter["x"]
    assert side_by_side == (width > 640)  # columns stack on a phone
    toc_open = page.evaluate("document.querySelector('.toc details').open")
    assert toc_open == (width > 640)  # the contents start folded on a phone
    page.screenshot(path=artifacts / f"article-{width}.png", full_page=True)
    context.close()


def test_print_keeps_text_and_references_and_prints_source_urls(browser, article_url):
    context, page = open_at(browser, article_url, 1280)
    page.emulate_media(media="print")
    assert page.locator(".site-header").is_hidden()
    assert page.locator("ol.references").is_visible()
    assert page.locator("sup.citation").first.is_visible()
    printed = page.evaluate(
        "getComputedStyle(document.querySelector('.references .source a[href^=\"http\"]'),"
        " '::after').content"
    )
    assert "http" in printed
    context.close()


def test_dark_scheme_follows_the_system(browser, article_url):
    colors = {}
    for scheme in ["light", "dark"]:
        context, page = open_at(browser, article_url, 1280, color_scheme=scheme)
        colors[scheme] = page.evaluate("getComputedStyle(document.body).backgroundColor")
        context.close()
    assert colors["light"] == "rgb(255, 255, 255)"
    assert colors["dark"] != colors["light"]
