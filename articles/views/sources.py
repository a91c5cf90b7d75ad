"""The source library and one page per source with everything that cites it.

Both count citations in every published text, so they are cached and revalidated
by a stamp of the whole wiki (`wiki_stamp`): any save of an article or a source
changes it.
"""

from django.core.paginator import Paginator
from django.http import QueryDict
from django.shortcuts import get_object_or_404, render

from articles.caching import cached_page, lazily
from articles.models import Source
from articles.reliability.models import rating_of
from articles.sources import SORTS, cited_by, source_library
from articles.stamps import wiki_stamp

LIBRARY_PAGE_SIZE = 100
FRAGMENT_SECONDS = 24 * 60 * 60


def library_listing(query: QueryDict) -> dict:
    library = source_library(
        publisher=query.get("publisher", ""),
        year=query.get("year", ""),
        sort=query.get("sort", "title"),
    )
    page = Paginator(library.entries, LIBRARY_PAGE_SIZE).get_page(query.get("page"))
    return {"library": library, "page": page}


def citations_of(key: str) -> dict:
    citing = cited_by(key)
    return {"citing": citing, "times_cited": sum(c.count for c in citing)}


@cached_page(wiki_stamp)
def source_list(request, stamp):
    context = {
        "stamp": stamp,
        "listing": lazily(library_listing, request.GET),
        "sorts": SORTS,
        # Only the plain library goes in the shared cache: filters are free text.
        "fragment_seconds": 0 if request.GET else FRAGMENT_SECONDS,
    }
    return render(request, "articles/source_list.html", context)


@cached_page(wiki_stamp)
def source_detail(request, key, stamp):
    source = get_object_or_404(Source.objects.with_standing(), key=key)
    context = {
        "source": source,
        "stamp": stamp,
        "rating": rating_of(source),
        "cited_by": lazily(citations_of, source.key),
    }
    return render(request, "articles/source_detail.html", context)
