"""The site's URLs plus `/bench/baseline/<size>/`: a constant page of that many bytes,
and `/bench/gzip-per-request/<slug>/`: the article page compressed on every request.

The baseline is the floor: the same gunicorn, middleware and settings as the
article page, but a view that does nothing. The article page is measured
against it, side by side in one run. The per-request page is the alternative
to storing compressed pages: Django's GZipMiddleware around the stored page.
"""

from functools import lru_cache

from django.http import Http404, HttpResponse
from django.middleware.gzip import GZipMiddleware
from django.urls import path

from articles.views.pages import article_detail
from miitwiki.urls import urlpatterns as site_urlpatterns

MAX_SIZE = 10 * 1024 * 1024


PREFIX = b"<!doctype html><title>baseline</title><p>"


@lru_cache(maxsize=8)
def constant_page(size: int) -> bytes:
    return PREFIX + b"x" * max(size - len(PREFIX), 0)


def baseline(request, size: int):
    if size > MAX_SIZE:
        raise Http404("Too big for a baseline.")
    return HttpResponse(constant_page(size), content_type="text/html; charset=utf-8")


def gzip_per_request(request, slug: str):
    # The page layer sees no Accept-Encoding, so it serves the stored uncompressed
    # page, which GZipMiddleware then compresses for this request.
    accepted = request.META.pop("HTTP_ACCEPT_ENCODING", "")
    response = article_detail(request, slug=slug)
    request.META["HTTP_ACCEPT_ENCODING"] = accepted
    return GZipMiddleware(lambda request: response).process_response(request, response)


urlpatterns = [
    path("bench/baseline/<int:size>/", baseline),
    path("bench/gzip-per-request/<slug:slug>/", gzip_per_request),
    *site_urlpatterns,
]
