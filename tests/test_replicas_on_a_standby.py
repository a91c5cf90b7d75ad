"""Read replicas against a real standby: MiitWiki on gunicorn over a primary and a
`pg_basebackup -R` standby that these tests start (tests/replication.py).

The standby's replay is paused to make it lag: then a page read from the standby
shows the old text, one read from the primary the new. The site runs with
DATABASE_REPLICA_MAX_LAG=3 so that a lagging standby leaves the rotation quickly.
"""

import time
from html import unescape
from itertools import count

import pytest
import requests
from django.db import connection

from miitwiki.replicas import POSITION_COOKIE as COOKIE
from tests.editing import form_values
from tests.replication import start_cluster, start_site, stop_cluster, stop_site, wait_until

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs PostgreSQL's streaming replication"
    ),
]

MAX_LAG = 3
PAGE = "/wiki/miit/"
markers = count(1)


@pytest.fixture(scope="module")
def cluster():
    cluster, root = start_cluster()
    yield cluster
    stop_cluster(cluster, root)


@pytest.fixture(scope="module")
def site(cluster):
    site = start_site(cluster, DATABASE_REPLICA_MAX_LAG=str(MAX_LAG), PAGE_FRESH_SECONDS="0")
    yield site
    stop_site(site)


@pytest.fixture
def lagging(cluster, site):
    """The standby with replay paused, resumed and back in rotation afterwards."""
    cluster.pause_replay()
    yield cluster
    cluster.resume_replay()
    wait_until(lambda: replica_state(site)["in_rotation"], timeout=5)


@pytest.fixture
def editor(site) -> requests.Session:
    """A signed-in editor's browser (signed in before any lag the test makes)."""
    return sign_in(site)


def replica_state(site) -> dict:
    return site.get("/healthz?replicas").json()["replicas"]["replica1"]


def sign_in(site) -> requests.Session:
    browser = requests.Session()
    form = form_values(site.get("/admin/login/", browser))
    form.update(username="editor", password=site.password)
    response = browser.post(site.base + "/admin/login/?next=/admin/", data=form, timeout=10)
    assert response.status_code == 200 and "Log out" in response.text, response.text[:300]
    return browser


def edit_lead(site, browser: requests.Session, cluster) -> tuple[str, requests.Response]:
    """The editor adds a new word to the seed article's lead: (the word, the save's response)."""
    word = f"Replicated{next(markers)}"
    article_id = cluster.primary.sql("SELECT id FROM articles_article WHERE slug = 'miit'")
    url = f"{site.base}/admin/articles/article/{article_id}/change/"
    form = form_values(browser.get(url, timeout=10))
    form["lead"] += f"\n\n{word}"
    response = browser.post(url, data=form, allow_redirects=False, timeout=10)
    assert response.status_code == 302, unescape(response.text)[:500]
    return word, response


def write_behind_the_sites_back(cluster) -> str:
    """A new word in the lead, written on the primary directly (no cookie for anybody)."""
    word = f"Direct{next(markers)}"
    cluster.primary.sql(
        f"UPDATE articles_article SET lead = lead || ' {word}', updated_at = now()"  # noqa: S608
        " WHERE slug = 'miit'"
    )
    return word


def readers_see_the_standby(site, cluster) -> bool:
    """Whether an anonymous reader misses a word written on the primary while the
    standby's replay is paused (so their page was read from the standby)."""
    cluster.pause_replay()
    try:
        word = write_behind_the_sites_back(cluster)
        response = site.get(PAGE)
        assert response.status_code == 200
        return word not in response.text
    finally:
        cluster.resume_replay()
        wait_until(lambda: replica_state(site)["in_rotation"], timeout=5)


def test_readers_read_the_standby(site, cluster):
    assert readers_see_the_standby(site, cluster)


def test_an_editor_sees_their_edit_for_as_long_as_the_standby_lags(site, editor, lagging):
    word, saved = edit_lead(site, editor, lagging)
    assert COOKIE in saved.cookies
    expires = next(cookie.expires for cookie in saved.cookies if cookie.name == COOKIE)
    assert word in site.get(PAGE, editor).text
    reader = site.get(PAGE)
    assert reader.status_code == 200 and word not in reader.text  # the standby, old text
    assert COOKIE not in reader.cookies
    # Past any time-based pin, and past the position cookie's own lifetime: the
    # standby now lags more than MAX_LAG and is out, so the editor still sees it.
    time.sleep(expires - time.time() + 1)
    editor.cookies.clear_expired_cookies()
    assert COOKIE not in editor.cookies
    assert word in site.get(PAGE, editor).text
    assert site.get(PAGE).status_code == 200
    state = replica_state(site)
    assert not state["in_rotation"] and state["lag_seconds"] > MAX_LAG and state["lag_bytes"] > 0


def test_signing_in_while_the_standby_lags_keeps_the_session(site, lagging):
    editor = sign_in(site)
    # Without the position cookie too, which alone would send this browser's reads
    # to the primary: the session itself must never be looked up on the standby.
    editor.cookies.set(COOKIE, None)
    for _ in range(3):
        response = editor.get(site.base + "/admin/", allow_redirects=False, timeout=10)
        assert response.status_code == 200 and "Log out" in response.text
    assert editor.cookies.get("sessionid")


def test_the_history_page_sets_no_cookie_for_anonymous_readers(site):
    response = site.get("/wiki/miit/history/")
    assert response.status_code == 200
    assert "Set-Cookie" not in response.headers
    assert "public" in response.headers["Cache-Control"]


def test_a_stopped_standby_leaves_the_primary_serving_until_it_is_back(site, cluster, editor):
    cluster.standby.stop()
    try:
        started = time.monotonic()
        while time.monotonic() - started < 3:
            for path, browser in [(PAGE, None), (PAGE + "?fresh", None), (PAGE, editor)]:
                began = time.monotonic()
                response = site.get(path, browser)
                assert response.status_code == 200
                assert time.monotonic() - began < 1, f"{path} took {time.monotonic() - began} s"
        assert site.get("/healthz").status_code == 200
        assert not replica_state(site)["reachable"]
    finally:
        cluster.standby.start()
    wait_until(lambda: replica_state(site)["in_rotation"], timeout=5)
    assert readers_see_the_standby(site, cluster)
