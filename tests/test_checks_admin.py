"""The source admin's "check now" (inline, and through RQ on the local Redis with
an in-process burst worker) and "save to the web archive" (a local fake of Save
Page Now)."""

import uuid

import pytest
from django.contrib.messages import get_messages
from redis import Redis
from reversion.models import Version
from rq import SimpleWorker

from articles.checks.models import SourceCheck
from articles.checks.queue import check_queue
from tests.checking import html_page, status_of
from tests.factories import make_source

pytestmark = pytest.mark.django_db

QUOTE = "The ministry shall supervise the industry."
CHANGELIST = "/admin/articles/source/"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def run_action(client, action: str, *sources):
    return client.post(
        CHANGELIST, {"action": action, "_selected_action": [s.pk for s in sources]}, follow=True
    )


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def test_check_now_runs_inline_without_redis(editor_client, local_site, settings):
    settings.REDIS_URL = ""
    source = make_source("n", url=local_site.serve("/n", html_page(QUOTE)), quote=QUOTE)
    response = run_action(editor_client, "check_now", source)
    assert response.status_code == 200
    assert "1 source(s) checked." in messages_of(response)
    assert (status_of(source).link, status_of(source).quote) == ("live", "verified")
    page = editor_client.get(f"{CHANGELIST}{source.pk}/change/").content.decode()
    assert 'class="check-history"' in page and 'data-outcome="live"' in page


@pytest.fixture
def redis_queue(settings):
    """A queue of its own on the local Redis (database 12), removed afterwards."""
    settings.REDIS_URL = "redis://127.0.0.1:6379/12"
    settings.SOURCE_CHECK_QUEUE = f"test-checks-{uuid.uuid4().hex[:8]}"
    queue = check_queue()
    yield queue
    queue.delete(delete_jobs=True)
    connection = Redis.from_url(settings.REDIS_URL)
    for key in connection.scan_iter(f"*{settings.SOURCE_CHECK_QUEUE}*"):
        connection.delete(key)


def test_check_now_queues_a_job_that_a_worker_runs(editor_client, local_site, redis_queue):
    first = make_source("a", url=local_site.serve("/a", html_page(QUOTE)), quote=QUOTE)
    second = make_source("b", url=local_site.serve("/b", "gone", status=404))
    response = run_action(editor_client, "check_now", first, second)
    assert "2 source(s) queued for checking; results appear shortly." in messages_of(response)
    assert SourceCheck.objects.count() == 0 and redis_queue.count == 1
    worker = SimpleWorker([redis_queue], connection=redis_queue.connection)
    assert worker.work(burst=True)
    assert redis_queue.count == 0
    [job] = [redis_queue.fetch_job(i) for i in redis_queue.finished_job_registry.get_job_ids()]
    assert job.return_value() == 2
    assert status_of(first).quote == "verified" and status_of(second).link == "dead"


def test_only_editors_may_check(client, local_site):
    from django.contrib.auth.models import User

    client.force_login(User.objects.create_user("staff", is_staff=True))
    source = make_source("n", url=local_site.serve("/n", "x"))
    assert run_action(client, "check_now", source).status_code == 403
    assert local_site.requests == [] and SourceCheck.objects.count() == 0


def test_save_to_the_web_archive_records_the_copy(editor_client, local_site, settings):
    page = local_site.serve("/page", html_page(QUOTE))
    copy = local_site.serve(f"/web/20261205000000/{page}", html_page(QUOTE))
    local_site.serve(f"/save/{page}", status=302, headers={"Location": copy})
    settings.WEB_ARCHIVE_SAVE_URL = local_site.url("/save/")
    source = make_source("p", url=page)
    response = run_action(editor_client, "save_to_archive", source)
    assert f"p: archived at {copy}" in messages_of(response)
    source.refresh_from_db()
    assert source.archive_url == copy
    [version] = Version.objects.get_for_object(source)
    assert version.revision.get_comment() == "Saved to the web archive"
    assert version.revision.user.username == "editor"


def test_an_archive_naming_its_copy_in_content_location(editor_client, local_site, settings):
    page = local_site.serve("/page", "x")
    local_site.serve(f"/save/{page}", "saved", headers={"Content-Location": f"/web/2026/{page}"})
    settings.WEB_ARCHIVE_SAVE_URL = local_site.url("/save/")
    source = make_source("p", url=page)
    run_action(editor_client, "save_to_archive", source)
    source.refresh_from_db()
    assert source.archive_url == local_site.url(f"/web/2026/{page}")


def test_a_failed_save_is_reported_and_changes_nothing(editor_client, local_site, settings):
    page = local_site.serve("/page", "x")
    local_site.serve(f"/save/{page}", "busy", status=503)
    settings.WEB_ARCHIVE_SAVE_URL = local_site.url("/save/")
    source = make_source("p", url=page)
    nourl = make_source("book")
    response = run_action(editor_client, "save_to_archive", source, nourl)
    assert "p: The archive did not save it (status 503)." in messages_of(response)
    assert "book: The source has no URL to archive." in messages_of(response)
    source.refresh_from_db()
    assert source.archive_url == "" and not Version.objects.get_for_object(source).exists()


def test_editing_the_quote_verifies_it_against_the_latest_snapshot(editor_client, local_site):
    from articles.checks.running import check_sources

    source = make_source("n", url=local_site.serve("/n", html_page(QUOTE)), quote=QUOTE)
    check_sources([source])
    form = {
        "key": "n", "title": source.title, "publisher": source.publisher, "url": source.url,
        "quote": "Words the page never said, not even close to it.", "edit_summary": "quote",
    }  # fmt: skip
    response = editor_client.post(f"{CHANGELIST}{source.pk}/change/", form)
    assert response.status_code == 302
    assert status_of(source).quote == "not-found"
    assert len(local_site.paths()) == 2  # verified from the snapshot, not fetched again


def test_the_worker_command_runs_queued_checks(editor_client, local_site, redis_queue):
    import io

    from django.core.management import call_command

    source = make_source("a", url=local_site.serve("/a", html_page(QUOTE)), quote=QUOTE)
    run_action(editor_client, "check_now", source)
    call_command("source_check_worker", "--burst", stdout=io.StringIO())
    assert redis_queue.count == 0 and status_of(source).quote == "verified"


def test_the_worker_command_needs_redis(settings):
    from django.core.management import CommandError, call_command

    settings.REDIS_URL = ""
    with pytest.raises(CommandError, match="REDIS_URL is not set"):
        call_command("source_check_worker", "--burst")
