"""Who may do what: every row of tests/url_table.py, for each kind of user."""

from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.urls import URLResolver, get_resolver, resolve

from articles.models import Article
from articles.revisions import latest_revision_id
from tests.editing import make_editor
from tests.url_table import ROLES, ROWS, Row
from tests.world import build_world, role_users

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def one_login_failure_per_role(settings):
    # Every role posts the same wrong password to the login page in one test.
    settings.AXES_FAILURE_LIMIT = len(ROLES) + 1


def all_routes(patterns=None, prefix: str = "") -> set[str]:
    """Every URL pattern of the URLconf, joined as `ResolverMatch.route` joins them."""
    routes = set()
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + str(pattern.pattern).removeprefix("^" if prefix else "")
        if isinstance(pattern, URLResolver):
            routes |= all_routes(pattern.url_patterns, route)
        else:
            routes.add(route)
    return routes


def clients() -> dict[str, Client]:
    result = {}
    for role, user in role_users().items():
        result[role] = Client()
        if user:
            result[role].force_login(user)
    return result


def test_every_url_pattern_of_the_site_has_a_row():
    world = build_world()
    covered = {resolve(urlsplit(row.url.format(**world)).path).route for row in ROWS}
    assert sorted(all_routes() - covered) == []


@pytest.mark.parametrize("row", ROWS, ids=lambda row: f"{row.method} {row.url}")
def test_status_for_each_kind_of_user(row: Row):
    url = row.url.format(**build_world())
    statuses = {}
    for role, client in clients().items():
        if row.method == "POST":
            response = client.post(url, row.data)
        else:
            response = client.generic(row.method, url)
        statuses[role] = response.status_code
    assert statuses == dict(zip(ROLES, row.expect, strict=True))


@pytest.mark.parametrize(
    ("url", "data"),
    [
        ("/editor/preview/", {"content": "x"}),
        ("/wiki/{slug}/revision/{rev1}/revert/", {"summary": "x"}),
        ("/admin/articles/article/{article}/change/", {}),
    ],
)
def test_editor_posts_without_a_csrf_token_are_refused(url, data):
    world = build_world()
    client = Client(enforce_csrf_checks=True)
    client.force_login(make_editor())
    response = client.post(url.format(**world), data)
    assert response.status_code == 403
    assert latest_revision_id(Article.objects.get(slug="w")) == world["rev2"]


def test_an_editor_whose_staff_status_was_removed_cannot_revert_while_logged_in(client):
    world = build_world()
    editor = make_editor()
    client.force_login(editor)
    editor.is_staff = False
    editor.save()
    url = "/wiki/{slug}/revision/{rev1}/revert/".format(**world)
    assert client.get(url).status_code == 403
    assert client.post(url, {"summary": "x"}).status_code == 403
    assert latest_revision_id(Article.objects.get(slug="w")) == world["rev2"]
