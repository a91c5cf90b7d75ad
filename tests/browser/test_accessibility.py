"""Every public page passes axe-core with no serious or critical violation."""

import pytest
from django.core.management import call_command

from tests.browser.accessibility import axe_violations
from tests.factories import save_revision

# serialized_rollback keeps the data that migrations created (content types, the
# Editors group) for the tests that follow, whichever order they run in.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def site(live_server):
    call_command("loaddata", "miit", verbosity=0)
    call_command("loaddata", "miit_zh", verbosity=0)  # the Chinese seed article
    from articles.models import Article

    article = Article.objects.get(slug="miit")
    first = save_revision(article, "Seed")
    second = save_revision(
        article, "Tighten the lead", lead=article.lead.replace("Created", "Set up")
    )
    return live_server.url, first, second


def public_paths(first: int, second: int) -> list[str]:
    return [
        "/",
        "/wiki/miit/",
        "/wiki/miit/history/",
        f"/wiki/miit/revision/{first}/",
        f"/wiki/miit/diff/?from={first}&to={second}",
        "/wiki/miit/section/history-and-mandate/history/",
        "/wiki/miit-zh/",
        "/wiki/miit-zh/section/沿革/history/",
        "/recent/",
        "/wiki/miit/debate/regulatory-framework/",
        "/sources/",
        "/sources/hrw-cybersecurity-law-2016/",
        "/search/?q=sovereignty",
        "/wiki/no-such-article/",
    ]


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_public_pages_have_no_serious_accessibility_violations(browser, site, scheme):
    url, first, second = site
    # axe-core is injected as an inline script, which the site's CSP rightly blocks.
    context = browser.new_context(color_scheme=scheme, bypass_csp=True)
    page = context.new_page()
    problems = {}
    for path in public_paths(first, second):
        page.goto(url + path)
        found = axe_violations(page)
        if found:
            problems[path] = found
    context.close()
    assert problems == {}


def test_the_checker_reports_real_violations(page):
    page.set_content(
        '<html lang="en"><body><main><img src="x.png">'
        '<p style="color:#ddd;background:#fff">faint text</p></main></body></html>'
    )
    found = " ".join(axe_violations(page))
    assert "image-alt" in found and "color-contrast" in found
