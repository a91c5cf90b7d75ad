"""Render cache and conditional GET for pages built from an article.

A page's `Stamp` holds the values that change whenever what the page shows
changes: the article's `updated_at` (every write path touches it: admin saves,
section edits, debate edits, reverts, imports) and the source library's last
change and size (citations show source details; a deletion changes the size).
Cached HTML lives under a hash of the stamp, so nothing is ever invalidated by
hand: a write changes the stamp, the next view misses and renders anew, and the
stale entry expires. The same hash is the page's ETag.

Two caches: "default" (Redis in production, shared by every worker) holds the
rendered article bodies, the costly part; "pages" (local memory of each worker)
holds whole pages for anonymous readers, so a warm view costs one small query
and no network round trip to Redis, and for PAGE_FRESH_SECONDS not even that.
"""

import hashlib
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache, caches
from django.db import connections, router, transaction
from django.db.models.signals import post_delete, post_save
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.cache import (
    add_never_cache_headers,
    get_conditional_response,
    patch_cache_control,
    patch_vary_headers,
)
from django.utils.dateparse import parse_datetime
from django.utils.http import http_date, parse_http_date_safe, quote_etag
from django.utils.safestring import SafeString, mark_safe
from redis.exceptions import RedisError

from articles.models import Argument, Article, Debate, Section, Source

logger = logging.getLogger(__name__)

# Part of every key: bump it when the renderer or a cached template changes, so
# that a shared Redis does not serve HTML made by the previous release.
RENDER_VERSION = 1
# Cached HTML can always be rebuilt from the database; a day bounds what a burst
# of edits leaves behind.
FRAGMENT_TIMEOUT = 24 * 60 * 60
PAGE_TIMEOUT = 60 * 60
# Whole pages are kept in each worker's memory: only those of a usual size.
PAGE_MAX_BYTES = 512 * 1024
PAGE_CACHE = "pages"
CACHE_ERRORS = (RedisError, OSError)
WARNING_INTERVAL = 60.0

_last_warning = float("-inf")


@dataclass(frozen=True)
class Stamp:
    """What a page depends on (`parts`) and when that last changed (`modified`)."""

    parts: tuple
    modified: datetime | None

    def extend(self, *parts) -> "Stamp":
        """The stamp of a page that also depends on `parts` (a revision id, a flag)."""
        return Stamp((*self.parts, *parts), self.modified)

    @property
    def digest(self) -> str:
        return hashlib.sha256(repr((RENDER_VERSION, self.parts)).encode()).hexdigest()[:32]


@dataclass(frozen=True)
class ArticleStamps:
    article_id: int
    page: Stamp  # the article and the source library
    library: Stamp  # the source library alone: what an old revision depends on


def stamp_sql(quote: Callable[[str], str]) -> str:
    # Only quoted table names from the models go in; the values are parameters.
    article, source = quote(Article._meta.db_table), quote(Source._meta.db_table)
    return (
        f"SELECT a.id, a.updated_at, (SELECT MAX(updated_at) FROM {source}),"  # noqa: S608
        f" (SELECT COUNT(*) FROM {source}) FROM {article} a WHERE a.slug = %s AND a.status = %s"
    )


def as_datetime(value) -> datetime | None:
    """A column read by raw SQL: SQLite gives text for an aggregate, naive in UTC."""
    if isinstance(value, str):
        value = parse_datetime(value)
    if value is not None and value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value


def published_article_stamps(slug: str) -> ArticleStamps:
    """The stamps of the published article `slug` (404 if there is none), in one query.

    Raw SQL because every page view runs it and, measured, the ORM takes five
    times as long to build this query as the database takes to answer it.
    """
    connection = connections[router.db_for_read(Article)]
    with connection.cursor() as cursor:
        cursor.execute(stamp_sql(connection.ops.quote_name), [slug, Article.Status.PUBLISHED])
        row = cursor.fetchone()
    if row is None:
        raise Http404("No published article has this address.")
    article_id, updated_at, sources_changed_at, sources_count = row
    updated_at, sources_changed_at = as_datetime(updated_at), as_datetime(sources_changed_at)
    library = Stamp(("sources", str(sources_changed_at), sources_count), sources_changed_at)
    page = Stamp(
        ("article", article_id, str(updated_at), *library.parts),
        max(filter(None, [updated_at, sources_changed_at])),
    )
    return ArticleStamps(article_id, page, library)


def wiki_stamp() -> Stamp:
    """The stamp of a page built from the whole wiki (the source pages count every
    citation in every article): the newest change and the number of articles and
    of sources, in one query."""
    connection = connections[router.db_for_read(Article)]
    quote = connection.ops.quote_name
    article, source = quote(Article._meta.db_table), quote(Source._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT (SELECT MAX(updated_at) FROM {article}), (SELECT COUNT(*) FROM {article}),"  # noqa: S608
            f" (SELECT MAX(updated_at) FROM {source}), (SELECT COUNT(*) FROM {source})"
        )
        articles_changed, articles, sources_changed, sources = cursor.fetchone()
    changed = [as_datetime(articles_changed), as_datetime(sources_changed)]
    return Stamp(
        ("wiki", *map(str, changed), articles, sources), max(filter(None, changed), default=None)
    )


def warn_cache_down(error: Exception) -> None:
    """Log that the cache failed, at most once a minute per process."""
    global _last_warning
    now = time.monotonic()
    if now - _last_warning >= WARNING_INTERVAL:
        _last_warning = now
        logger.warning("Render cache unavailable, rendering without it: %s", error)


