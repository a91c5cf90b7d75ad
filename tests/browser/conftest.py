"""Playwright (Python) driving Debian's Chromium against pytest-django's live_server,
and what several browser tests share: a page that records Content Security Policy
violations (`watched_page`, `violations`) and an editor's log-in."""

import os
from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import expect, sync_playwright

from tests.editing import make_editor

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "browser"
# Playwright's sync API runs an event loop in this thread; Django's ORM refuses
# to run inside one unless told that the test process knows what it is doing.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: install it with `apt-get install -y chromium`.")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    print(f"\nbrowser screenshots: {ARTIFACTS}")  # noqa: T201 - tell where the artifacts are
    return ARTIFACTS


@pytest.fixture
def seeded_live_server(live_server):
    """The live server with the seed article, its sources and debates."""
    call_command("loaddata", "miit", verbosity=0)
    return live_server


COLLECT_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(event.violatedDirective + " " + (event.blockedURI || "inline"));
});
"""


@pytest.fixture
def watched_page(page):
    """The page, with a list of every CSP complaint it makes."""
    page.add_init_script(COLLECT_VIOLATIONS)
    page.complaints = []
    page.on(
        "console",
        lambda message: (
            "Content Security Policy" in message.text and page.complaints.append(message.text)
        ),
    )
    return page


def violations(page) -> list[str]:
    return page.evaluate("window.__cspViolations") + page.complaints


def log_in_as_editor(page, live_server, next_path: str, username: str = "ed"):
    """Load the seed with its first revisions, then log a new editor in and land on `next_path`."""
    call_command("loaddata", "miit", verbosity=0)
    call_command("createinitialrevisions", verbosity=0)
    make_editor(username)
    page.goto(f"{live_server.url}/admin/login/?next={next_path}")
    page.fill("#id_username", username)
    page.fill("#id_password", "pw-for-tests")
    page.click("input[type=submit]")
    expect(page).to_have_url(f"{live_server.url}{next_path}")
    return page
