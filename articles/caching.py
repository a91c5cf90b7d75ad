"""Conditional GET and page caching for public pages: the one place for both.

`@cached_page(stamp_of)` wraps a view that reads fetch -> call -> render. The
view is given the page's stamp (articles.stamps) as the keyword `stamp`, for
the fragments its template caches with `{% cache %}` (the costly rendered
bodies, in the "default" cache: Redis in production, shared by every worker).

For anonymous readers the decorator adds, around the view:
- an ETag and Last-Modified from the stamp, a short public max-age
  (PUBLIC_PAGE_MAX_AGE) and 304 Not Modified when the reader already has it;
- whole pages in each worker's memory (the "pages" cache), stored once per stamp
  as they are and compressed (gzip and Brotli), served in the best encoding the
  reader accepts, each encoding with its own ETag: compressing on every request
  would cost more than the rest of a warm page;
- for PAGE_FRESH_SECONDS after a page was served, the same page again without
  even the stamp's query.
Signed-in users always get a fresh page, never stored: theirs carries edit links
and messages and must show their own edit at once.

Every page is in the reader's interface language (LocaleMiddleware: the picker's
cookie, else Accept-Language), so the language is part of the stamp given to the
view (hence of every ETag and stored page, and of the `{% cache %}` fragments keyed
by the stamp) and of the recent-page key; answers vary on Accept-Language and Cookie.
"""

import gzip
import time
from collections.abc import Callable
from functools import partial, wraps
from typing import NamedTuple

import brotli
from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import caches
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.http import HttpRequest, HttpResponse
from django.utils.cache import (
    add_never_cache_headers,
    get_conditional_response,
    patch_cache_control,
    patch_vary_headers,
)
from django.utils.functional import SimpleLazyObject
from django.utils.http import http_date, quote_etag
from django.utils.translation import get_language

from articles.models import Argument, Article, Debate, Section, Source
from articles.stamps import Stamp

PAGE_CACHE = "pages"
PAGE_TIMEOUT = 60 * 60
# Whole pages are kept in each worker's memory: only those of a usual size.
PAGE_MAX_BYTES = 512 * 1024
IDENTITY = "identity"
# What a public page's content depends on besides its URL: a session (a signed-in
# user gets their own page) and the coding.
STORED_VARY = "Cookie, Accept-Language, Accept-Encoding"
# Best first. Each page is compressed once per stamp, so the strongest settings pay.
COMPRESSORS = {
    "br": lambda content: brotli.compress(content, quality=11, mode=brotli.MODE_TEXT),
    "gzip": lambda content: gzip.compress(content, compresslevel=9, mtime=0),
}


def lazily(function: Callable, *args) -> SimpleLazyObject:
    """`function(*args)`, computed when a template first reads it: a value that only
    a `{% cache %}` fragment uses costs nothing while the fragment is cached."""
    return SimpleLazyObject(partial(function, *args))


class StoredPage(NamedTuple):
    """A page as given to anonymous readers in one content coding, with its
    validators. A tuple: workers unpickle one on every warm view."""

    etag: str
    modified: int | None  # whole seconds, as HTTP dates have them
    content_type: str
    coding: str
    body: bytes


def encoded_pages(
    digest: str, modified: int | None, response: HttpResponse
) -> dict[str, StoredPage]:
    """The page for each coding a reader may accept: compressed when that makes it
    smaller, else as it is. Each coding has its own ETag."""
    content, content_type = response.content, response["Content-Type"]
    pages = {IDENTITY: StoredPage(quote_etag(digest), modified, content_type, IDENTITY, content)}
    for coding, compress in COMPRESSORS.items():
        packed = compress(content)
        pages[coding] = (
            StoredPage(quote_etag(f"{digest}-{coding}"), modified, content_type, coding, packed)
            if len(packed) < len(content)
            else pages[IDENTITY]
        )
    return pages


def accepted_codings(request: HttpRequest) -> set[str]:
    """The content codings the client accepts (RFC 9110 Accept-Encoding, q > 0)."""
    codings = set()
    for part in request.META.get("HTTP_ACCEPT_ENCODING", "").split(","):
        name, *params = (item.strip().lower() for item in part.split(";"))
        quality = next((p.removeprefix("q=") for p in params if p.startswith("q=")), "1")
        try:
            if name and float(quality) > 0:
                codings.add(name)
        except ValueError:
            continue
    return codings


def best_coding(request: HttpRequest) -> str:
    accepted = accepted_codings(request)
    return next((c for c in COMPRESSORS if {c, "*"} & accepted), IDENTITY)


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


def shared_as(request: HttpRequest) -> tuple[str, str, str] | None:
    """The reader's coding, interface language and the page's URL, when the page
    may be shared (`shared_request`): what stored pages are kept under."""
    if shared_request(request):
        return best_coding(request), get_language(), request.build_absolute_uri()
    return None


