"""The site's URLs plus `/bench/baseline/<size>/`: a constant page of that many bytes.

The baseline is the floor: the same gunicorn, middleware and settings as the
article page, but a view that does nothing. The article page is measured
against it, side by side in one run.
"""

from functools import lru_cache

from django.http import Http404, HttpResponse
from django.urls import path

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


urlpatterns = [path("bench/baseline/<int:size>/", baseline), *site_urlpatterns]
