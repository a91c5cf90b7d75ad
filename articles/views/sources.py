"""The source library and one page per source with everything that cites it."""

from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render

from articles.models import Source
from articles.sources import SORTS, cited_by, source_library

LIBRARY_PAGE_SIZE = 100


def source_list(request):
    library = source_library(
        publisher=request.GET.get("publisher", ""),
        year=request.GET.get("year", ""),
        sort=request.GET.get("sort", "title"),
    )
    page = Paginator(library.entries, LIBRARY_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "articles/source_list.html",
        {"library": library, "page": page, "sorts": SORTS},
    )


def source_detail(request, key):
    source = get_object_or_404(Source, key=key)
    citing = cited_by(source.key)
    return render(
        request,
        "articles/source_detail.html",
        {"source": source, "citing": citing, "times_cited": sum(c.count for c in citing)},
    )
