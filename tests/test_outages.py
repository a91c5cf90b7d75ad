"""Database outages: clean 503 pages, recovery without a restart, no half-made save.

The PostgreSQL tests break connections for real (a closed port, terminated
backends); bench/faults.sh does the same to a running gunicorn by restarting
the server itself.
"""

import threading
import time
from unittest import mock

import psycopg
import pytest
from django.db import InterfaceError, OperationalError, connection, connections, transaction
from django.test import Client
from reversion.models import Version

from articles.models import Article
from tests.editing import CHANGE_URL, article_form, make_editor, set_section
from tests.factories import make_article, make_section, save_revision
from tests.locks import sessions_waiting_for_me

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="breaks PostgreSQL connections for real"
)
UNUSED_PORT = "8409"  # nothing listens there: connecting is refused at once


def assert_outage_page(response):
    assert response.status_code == 503
    assert "briefly unavailable" in response.content.decode()
    assert response["Retry-After"] == "5"
    assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db
@pytest.mark.parametrize("error", [OperationalError, InterfaceError])
def test_an_unreachable_database_is_a_503_page_everywhere(error):
    article = make_article()
    reader = Client(raise_request_exception=False)
    editor = Client(raise_request_exception=False)
    editor.force_login(make_editor())
    down = mock.patch.object(connection, "ensure_connection", side_effect=error("refused"))
    with down:
        for url in [article.get_absolute_url(), "/wiki/water/history/", "/"]:
            assert_outage_page(reader.get(url))
        # A signed-in editor's session is read by middleware, before any view.
        assert_outage_page(editor.get("/admin/articles/article/"))
        assert reader.get("/healthz").status_code == 503
    assert reader.get(article.get_absolute_url()).status_code == 200


@pytest.mark.django_db
def test_other_errors_stay_500s():
    make_article()
    client = Client(raise_request_exception=False)
    with mock.patch("articles.views.pages.current_state", side_effect=ValueError("bug")):
        response = client.get("/wiki/water/")
    assert response.status_code == 500
    assert "Something went wrong" in response.content.decode()


@pytest.fixture
def pool_pointed_at():
    """Reconnect the pool to another port for the test's duration."""
    settings = connection.settings_dict
    saved_port, saved_options = settings["PORT"], settings["OPTIONS"]

    def repoint(port: str, timeout: float = 1):
        connection.close()
        connection.close_pool()
        settings["PORT"] = port
        settings["OPTIONS"] = {
            **saved_options,
            "pool": {**saved_options["pool"], "timeout": timeout},
        }

    yield repoint
    connection.close()
    connection.close_pool()
    settings["PORT"], settings["OPTIONS"] = saved_port, saved_options


@pytest.mark.postgres
@postgres_only
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_database_down_answers_503_fast_and_recovers_without_restart(pool_pointed_at):
    make_article()
    client = Client(raise_request_exception=False)
    real_port = connection.settings_dict["PORT"]
    pool_pointed_at(UNUSED_PORT)
    started = time.monotonic()
    assert_outage_page(client.get("/wiki/water/"))
    assert time.monotonic() - started < 5  # the pool's timeout, not a hang
    assert client.get("/healthz").status_code == 503

    pool_pointed_at(real_port)  # the database is back; the process was not restarted
    assert client.get("/wiki/water/").status_code == 200


@pytest.fixture
def new_pool_afterwards():
    """Later tests get a new pool, not the dead connections this test leaves in it."""
    yield
    connection.close()
    connection.close_pool()


def terminate_other_backends() -> int:
    """Kill every other session of the test database, as a server restart would."""
    params = connection.settings_dict
    with psycopg.connect(
        dbname=params["NAME"], user=params["USER"], host=params["HOST"], port=params["PORT"],
        autocommit=True,
    ) as admin:  # fmt: skip
        killed = admin.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
        ).fetchone()[0]
    return killed


@pytest.mark.postgres
@postgres_only
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_pooled_connections_killed_by_a_restart_fail_fast_then_are_replaced(new_pool_afterwards):
    make_article()
    client = Client(raise_request_exception=False)
    assert client.get("/wiki/water/").status_code == 200
    connection.close()  # back to the pool, as at the end of every request
    pooled = terminate_other_backends()
    assert pooled >= 1
    statuses = []
    for _ in range(pooled + 3):
        started = time.monotonic()
        statuses.append(client.get("/wiki/water/").status_code)
        assert time.monotonic() - started < 2  # a dead connection fails at once
        connection.close()
    # Each dead connection costs at most one clean 503, then the pool has new ones.
    assert set(statuses) <= {200, 503} and statuses.count(503) <= pooled
    assert statuses[-3:] == [200, 200, 200]


@pytest.mark.postgres
@postgres_only
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_save_whose_connection_dies_is_all_or_nothing_and_can_be_retried(new_pool_afterwards):
    article = make_article(lead="Before.")
    make_section(article, heading="Part 1", body="Text.")
    start = save_revision(article, "Start")
    editor = Client(raise_request_exception=False)
    editor.force_login(make_editor())
    data = set_section(article_form(article, lead="After."), "Part 1", body="New text.")
    result = {}

    def save():
        result["response"] = editor.post(CHANGE_URL.format(article.pk), data)
        connections.close_all()

    thread = threading.Thread(target=save)
    with transaction.atomic():
        Article.objects.select_for_update().get(pk=article.pk)  # the save waits here
        thread.start()
        [waiting] = sessions_waiting_for_me()
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [waiting])
    thread.join(30)

    assert_outage_page(result["response"])
    article.refresh_from_db()
    assert article.lead == "Before." and article.sections.get().body == "Text."
    assert Version.objects.get_for_object(article).latest("revision_id").revision_id == start
    # Once the database answers again, the same form saves as a whole.
    assert editor.post(CHANGE_URL.format(article.pk), data).status_code == 302
    article.refresh_from_db()
    assert article.lead == "After." and article.sections.get().body == "New text."
