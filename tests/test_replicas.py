"""The router and middleware on their own; against a real standby: test_replicas_on_a_standby.py."""

import runpy

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.models import User
from django.contrib.sessions.models import Session
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.http import HttpResponse
from reversion.models import Version

from articles.models import Article
from miitwiki import replicas
from miitwiki import settings as project_settings
from miitwiki.replica_monitor import STALE_SECONDS
from tests.factories import make_article

ROUTER = "miitwiki.replicas.PrimaryReplicaRouter"
MIDDLEWARE = "miitwiki.replicas.ReadYourWritesMiddleware"


@pytest.fixture
def router(settings):
    """The router and middleware on; the current request chose to read "replica1"."""
    settings.DATABASE_REPLICAS = ["replica1"]
    settings.DATABASE_ROUTERS = [ROUTER]
    settings.MIDDLEWARE = [MIDDLEWARE, *settings.MIDDLEWARE]
    token = replicas._route.set(replicas.Route(pinned=False, replica="replica1"))
    yield replicas.PrimaryReplicaRouter()
    replicas._route.reset(token)


def test_naming_the_database_to_write_to_is_not_a_write(router):
    """django-reversion asks db_for_write() before it reads a history."""
    assert router.db_for_write(Version) == "default"
    assert router.db_for_read(Article) == "replica1"


@pytest.mark.parametrize("model", [Session, User, AccessAttempt])
def test_sessions_users_and_login_attempts_are_read_from_the_primary(router, model):
    assert router.db_for_read(model) == "default"


def test_outside_requests_everything_reads_the_primary(router):
    token = replicas._route.set(None)
    assert router.db_for_read(Article) == "default"
    replicas._route.reset(token)


def test_migrations_run_on_the_primary_only(router):
    assert router.allow_migrate("default", "articles")
    assert not router.allow_migrate("replica1", "articles")


@pytest.mark.parametrize(
    ("sql", "writes"),
    [
        ('INSERT INTO "django_session" VALUES (%s)', True),
        ('  update "articles_article" SET "lead" = %s', True),
        ('DELETE FROM "django_session"', True),
        ('SELECT "id" FROM "articles_article" FOR UPDATE', False),
        ('SAVEPOINT "s1_x1"', False),
        ('RELEASE SAVEPOINT "s1_x1"', False),
    ],
)
def test_only_statements_that_write_count_as_writes(sql, writes):
    assert replicas.is_write(sql) is writes


def through_middleware(request, view):
    """The response, and the request's route as the view saw it."""
    seen = []

    def wrapped(request):
        response = view(request)
        seen.append(replicas._route.get())
        return response

    return replicas.ReadYourWritesMiddleware(wrapped)(request), seen[0]


def test_a_get_that_only_names_the_primary_stays_unpinned_and_sets_no_cookie(router, rf):
    def view(request):
        router.db_for_write(Version)
        return HttpResponse()

    response, route = through_middleware(rf.get("/"), view)
    assert not route.pinned and not route.wrote
    assert not response.cookies


def test_unsafe_methods_read_the_primary_from_the_start(router, rf):
    response, route = through_middleware(rf.post("/"), lambda request: HttpResponse())
    assert route.pinned and not route.wrote
    assert not response.cookies  # nothing was written


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="asks for the WAL position")
def test_a_request_that_writes_sends_the_primarys_wal_position(router, rf, db):
    def view(request):
        make_article()
        return HttpResponse()

    response, route = through_middleware(rf.post("/"), view)
    assert route.wrote
    cookie = response.cookies[replicas.POSITION_COOKIE]
    assert cookie["httponly"] and cookie["max-age"] == replicas.position_cookie_seconds()
    request = rf.get("/")
    request.COOKIES[replicas.POSITION_COOKIE] = cookie.value
    assert replicas.written_position(request) > 0


def test_the_position_cookie_is_signed(router, rf):
    response = HttpResponse()
    response.set_signed_cookie(replicas.POSITION_COOKIE, "16/B374D848", salt=replicas.COOKIE_SALT)
    signed = response.cookies[replicas.POSITION_COOKIE].value
    request = rf.get("/")
    request.COOKIES[replicas.POSITION_COOKIE] = signed
    assert replicas.written_position(request) == 0x16B374D848
    request.COOKIES[replicas.POSITION_COOKIE] = signed.replace("16/B374D848", "FF/0")
    assert replicas.written_position(request) == 0
    assert replicas.written_position(rf.get("/")) == 0


def test_the_position_cookie_outlives_the_largest_lag_a_replica_may_serve_with(settings):
    settings.DATABASE_REPLICA_MAX_LAG = 30
    assert replicas.position_cookie_seconds() >= 30 + STALE_SECONDS


def test_replica_urls_become_database_aliases(monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "x")
    monkeypatch.setenv("DATABASE_URL", "postgres://wiki@primary:5432/wiki")
    monkeypatch.setenv(
        "DATABASE_REPLICA_URLS", "postgres://wiki@copy1:5432/wiki, postgres://wiki@copy2:5432/wiki"
    )
    monkeypatch.setenv("DATABASE_REPLICA_MAX_LAG", "12.5")
    config = runpy.run_path(project_settings.__file__)
    assert config["DATABASE_REPLICAS"] == ["replica1", "replica2"]
    assert config["DATABASE_REPLICA_MAX_LAG"] == 12.5
    copy2 = config["DATABASES"]["replica2"]
    assert copy2["HOST"] == "copy2" and copy2["TEST"] == {"MIRROR": "default"}
    # No pool: a pool waits out its timeout for a replica that is down.
    assert "pool" not in copy2["OPTIONS"] and copy2["OPTIONS"]["connect_timeout"] == 2
    assert copy2["CONN_MAX_AGE"] > 0 and copy2["CONN_HEALTH_CHECKS"]
    assert config["DATABASE_ROUTERS"] == [ROUTER]
    assert config["MIDDLEWARE"][0] == MIDDLEWARE


def test_replicas_need_a_postgresql_primary(monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "x")
    monkeypatch.setenv("DATABASE_URL", "sqlite:///wiki.sqlite3")
    monkeypatch.setenv("DATABASE_REPLICA_URLS", "postgres://wiki@copy1:5432/wiki")
    with pytest.raises(ImproperlyConfigured, match="PostgreSQL"):
        runpy.run_path(project_settings.__file__)


def test_no_replica_urls_means_no_router(monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "x")
    monkeypatch.delenv("DATABASE_REPLICA_URLS", raising=False)
    config = runpy.run_path(project_settings.__file__)
    assert config["DATABASE_REPLICAS"] == [] and "DATABASE_ROUTERS" not in config
    assert MIDDLEWARE not in config["MIDDLEWARE"]