def cached_html(name: str, stamp: Stamp, render: Callable[[], str]) -> SafeString:
    """The HTML `render()` makes for `stamp`, from the shared cache when it has it.

    `render` must return already-escaped HTML (a rendered template). When the
    cache is down the page is rendered every time rather than failing.
    """
    key = f"html:{name}:{stamp.digest}"
    try:
        html = cache.get(key)
    except CACHE_ERRORS as error:
        warn_cache_down(error)
        return mark_safe(render())  # noqa: S308 - rendered template output
    if html is None:
        html = render()
        try:
            cache.set(key, str(html), FRAGMENT_TIMEOUT)
        except CACHE_ERRORS as error:
            warn_cache_down(error)
    # Only this function writes these keys, always with rendered template output.
    return mark_safe(html)  # noqa: S308


def shared_request(request: HttpRequest) -> bool:
    """Whether any anonymous reader may be given the same page as this request.

    Only a plain GET without a session or messages cookie: the page then cannot
    hold anything of the reader's own (messages, a user name).
    """
    return (
        PAGE_CACHE in settings.CACHES
        and request.method in {"GET", "HEAD"}
        and not request.GET
        and not {settings.SESSION_COOKIE_NAME, CookieStorage.cookie_name} & request.COOKIES.keys()
    )


def shareable(request: HttpRequest, response: HttpResponse) -> bool:
    """Whether the page just made holds nothing that belongs to this request alone."""
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")  # a form's token was used
        and len(response.content) <= PAGE_MAX_BYTES
    )


def anonymous_page(
    request: HttpRequest, stamp: Stamp, respond: Callable[[], HttpResponse]
) -> HttpResponse:
    """The page from this worker's page cache, or `respond()` stored there."""
    if not shared_request(request):
        return respond()
    key = f"page:{stamp.extend(request.build_absolute_uri()).digest}"
    pages = caches[PAGE_CACHE]
    if cached := pages.get(key):
        content, content_type = cached
        return HttpResponse(content, content_type=content_type)
    response = respond()
    if hasattr(response, "render"):
        response.render()
    if shareable(request, response):
        pages.set(key, (response.content, response["Content-Type"]), PAGE_TIMEOUT)
    return response


def public_headers(response: HttpResponse, etag: str, modified: int | None) -> HttpResponse:
    response.headers["ETag"] = etag
    if modified is not None:
        response.headers["Last-Modified"] = http_date(modified)
    patch_cache_control(response, public=True, max_age=settings.PUBLIC_PAGE_MAX_AGE)
    patch_vary_headers(response, ["Cookie"])
    return response


def conditional_page(
    request: HttpRequest, stamp: Stamp, respond: Callable[[], HttpResponse]
) -> HttpResponse:
    """`respond()`, or 304 Not Modified when an anonymous reader already has it.

    Anonymous readers get an ETag, Last-Modified and a short public max-age
    (PUBLIC_PAGE_MAX_AGE), and share cached pages; signed-in users always get a
    fresh page, since theirs carries edit links and messages and must show their
    own edit at once.
    """
    if request.user.is_authenticated:
        response = respond()
        add_never_cache_headers(response)
        return response
    # "Accessed <today>" in the cite box changes daily.
    stamp = stamp.extend(time.strftime("%Y-%m-%d", time.gmtime()))
    etag = quote_etag(stamp.digest)
    # Whole seconds, as HTTP dates have them, so If-Modified-Since can match.
    modified = int(stamp.modified.timestamp()) if stamp.modified else None
    response = get_conditional_response(request, etag=etag, last_modified=modified)
    if response is None:
        response = anonymous_page(request, stamp, respond)
    return public_headers(response, etag, modified)


def recent_page(request: HttpRequest, load: Callable[[], HttpResponse]) -> HttpResponse:
    """A page an anonymous reader was given less than PAGE_FRESH_SECONDS ago, again
    (or 304), without a query; else `load()`, which checks the database.

    The check is most of what a warm page costs. A write in this process forgets
    these pages at once (`forget_recent_pages`), so an editor's own worker never
    serves an old page; other workers show it within the window, as browsers and
    proxies may anyway for PUBLIC_PAGE_MAX_AGE.
    """
    if not settings.PAGE_FRESH_SECONDS or not shared_request(request):
        return load()
    pages, key = caches[PAGE_CACHE], f"recent:{request.build_absolute_uri()}"
    if recent := pages.get(key):
        etag, modified, content, content_type = recent
        response = get_conditional_response(request, etag=etag, last_modified=modified)
        response = response or HttpResponse(content, content_type=content_type)
        return public_headers(response, etag, modified)
    response = load()
    if response.status_code == 200 and response.has_header("ETag") and shareable(request, response):
        modified = parse_http_date_safe(response.headers.get("Last-Modified", ""))
        entry = (response["ETag"], modified, response.content, response["Content-Type"])
        pages.set(key, entry, settings.PAGE_FRESH_SECONDS)
    return response


def forget_recent_pages(**kwargs) -> None:
    """Receiver of every save and deletion of what article pages show."""
    if PAGE_CACHE in settings.CACHES:
        caches[PAGE_CACHE].clear()
        # Once more after the commit, for a page re-read while it was in flight.
        transaction.on_commit(caches[PAGE_CACHE].clear)


def forget_recent_pages_on_writes() -> None:
    """Connected once, from ArticlesConfig.ready. Signals rather than calls in each
    write path: loaddata, reverts and imports must count too."""
    for model in (Article, Section, Debate, Argument, Source):
        post_save.connect(forget_recent_pages, sender=model, dispatch_uid=f"recent-{model}")
        post_delete.connect(forget_recent_pages, sender=model, dispatch_uid=f"recent-{model}")
