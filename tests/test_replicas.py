"""Read replicas: reads go to a replica; writes, and reads after a write, to the primary."""

import runpy

import pytest
from django.db import connections
from django.db.utils import load_backend
from django.http import HttpResponse
from django.test import Client
from django.test.utils import CaptureQueriesContext

from articles.models import Article
from miitwiki import replicas
from miitwiki import settings as project_settings
from tests.editing import CHANGE_URL, article_form, make_editor, set_section
from tests.factories import make_article, make_section

ROUTER = "miitwiki.replicas.PrimaryReplicaRouter"
MIDDLEWARE = "miitwiki.replicas.PrimaryPinMiddleware"


@pytest.fixture
def router(settings):
    """The router and middleware on, with one replica alias, starting unpinned."""
    settings.DATABASE_REPLICAS = ["replica"]
    settings.DATABASE_ROUTERS = [ROUTER]
    settings.MIDDLEWARE = [MIDDLEWARE, *settings.MIDDLEWARE]
    pinned, wrote = replicas._pinned.set(False), replicas._wrote.set(False)
    yield replicas.PrimaryReplicaRouter()
    replicas._pinned.reset(pinned)
    replicas._wrote.reset(wrote)


def test_reads_go_to_a_replica_until_a_write(router):
    assert router.db_for_read(Article) == "replica"
    assert router.db_for_write(Article) == "default"
    assert router.db_for_read(Article) == "default"


def test_without_replicas_everything_uses_the_primary(router, settings):
    settings.DATABASE_REPLICAS = []
    assert router.db_for_read(Article) == "default"


def test_migrations_run_on_the_primary_only(router):
    assert router.allow_migrate("default", "articles")
    assert not router.allow_migrate("replica", "articles")


def test_a_request_that_writes_reads_back_from_the_primary_and_pins_the_browser(
    router, rf, settings
):
    seen = []

    def view(request):
        seen.append(router.db_for_read(Article))
        router.db_for_write(Article)
        seen.append(router.db_for_read(Article))
        return HttpResponse()

    response = replicas.PrimaryPinMiddleware(view)(rf.get("/"))
    assert seen == ["replica", "default"]
    cookie = response.cookies[replicas.PIN_COOKIE]
    assert cookie["max-age"] == settings.DATABASE_REPLICA_PIN_SECONDS and cookie["httponly"]
    assert router.db_for_read(Article) == "replica"  # the pin ended with the request


@pytest.mark.parametrize(
    ("method", "cookies", "expected"),
    [("get", {}, "replica"), ("post", {}, "default"), ("get", {"use_primary": "1"}, "default")],
)
def test_unsafe_methods_and_pinned_browsers_read_the_primary(router, rf, method, cookies, expected):
    seen = []

    def view(request):
        seen.append(router.db_for_read(Article))
        return HttpResponse()

    request = getattr(rf, method)("/")
    request.COOKIES.update(cookies)
    response = replicas.PrimaryPinMiddleware(view)(request)
    assert seen == [expected]
    assert replicas.PIN_COOKIE not in response.cookies  # nothing was written


def test_replica_urls_become_database_aliases(monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "x")
    monkeypatch.setenv("DATABASE_URL", "postgres://wiki@primary:5432/wiki")
    monkeypatch.setenv(
        "DATABASE_REPLICA_URLS", "postgres://wiki@copy1:5432/wiki, postgres://wiki@copy2:5432/wiki"
    )
    config = runpy.run_path(project_settings.__file__)
    assert config["DATABASE_REPLICAS"] == ["replica1", "replica2"]
    copy2 = config["DATABASES"]["replica2"]
    assert copy2["HOST"] == "copy2" and copy2["TEST"] == {"MIRROR": "default"}
    assert copy2["OPTIONS"]["pool"] == config["DATABASES"]["default"]["OPTIONS"]["pool"]
    assert config["DATABASE_ROUTERS"] == [ROUTER]
    assert config["MIDDLEWARE"][0] == MIDDLEWARE


def test_no_replica_urls_means_no_router(monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "x")
    monkeypatch.delenv("DATABASE_REPLICA_URLS", raising=False)
    config = runpy.run_path(project_settings.__file__)
    assert config["DATABASE_REPLICAS"] == [] and "DATABASE_ROUTERS" not in config
    assert MIDDLEWARE not in config["MIDDLEWARE"]


@pytest.fixture
def replica(transactional_db, router):
    """A second alias, "replica", connected to the same test database as "default".

    Made by hand rather than from settings: the test database exists only now, and
    Django's tests allow queries on such dynamically created connections."""
    primary = connections["default"].settings_dict
    connection = load_backend(primary["ENGINE"]).DatabaseWrapper(dict(primary), alias="replica")
    connections["replica"] = connection
    yield connection
    connection.close()
    if connection.vendor == "postgresql":
        connection.close_pool()
    del connections["replica"]


@pytest.fixture
def water():
    article = make_article(lead="Water is wet.")
    make_section(article, heading="Rivers", body="Rivers flow.")
    return article


def queries_per_alias(request):
    """(primary queries, replica queries, response) of `request()`."""
    with (
        CaptureQueriesContext(connections["default"]) as primary,
        CaptureQueriesContext(connections["replica"]) as copy,
    ):
        response = request()
    return [q["sql"] for q in primary], [q["sql"] for q in copy], response


def test_readers_pages_are_read_from_the_replica(replica, water):
    primary, copy, response = queries_per_alias(lambda: Client().get("/wiki/water/"))
    assert response.status_code == 200 and "Rivers flow." in response.content.decode()
    assert primary == [] and copy
    assert replicas.PIN_COOKIE not in response.cookies


def test_an_editors_save_and_next_page_use_the_primary(replica, water, settings):
    editor = Client()
    editor.force_login(make_editor())
    data = set_section(article_form(water), "Rivers", body="Rivers meander.")
    primary, copy, response = queries_per_alias(
        lambda: editor.post(CHANGE_URL.format(water.pk), data)
    )
    assert response.status_code == 302
    assert copy == [] and any(sql.startswith("UPDATE") for sql in primary)
    assert response.cookies[replicas.PIN_COOKIE]["max-age"] == settings.DATABASE_REPLICA_PIN_SECONDS
    primary, copy, response = queries_per_alias(lambda: editor.get("/wiki/water/"))
    assert copy == [] and "Rivers meander." in response.content.decode()