def recent_page(shared: tuple[str, str, str]) -> "StoredPage | None":
    """The page given out for `shared` within PAGE_FRESH_SECONDS, if any: served
    again without even the stamp's query."""
    return caches[PAGE_CACHE].get(recent_key(shared))


def served_recently(request: HttpRequest) -> HttpResponse | None:
    """The answer to `request` from the recent pages, or None: for callers in front
    of the URL resolver (articles.api.stored), which have no view to fall back on."""
    shared = shared_as(request)
    if shared and (recent := recent_page(shared)):
        return serve(request, recent)
    return None


def shareable(request: HttpRequest, response: HttpResponse) -> bool:
    """Whether the page just made holds nothing that belongs to this request alone."""
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not response.has_header("Content-Encoding")
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")  # a form's token was used
        and len(response.content) <= PAGE_MAX_BYTES
    )


def public_headers(response: HttpResponse, etag: str, modified: int | None) -> HttpResponse:
    response.headers["ETag"] = etag
    if modified is not None:
        response.headers["Last-Modified"] = http_date(modified)
    patch_cache_control(response, public=True, max_age=settings.PUBLIC_PAGE_MAX_AGE)
    patch_vary_headers(response, STORED_VARY.split(", "))
    return response


def serve(request: HttpRequest, page: StoredPage) -> HttpResponse:
    """The stored page, or 304 when the reader has it. The response is new, so its
    headers are set outright, what `public_headers` patches in: this runs on every
    warm view, where patching costs a tenth of what serving does."""
    response = get_conditional_response(request, etag=page.etag, last_modified=page.modified)
    if response is None:
        response = HttpResponse(page.body, content_type=page.content_type)
        if page.coding != IDENTITY:
            response.headers["Content-Encoding"] = page.coding
    response.headers["ETag"] = page.etag
    if page.modified is not None:
        response.headers["Last-Modified"] = http_date(page.modified)
    response.headers["Cache-Control"] = f"public, max-age={settings.PUBLIC_PAGE_MAX_AGE}"
    response.headers["Vary"] = STORED_VARY
    return response


def anonymous_response(
    request: HttpRequest, stamp: Stamp, shared: tuple[str, str, str] | None, render: Callable
) -> HttpResponse:
    """304, a stored page, or `render()` (stored for the next reader when it may be).
    `shared`: the reader's coding, language and the page's URL, when the page may be
    shared (the stamp holds the language already)."""
    # "Accessed <today>" in the cite box changes daily.
    digest = stamp.extend(time.strftime("%Y-%m-%d", time.gmtime())).digest
    modified = int(stamp.modified.timestamp()) if stamp.modified else None
    if shared is None:
        etag = quote_etag(digest)
        response = get_conditional_response(request, etag=etag, last_modified=modified)
        return public_headers(response or render(), etag, modified)
    store, (coding, _, url) = caches[PAGE_CACHE], shared
    page = store.get(f"page:{digest}:{coding}:{url}")
    if page is None:
        response = render()
        if not shareable(request, response):
            return public_headers(response, quote_etag(digest), modified)
        pages = encoded_pages(digest, modified, response)
        store.set_many({f"page:{digest}:{c}:{url}": p for c, p in pages.items()}, PAGE_TIMEOUT)
        page = pages[coding]
    if settings.PAGE_FRESH_SECONDS:
        store.set(recent_key(shared), page, settings.PAGE_FRESH_SECONDS)
    return serve(request, page)


def recent_key(shared: tuple[str, str, str]) -> str:
    return "recent:{}:{}:{}".format(*shared)


def cached_page(stamp_of: Callable[..., Stamp]):
    """Decorate a public view whose page depends on `stamp_of(**url_kwargs)`.

    The view is called as `view(request, stamp=…, **url_kwargs)`, its stamp
    extended with the view's name, its URL arguments, query string and the
    interface language.
    """

    def decorator(view):
        @wraps(view)
        def public_view(request: HttpRequest, **kwargs) -> HttpResponse:
            # The check of the stamp is most of what a warm page costs. A write in
            # this process forgets recent pages at once (forget_recent_pages), so an
            # editor's own worker never serves an old one; other workers show it
            # within PAGE_FRESH_SECONDS, as browsers and proxies may anyway.
            shared = shared_as(request)
            if shared and (recent := recent_page(shared)):
                return serve(request, recent)
            stamp = stamp_of(**kwargs).extend(
                view.__name__, sorted(kwargs.items()), request.GET.urlencode(), get_language()
            )
            if request.user.is_authenticated:
                response = view(request, stamp=stamp, **kwargs)
                add_never_cache_headers(response)
                return response
            return anonymous_response(
                request, stamp, shared, lambda: view(request, stamp=stamp, **kwargs)
            )

        return public_view

    return decorator


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
