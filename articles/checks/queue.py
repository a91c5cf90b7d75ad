"""Checks on demand ("check now" in the admin) run in an RQ worker on Redis
(`REDIS_URL`, queue `SOURCE_CHECK_QUEUE`), started with
`manage.py source_check_worker`; without Redis they run inline, in the request."""

from django.conf import settings
from django.db import close_old_connections, connection
from redis import Redis
from rq import Queue

from articles.checks.running import check_sources
from articles.models import Source

# A job checks its sources one host at a time: allow it the fetches' time-outs.
JOB_TIMEOUT = 3600


def check_queue() -> Queue | None:
    if not settings.REDIS_URL:
        return None
    return Queue(settings.SOURCE_CHECK_QUEUE, connection=Redis.from_url(settings.REDIS_URL))


def check_now(source_ids: list[int]) -> int:
    return len(check_sources(Source.objects.filter(pk__in=source_ids)))


def check_sources_job(source_ids: list[int]) -> int:
    """The worker's job: check these sources; how many were checked. A worker
    outlives database connections, so stale ones are dropped around each job
    (not inside a transaction: a test's, when a burst worker runs in-process)."""
    fresh = not connection.in_atomic_block
    if fresh:
        close_old_connections()
    try:
        return check_now(source_ids)
    finally:
        if fresh:
            close_old_connections()


def check_soon(source_ids: list[int]) -> bool:
    """Check these sources in the worker (True), or now when there is no Redis (False)."""
    queue = check_queue()
    if queue is None:
        check_now(source_ids)
        return False
    queue.enqueue(check_sources_job, list(source_ids), job_timeout=JOB_TIMEOUT)
    return True
